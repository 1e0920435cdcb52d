"""The outbox in the admin: every email, read only, with "Retry now".

An email holds the personal data of what it is about, so the admin shows it only to staff who
may see that thing in their own app's admin (a training request to training coordinators, say),
and who may view the outbox. Superusers see every email. What an email is about counts when its
model declares its emails with a GenericRelation to OutboundEmail: an email about anything else
is shown to superusers only.
"""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.sites import NotRegistered
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html
from django.utils.translation import ngettext

from blocks.admin import change_url, wrapping_address, wrapping_time

from . import sending
from .models import OutboundEmail


def models_with_emails():
    """The models that declare their emails with a GenericRelation to OutboundEmail."""
    return [
        model
        for model in apps.get_models()
        if any(
            isinstance(field, GenericRelation) and field.related_model is OutboundEmail
            for field in model._meta.private_fields
        )
    ]


def retry_selected(model_admin, request, emails):
    """The "Retry now" action, for the outbox and for each app's own list of its emails."""
    count = sending.retry_now(emails)
    if count:
        message = ngettext(
            "%(count)d unsent email will be tried again now.",
            "%(count)d unsent emails will be tried again now.",
            count,
        )
        model_admin.message_user(request, message % {"count": count}, messages.SUCCESS)
    else:
        model_admin.message_user(request, "Every selected email had already been sent.")


class EmailsInline(GenericTabularInline):
    """The emails about one thing, on that thing's own admin page. The app names its kinds of
    email with ``kinds`` (a TextChoices) so each shows by its label."""

    model = OutboundEmail
    kinds = None
    fields = ["kind_label", "to", "subject", "state", "attempts"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    # Each email's own record (its text, tries and last error) is one click away; "View on
    # site" would only lead to that same admin page, since an email has no public page.
    show_change_link = True
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="kind")
    def kind_label(self, email):
        try:
            return self.kinds(email.kind).label
        except (TypeError, ValueError):
            return email.kind


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    # What the team acts on first, next to the subject: the list must fit beside the side
    # menu and the filters at 1280 pixels (tests/browser/test_admin_lists.py).
    list_display = ["subject", "state", "attempts", "to_address", "kind", "created"]
    list_filter = [
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "kind",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["subject", "to"]
    actions = ["retry_now"]
    # get_absolute_url leads to this admin page itself: no "View on site" button.
    view_on_site = False
    readonly_fields = [
        "about_link",
        "kind",
        "to",
        "reply_to",
        "subject",
        "text",
        "headers",
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

    @admin.display(description="to", ordering="to")
    def to_address(self, email):
        return wrapping_address(email.to)

    @admin.display(description="created", ordering="created_at")
    def created(self, email):
        return wrapping_time(email.created_at)

    def _types_allowed(self, request, permission):
        """The content types of the things this user may view (or delete) in the admin."""
        allowed = []
        for model in models_with_emails():
            try:
                model_admin = self.admin_site.get_model_admin(model)
            except NotRegistered:
                continue
            if getattr(model_admin, f"has_{permission}_permission")(request):
                allowed.append(ContentType.objects.get_for_model(model))
        return allowed

    def _may(self, request, permission, obj):
        if request.user.is_superuser:
            return True
        allowed = self._types_allowed(request, permission)
        return obj.content_type in allowed if obj is not None else bool(allowed)

    def get_queryset(self, request):
        emails = super().get_queryset(request)
        if request.user.is_superuser:
            return emails
        return emails.filter(content_type__in=self._types_allowed(request, "view"))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may(request, "view", obj)

    def has_add_permission(self, request):
        # Emails are written by what they are about, never by hand.
        return False

    def has_change_permission(self, request, obj=None):
        # A record of what was sent: read only, even for superusers.
        return False

    def has_delete_permission(self, request, obj=None):
        # Emails go with what they are about when it is deleted (for example when someone asks
        # for their data to be erased), so whoever may delete that may delete them.
        return self._may(request, "delete", obj)

    def has_retry_permission(self, request):
        # Whoever may see the emails may hurry them along: it only sends what is already due.
        return self.has_view_permission(request)

    @admin.display(description="about")
    def about_link(self, obj):
        about = obj.about
        if about is None:
            return "Deleted"
        url = change_url(about, self.admin_site)
        return format_html('<a href="{}">{}</a>', url, about) if url else str(about)

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request, queryset):
        retry_selected(self, request, queryset)
