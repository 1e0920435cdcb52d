from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from prevent_site.admin import (
    PUBLISHING_FIELDSET,
    GroupOnlyMixin,
    PublicationFilter,
    PublishableAdmin,
    ViewOnSiteMixin,
    csv_download,
)

from . import emails
from .models import (
    CommunityProject,
    Event,
    OutboundEmail,
    Testimonial,
    TrainingRequest,
    Workshop,
)


class TestimonialInline(admin.TabularInline):
    model = Testimonial
    extra = 0
    fields = ["quote", "attribution", "order"]


@admin.register(Workshop)
class WorkshopAdmin(PublishableAdmin):
    list_display = [
        "title",
        "short_name",
        "duration",
        "is_active",
        "publication",
        "order",
        "view_on_site_link",
    ]
    list_editable = ["order"]
    list_filter = [PublicationFilter, "is_active", "online", "in_person"]
    search_fields = ["title", "short_name", "summary", "audiences"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TestimonialInline]
    fieldsets = [
        (None, {"fields": ["title", "short_name", "slug", "summary", "body"]}),
        (
            "Facts",
            {
                "fields": [
                    "audiences",
                    "duration",
                    "online",
                    "in_person",
                    "cost",
                    "learning_outcomes",
                    "partner",
                ]
            },
        ),
        ("Listing", {"fields": ["is_active", "order"]}),
        PUBLISHING_FIELDSET,
    ]


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
    list_filter = [PublicationFilter, "online", "workshop"]
    search_fields = ["title", "organiser", "description", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    autocomplete_fields = ["workshop", "funding_scheme"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "starts_at", "ends_at", "description"]}),
        ("Where and how to book", {"fields": ["online", "venue", "organiser", "booking_url"]}),
        ("Related pages", {"fields": ["workshop", "funding_scheme"]}),
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


TRAINING_COORDINATORS = "Training coordinators"


class CoordinatorsOnlyMixin(GroupOnlyMixin):
    """Training requests and their emails: the Training coordinators group only."""

    staff_group = TRAINING_COORDINATORS

    def has_add_permission(self, request, *args):
        # Requests arrive through the public form, which gives them a reference and emails.
        return False


class OutboundEmailInline(admin.TabularInline):
    model = OutboundEmail
    fields = ["kind", "to", "subject", "state", "attempts"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    # Each email's own record (its text, tries and last error) is one click away; "View on
    # site" would only lead to that same admin page, since an email has no public page.
    show_change_link = True
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingRequest)
class TrainingRequestAdmin(CoordinatorsOnlyMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "workshop",
        "organisation",
        "received_at",
        "status",
        "email_state",
    ]
    list_filter = ["status", "workshop", "sector"]
    list_select_related = ["workshop"]
    search_fields = ["reference", "contact_name", "organisation", "email"]
    date_hierarchy = "received_at"
    actions = ["export_csv", "retry_emails"]
    view_on_site = False
    inlines = [OutboundEmailInline]
    fieldsets = [
        ("Team workflow", {"fields": ["status", "notes"]}),
        (
            "Request",
            {
                "fields": [
                    "reference",
                    "received_at",
                    "workshop",
                    "audience",
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

    @admin.display(description="Emails")
    def email_state(self, obj):
        if obj.team_emailed_at and obj.requester_emailed_at:
            return "Both sent"
        labels = {OutboundEmail.Kind.TEAM: "Team", OutboundEmail.Kind.REQUESTER: "Requester"}
        states = [
            f"{labels.get(email.kind, email.kind)}: {email.state}"
            for email in sorted(obj.emails.all(), key=lambda e: e.kind != OutboundEmail.Kind.TEAM)
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
        # Emails given up on are shown above the list, with the way to see and retry them.
        failed = OutboundEmail.objects.exclude(failed_at=None).filter(sent_at=None).count()
        extra_context = {
            **(extra_context or {}),
            "failed_emails": failed,
            "failed_emails_url": reverse("admin:training_outboundemail_changelist")
            + "?failed_at__isnull=False&sent_at__isnull=True",
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description="Retry their unsent emails now", permissions=["change"])
    def retry_emails(self, request, queryset):
        retry_selected(self, request, OutboundEmail.objects.filter(request__in=queryset))

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
            ("Who the training is for", lambda r: r.audience),
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


def retry_selected(model_admin, request, emails_queryset):
    count = emails.retry_now(emails_queryset)
    if count:
        message = ngettext(
            "%(count)d unsent email will be tried again now.",
            "%(count)d unsent emails will be tried again now.",
            count,
        )
        model_admin.message_user(request, message % {"count": count}, messages.SUCCESS)
    else:
        model_admin.message_user(request, "Every selected email had already been sent.")


@admin.register(OutboundEmail)
class OutboundEmailAdmin(CoordinatorsOnlyMixin, admin.ModelAdmin):
    list_display = ["subject", "to", "kind", "created_at", "state", "attempts"]
    list_filter = [
        "kind",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["subject", "to", "request__reference"]
    list_select_related = ["request"]
    actions = ["retry_now"]
    # get_absolute_url leads to this admin page itself: no "View on site" button.
    view_on_site = False
    readonly_fields = [
        "request",
        "kind",
        "to",
        "reply_to",
        "subject",
        "text",
        "created_at",
        "claimed_at",
        "sent_at",
        "state",
        "attempts",
        "next_attempt_at",
        "failing_since",
        "failed_at",
        "last_error",
    ]
    fields = readonly_fields

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request, queryset):
        retry_selected(self, request, queryset)

    def has_retry_permission(self, request):
        # Whoever may see the emails may hurry them along: it only sends what is already due.
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        # A record of what was sent: read only, even for superusers.
        return False

    def has_delete_permission(self, request, obj=None):
        # Emails go with their request when a coordinator deletes it (for example when someone
        # asks for their data to be erased), so whoever may delete requests may delete them.
        return self.in_staff_group(request) and request.user.has_perm(
            "training.delete_trainingrequest"
        )
