from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

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

from .models import (
    CommunityProject,
    Event,
    Testimonial,
    TrainingRequest,
    Workshop,
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
        return obj.quote if len(obj.quote) <= 80 else f"{obj.quote[:79]}…"


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
    ]
    # What the requester sent is kept as sent; the team records its work in status and notes.
    readonly_fields = [
        field
        for _, options in fieldsets
        for field in options["fields"]
        if field not in ("status", "notes")
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("emails")

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
