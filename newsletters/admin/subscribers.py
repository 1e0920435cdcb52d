"""The subscriber list (personal data), with the CSV import screen (admin/subscriber_import.py)."""

from django.contrib import admin
from django.db import transaction
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format

from blocks.admin import GroupOnlyMixin, wrapping_address
from blocks.staff import StaffGroup
from outbox.admin import EmailsInline

from ..models import Delivery, FormerSubscriber, Subscriber
from . import subscriber_import


class UpdatesFilter(admin.SimpleListFilter):
    title = "updates"
    parameter_name = "update"

    def lookups(self, request, model_admin):
        return [*Subscriber.Update.choices, ("issues_only", "New issues only")]

    def queryset(self, request, queryset):
        if self.value() == "issues_only":
            return queryset.issues_only()
        if self.value() in Subscriber.Update.values:
            return queryset.wanting(self.value())
        return queryset


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["issue", "queued"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "issues sent to this address"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="queued for sending")
    def queued(self, delivery):
        return date_format(timezone.localtime(delivery.created_at), "j M Y, H:i")


class SubscriberEmailsInline(EmailsInline):
    kinds = Subscriber.EmailKind
    verbose_name_plural = "emails about this subscription"


@admin.register(Subscriber)
class SubscriberAdmin(GroupOnlyMixin, admin.ModelAdmin):
    # The subscriber list is personal data: this group and superusers only.
    staff_group = StaffGroup.SUBSCRIBER_MANAGERS
    # The address may wrap, so the list fits beside the side menu at 1280 pixels.
    list_display = ["email_address", "status", "updates", "source", "signed_up", "confirmed"]
    list_filter = ["status", UpdatesFilter, "source"]
    search_fields = ["email"]
    view_on_site = False
    inlines = [DeliveryInline, SubscriberEmailsInline]
    fieldsets = [
        (None, {"fields": ["email", "status", "created_at", "confirmed_at"]}),
        (
            "Updates",
            {
                "description": "Every subscriber receives each new issue of the newsletter.",
                "fields": Subscriber.Update.values,
            },
        ),
        ("Where the address came from", {"fields": ["source", "lawful_basis"]}),
    ]
    # Only the updates can be changed here. An address is added with its owner's confirmation
    # (the sign-up form) or with the list it came from (the import), and is never retyped: a
    # wrong one is deleted and added again that way.
    readonly_fields = ["email", "status", "created_at", "confirmed_at", "source", "lawful_basis"]

    def has_add_permission(self, request, *args):
        return False

    def has_import_permission(self, request):
        # The permission to add subscribers, which this admin uses only for the import.
        return super().has_add_permission(request)

    @admin.display(description="email address", ordering="email")
    def email_address(self, subscriber):
        return wrapping_address(subscriber.email)

    @admin.display(description="updates")
    def updates(self, subscriber):
        # Besides new issues, which everyone receives.
        chosen = [update.label.lower() for update in subscriber.updates]
        return ", ".join(chosen).capitalize() if chosen else "New issues only"

    # Dates without times, so that the list fits beside the menu and the filters.
    @admin.display(description="signed up", ordering="created_at")
    def signed_up(self, subscriber):
        return date_format(timezone.localtime(subscriber.created_at), "j M Y")

    @admin.display(description="confirmed", ordering="confirmed_at")
    def confirmed(self, subscriber):
        if subscriber.confirmed_at:
            return date_format(timezone.localtime(subscriber.confirmed_at), "j M Y")
        return None

    def delete_model(self, request, obj):
        self.delete_queryset(request, Subscriber.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        """Each one leaves, as by their own unsubscribe link: their emails go, and only the
        address's hash stays (and the admin's history no longer names the address)."""
        with transaction.atomic():
            for subscriber in queryset:
                subscriber.leave()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import": self.has_import_permission(request),
        }
        if request.user.has_perm("newsletters.view_formersubscriber"):
            extra_context["former_count"] = FormerSubscriber.objects.count()
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        import_path = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="newsletters_subscriber_import",
        )
        return [import_path, *super().get_urls()]

    def import_view(self, request):
        return subscriber_import.import_view(request, model_admin=self)
