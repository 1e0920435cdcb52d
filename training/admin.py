from datetime import datetime, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import ngettext

from blocks.admin import (
    PUBLISHING_FIELDSET,
    GroupOnlyMixin,
    PublicationFilter,
    PublishableAdmin,
    ReviewedAdminMixin,
    ReviewFilter,
    ViewOnSiteMixin,
    csv_download,
    wrapping_time,
)
from blocks.staff import StaffGroup
from outbox.admin import EmailsInline, retry_selected
from outbox.models import OutboundEmail
from resources.admin import TOPICS_FIELDSET

from . import qr
from .models import (
    STATEMENTS,
    Attendance,
    CommunityProject,
    Event,
    Feedback,
    Session,
    Testimonial,
    TrainingRequest,
    Workshop,
)


def feedback_panel(session):
    """The session's feedback address, its QR code and the printable sheet, for admin pages."""
    address = qr.feedback_address(session)
    return render_to_string(
        "admin/training/session/feedback_panel.html",
        {
            "session": session,
            "address": address,
            "qr": qr.qr_svg(address),
            "sheet_url": reverse("admin:training_session_sheet", args=[session.pk]),
        },
    )


class TestimonialInline(admin.TabularInline):
    model = Testimonial
    extra = 0
    fields = ["quote", "attribution", "order"]


@admin.register(Workshop)
class WorkshopAdmin(ReviewedAdminMixin, PublishableAdmin):
    list_display = [
        "title",
        "short_name",
        "duration",
        "is_active",
        "publication",
        "order",
        "next_review_on",
        "view_on_site_link",
    ]
    list_editable = ["order"]
    list_filter = [PublicationFilter, "is_active", "online", "in_person", "topics", ReviewFilter]
    search_fields = ["title", "short_name", "summary", "who_it_is_for"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics"]
    inlines = [TestimonialInline]
    fieldsets = [
        (None, {"fields": ["title", "short_name", "slug", "summary", "body"]}),
        (
            "Facts",
            {
                "fields": [
                    "who_it_is_for",
                    "duration",
                    "online",
                    "in_person",
                    "cost",
                    "learning_outcomes",
                    "partner",
                ]
            },
        ),
        ("Listing", {"fields": ["is_active", "order", "audience_pages"]}),
        TOPICS_FIELDSET,
        PUBLISHING_FIELDSET,
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A handful of audience pages: ticking boxes is the plainest way to choose them.
        if db_field.name == "audience_pages":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Testimonial)
class TestimonialAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["short_quote", "attribution", "workshop", "order", "view_on_site_link"]
    list_editable = ["order"]
    list_filter = ["workshop"]
    list_select_related = ["workshop"]
    search_fields = ["quote", "attribution"]

    @admin.display(description="quote", ordering="quote")
    def short_quote(self, obj):
        return Truncator(obj.quote).chars(80)


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    list_display = ["title", "starts_at", "ends_at", "online", "publication", "view_on_site_link"]
    list_filter = [PublicationFilter, "online", "workshop", "topics"]
    search_fields = ["title", "organiser", "description", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    autocomplete_fields = ["workshop", "funding_scheme", "topics"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "starts_at", "ends_at", "description"]}),
        ("Where and how to book", {"fields": ["online", "venue", "organiser", "booking_url"]}),
        ("Related pages", {"fields": ["workshop", "funding_scheme"]}),
        TOPICS_FIELDSET,
        PUBLISHING_FIELDSET,
    ]


