"""Training requests from the public form, for the training coordinators."""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from blocks.admin import GroupOnlyMixin, csv_download, wrapping_time
from blocks.staff import StaffGroup
from outbox.admin import EmailsInline, retry_selected
from outbox.models import OutboundEmail

from ..models import TrainingRequest
from .sessions import feedback_panel, schedule_url


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