@admin.register(CommunityProject)
class CommunityProjectAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["title", "year_span", "delivery_partner", "order", "view_on_site_link"]
    list_editable = ["order"]
    list_filter = ["year_span"]
    search_fields = ["title", "summary", "delivery_partner"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["workshop"]


class CoordinatorsOnlyMixin(GroupOnlyMixin):
    """Training requests and their emails: the Training coordinators group only."""

    staff_group = StaffGroup.TRAINING_COORDINATORS

    def has_add_permission(self, request, *args):
        # Requests arrive through the public form, which gives them a reference and emails.
        return False


class TrainingRequestEmailsInline(EmailsInline):
    kinds = TrainingRequest.EmailKind


@admin.register(TrainingRequest)
class TrainingRequestAdmin(CoordinatorsOnlyMixin, admin.ModelAdmin):
    # What the team acts on first, next to the reference: the list must fit beside the side
    # menu and the filters at 1280 pixels (tests/browser/test_admin_lists.py).
    list_display = [
        "reference",
        "status",
        "email_state",
        "workshop_title",
        "organisation",
        "received",
    ]
    list_filter = ["status", "workshop", "sector"]
    list_select_related = ["workshop"]
    search_fields = ["reference", "contact_name", "organisation", "email"]
    date_hierarchy = "received_at"
    actions = ["export_csv", "retry_emails"]
    view_on_site = False
    inlines = [TrainingRequestEmailsInline]
    fieldsets = [
        ("Team workflow", {"fields": ["status", "notes"]}),
        (
            "Request",
            {
                "fields": [
                    "reference",
                    "received_at",
                    "workshop",
                    "who_it_is_for",
                    "participants",
                    "delivery",
                    "location",
                    "preferred_date_1",
                    "preferred_date_2",
                    "preferred_date_3",
                    "accessibility_needs",
                    "message",
                ]
            },
        ),
        (
            "Requester",
            {
                "fields": [
                    "contact_name",
                    "job_title",
                    "organisation",
                    "sector",
                    "email",
                    "phone",
                    "consent",
                ]
            },
        ),
        ("Emails", {"fields": ["team_emailed_at", "requester_emailed_at"]}),
        ("Session and feedback", {"fields": ["session_and_feedback"]}),
    ]
    # What the requester sent is kept as sent; the team records its work in status and notes.
    readonly_fields = [
        field
        for _, options in fieldsets
        for field in options["fields"]
        if field not in ("status", "notes")
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session").prefetch_related("emails")

    @admin.display(description="Session")
    def session_and_feedback(self, obj):
        session = getattr(obj, "session", None)
        if session is None:
            return format_html(
                'No session yet. <a href="{}">Schedule a session for this request</a>.',
                schedule_url(obj),
            )
        return format_html(
            '<p><a href="{}">{}</a></p>{}',
            reverse("admin:training_session_change", args=[session.pk]),
            session,
            feedback_panel(session),
        )

    def response_change(self, request, obj):
        # Scheduling a request makes its session: the session's form, filled from the request.
        if obj.status == TrainingRequest.Status.SCHEDULED and getattr(obj, "session", None) is None:
            self.message_user(
                request,
                "Now enter the session's date and time: it is filled in from the request.",
                messages.INFO,
            )
            return HttpResponseRedirect(schedule_url(obj))
        return super().response_change(request, obj)

    # Django keeps a related object's column on one line; a workshop's title needs to wrap.
    @admin.display(description="workshop", ordering="workshop__title")
    def workshop_title(self, obj):
        return obj.workshop.title if obj.workshop else "Not sure yet"

    @admin.display(description="received", ordering="received_at")
    def received(self, obj):
        return wrapping_time(obj.received_at)

    @admin.display(description="Emails")
    def email_state(self, obj):
        if obj.team_emailed_at and obj.requester_emailed_at:
            return "Both sent"
        kinds = TrainingRequest.EmailKind
        labels = {kinds.TEAM: "Team", kinds.REQUESTER: "Requester"}
        states = [
            f"{labels.get(email.kind, email.kind)}: {email.state}"
            for email in sorted(obj.emails.all(), key=lambda e: e.kind != kinds.TEAM)
        ]
        if states:
            return "; ".join(states)
        missing = [
            label
            for label, sent_at in (
                ("team", obj.team_emailed_at),
                ("requester", obj.requester_emailed_at),
            )
            if sent_at is None
        ]
        return "Not sent: " + ", ".join(missing)

    def changelist_view(self, request, extra_context=None):
        # Emails about requests given up on are shown above the list, with the way to see and
        # retry them in the outbox.
        failed = OutboundEmail.objects.given_up().about(TrainingRequest.objects.all()).count()
        content_type = ContentType.objects.get_for_model(TrainingRequest)
        extra_context = {
            **(extra_context or {}),
            "failed_emails": failed,
            "failed_emails_url": reverse("admin:outbox_outboundemail_changelist")
            + f"?content_type__id__exact={content_type.pk}"
            + "&failed_at__isnull=False&sent_at__isnull=True",
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description="Retry their unsent emails now", permissions=["change"])
    def retry_emails(self, request, queryset):
        retry_selected(self, request, OutboundEmail.objects.about(queryset))

    @admin.action(description="Export selected requests to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        columns = [
            ("Reference", lambda r: r.reference),
            ("Received", lambda r: timezone.localtime(r.received_at).strftime("%Y-%m-%d %H:%M")),
            ("Status", lambda r: r.get_status_display()),
            ("Workshop", lambda r: r.workshop.title if r.workshop else "Not sure yet"),
            ("Organisation", lambda r: r.organisation),
            ("Sector", lambda r: r.get_sector_display()),
            ("Name", lambda r: r.contact_name),
            ("Job title", lambda r: r.job_title),
            ("Email", lambda r: r.email),
            ("Phone", lambda r: r.phone),
            ("Who the training is for", lambda r: r.who_it_is_for),
            ("Participants", lambda r: r.participants),
            ("Delivery", lambda r: r.get_delivery_display()),
            ("Address or postcode", lambda r: r.location),
            ("Preferred dates", lambda r: "; ".join(d.isoformat() for d in r.preferred_dates)),
            ("Accessibility needs", lambda r: r.accessibility_needs),
            ("Anything else", lambda r: r.message),
            ("Internal notes", lambda r: r.notes),
        ]
        return csv_download(
            f"training-requests-{timezone.localdate():%Y-%m-%d}.csv",
            columns,
            queryset.select_related("workshop"),
        )


def schedule_url(training_request):
    return (
        reverse("admin:training_session_add")
        + "?"
        + urlencode({"training_request": training_request.pk})
    )


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 1
    fields = ["sector", "attendees"]
    verbose_name = "attendees from a sector"
    verbose_name_plural = "Attendance, once delivered: how many came from each sector"


class SessionEmailsInline(EmailsInline):
    kinds = Session.EmailKind


@admin.register(Session)
class SessionAdmin(GroupOnlyMixin, admin.ModelAdmin):
    staff_group = StaffGroup.TRAINING_COORDINATORS
    list_display = [
        "starts",
        "workshop",
        "organisation",
        "delivered_by",
        "attendee_count",
        "feedback_count",
    ]
    list_filter = ["workshop", "online", "delivered_by"]
    list_select_related = ["workshop", "delivered_by"]
    search_fields = ["organisation", "place", "training_request__reference"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["training_request"]
    view_on_site = False
    inlines = [AttendanceInline, SessionEmailsInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "workshop",
                    "training_request",
                    "starts_at",
                    "ends_at",
                    "online",
                    "place",
                    "organisation",
                    "organiser_email",
                    "delivered_by",
                    "notes",
                ]
            },
        ),
        ("Feedback from attendees", {"fields": ["feedback_link"]}),
    ]
    readonly_fields = ["feedback_link"]

    def get_queryset(self, request):
        # Counted in the list's query, not by loading every response.
        return (
            super()
            .get_queryset(request)
            .prefetch_related("attendance")
            .annotate(feedback_total=Count("feedback"))
        )

    @admin.display(description="starts", ordering="starts_at")
    def starts(self, obj):
        return wrapping_time(obj.starts_at)

    @admin.display(description="attendees")
    def attendee_count(self, obj):
        return obj.attendees if obj.attendance.all() else "Not recorded"

    @admin.display(description="feedback responses", ordering="feedback_total")
    def feedback_count(self, obj):
        return obj.feedback_total

    @admin.display(description="Feedback address")
    def feedback_link(self, obj):
        if obj.pk is None:
            return "Given when the session is saved."
        return feedback_panel(obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        try:
            training_request = TrainingRequest.objects.get(pk=request.GET.get("training_request"))
        except (TrainingRequest.DoesNotExist, ValueError, TypeError):
            return initial
        in_person = training_request.delivery == TrainingRequest.Delivery.IN_PERSON
        initial.update(
            training_request=training_request.pk,
            workshop=training_request.workshop_id,
            organisation=training_request.organisation,
            organiser_email=training_request.email,
            online=training_request.delivery == TrainingRequest.Delivery.ONLINE,
            place=training_request.location if in_person or training_request.location else "",
        )
        if training_request.preferred_dates:
            day = training_request.preferred_dates[0]
            initial["starts_at"] = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
            initial["ends_at"] = initial["starts_at"] + timedelta(hours=2)
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The request follows its session: scheduled once it has one, delivered once its
        # attendance is recorded after it ended.
        session = form.instance
        training_request = session.training_request
        if training_request is None:
            return
        status = TrainingRequest.Status
        delivered = session.ends_at <= timezone.now() and session.attendance.exists()
        wanted = status.DELIVERED if delivered else status.SCHEDULED
        if training_request.status != wanted and training_request.status != status.DECLINED:
            training_request.status = wanted
            training_request.save(update_fields=["status"])

    def get_urls(self):
        sheet = path(
            "<int:pk>/feedback-sheet/",
            self.admin_site.admin_view(self.sheet_view),
            name="training_session_sheet",
        )
        return [sheet, *super().get_urls()]

    def sheet_view(self, request, pk):
        """The A4 page to print, or show on the last slide: the QR code and the address."""
        session = get_object_or_404(self.get_queryset(request).select_related("workshop"), pk=pk)
        if not self.has_view_permission(request, session):
            raise PermissionDenied
        address = qr.feedback_address(session)
        return TemplateResponse(
            request,
            "admin/training/session/feedback_sheet.html",
            {
                "session": session,
                "address": address,
                "qr": qr.qr_svg(address, scale=10),
            },
        )


class FeedbackAdminForm(forms.ModelForm):
    publish_quote = forms.BooleanField(
        label="Publish this quote on the workshop's page",
        required=False,
        help_text="Only when they agreed to publication. Untick to take it off the page at once.",
    )

    class Meta:
        model = Feedback
        fields = ["notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_quote"].initial = self.instance.quote_approved_at is not None

    def clean_publish_quote(self):
        publish = self.cleaned_data["publish_quote"]
        if publish and not self.instance.can_be_published:
            raise forms.ValidationError(
                "This response has no quote that its author agreed to publish."
            )
        return publish

    def save(self, commit=True):
        feedback = super().save(commit=False)
        if not self.cleaned_data["publish_quote"]:
            feedback.quote_approved_at = None
        elif feedback.quote_approved_at is None:
            feedback.quote_approved_at = timezone.now()
        if commit:
            feedback.save()
        return feedback


@admin.register(Feedback)
class FeedbackAdmin(CoordinatorsOnlyMixin, admin.ModelAdmin):
    form = FeedbackAdminForm
    list_display = ["reference", "session", "received", "short_quote", "quote_state"]
    list_filter = ["session__workshop", "publish_consent", "quote_approved_at"]
    list_select_related = ["session__workshop"]
    search_fields = ["reference", "quote", "most_useful", "could_be_better"]
    date_hierarchy = "received_at"
    actions = ["approve_quotes", "withdraw_quotes"]
    view_on_site = False
    fieldsets = [
        (
            "Quote",
            {"fields": ["quote", "attribution", "publish_consent", "publish_quote"]},
        ),
        (
            "Answers",
            {
                "fields": [
                    "reference",
                    "received_at",
                    "session",
                    "sector",
                    "confidence",
                    "most_useful",
                    "could_be_better",
                ]
            },
        ),
        ("Team", {"fields": ["notes"]}),
    ]
    readonly_fields = [
        "quote",
        "attribution",
        "publish_consent",
        "reference",
        "received_at",
        "session",
        "sector",
        "confidence",
        "most_useful",
        "could_be_better",
    ]

    @admin.display(description="received", ordering="received_at")
    def received(self, obj):
        return wrapping_time(obj.received_at)

    @admin.display(description="quote")
    def short_quote(self, obj):
        return Truncator(obj.quote).chars(60)

    @admin.display(description="on the workshop page")
    def quote_state(self, obj):
        if obj.quote_approved_at:
            return "Published"
        if obj.can_be_published:
            return "Waiting for approval"
        return "No quote to publish" if not obj.quote else "Not agreed to publication"

    @admin.display(description="confidence, before → after (1 to 5)")
    def confidence(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} → {}</li>",
                (
                    (label, getattr(obj, f"{stem}_before"), getattr(obj, f"{stem}_after"))
                    for stem, label in STATEMENTS
                ),
            ),
        )

    @admin.action(description="Publish their quotes on the workshop pages", permissions=["change"])
    def approve_quotes(self, request, queryset):
        publishable = queryset.publishable().filter(quote_approved_at=None)
        count = publishable.update(quote_approved_at=timezone.now())
        skipped = queryset.filter(publish_consent=False).exclude(quote="").count()
        self.message_user(
            request,
            ngettext(
                "%(count)d quote is now on its workshop's page.",
                "%(count)d quotes are now on their workshops' pages.",
                count,
            )
            % {"count": count}
            + (
                f" {skipped} could not be published: their authors did not agree to it."
                if skipped
                else ""
            ),
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(description="Take their quotes off the workshop pages", permissions=["change"])
    def withdraw_quotes(self, request, queryset):
        count = queryset.exclude(quote_approved_at=None).update(quote_approved_at=None)
        self.message_user(
            request,
            ngettext(
                "%(count)d quote was taken off its workshop's page.",
                "%(count)d quotes were taken off their workshops' pages.",
                count,
            )
            % {"count": count},
        )
