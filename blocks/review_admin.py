"""The admin of a model with review dates (``blocks.reviews.Reviewed``): its "Review" fieldset,
a list filter for items due, "Mark as checked" in lists and "Save and mark as checked" on an
item's page."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from . import reviews

REVIEW_FIELDS = ["next_review_on", "last_checked"]
REVIEW_FIELDSET = (
    "Review",
    {
        "description": "When you have checked that everything here is still right (numbers, "
        "addresses, dates, links), press “Save and mark as checked” below.",
        "fields": REVIEW_FIELDS,
    },
)
# The change form's button (templates/admin/submit_line.html): saves, then marks it checked.
MARK_CHECKED = "_mark_checked"
CHECKED_MESSAGE = [{"changed": {"fields": ["Last checked", "Next review"]}}]


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due or overdue"), ("month", "Due within a month")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "due":
                return queryset.filter(next_review_on__lte=today)
            case "month":
                return queryset.filter(next_review_on__lte=reviews.due_soon_by(today))
        return queryset


class ReviewedAdminMixin:
    """For the admin of a ``blocks.reviews.Reviewed`` model: a "Review" fieldset (the next review
    day, who checked it last), "Mark as checked" for the selected items of a list, and "Save and
    mark as checked" on an item's page. Each check is in the item's history."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in REVIEW_FIELDS]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, REVIEW_FIELDSET]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "last_checked"]

    @admin.display(description="last checked")
    def last_checked(self, obj):
        return obj.last_checked_words if obj.pk else "When you save it (adding an item checks it)"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # After the admin's own actions; Django offers it in lists only (an item's page has its
        # "Save and mark as checked" button), to those who may change the items.
        if self.actions is not None:
            self.actions = [*self.actions, "mark_checked"]

    @admin.action(description="Mark as checked", permissions=["change"])
    def mark_checked(self, request, queryset):
        now = timezone.now()
        count = 0
        for obj in queryset:
            obj.mark_checked(request.user, now)
            self.log_change(request, obj, CHECKED_MESSAGE)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Marked %(count)d item as checked.",
                "Marked %(count)d items as checked.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_mark_checked": True}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.last_checked_by = request.user  # whoever adds an item has checked it
        elif MARK_CHECKED in request.POST:
            chosen = obj.next_review_on if "next_review_on" in form.changed_data else None
            obj.record_check(request.user)
            # A day the editor chose in the same save wins over the usual period.
            obj.next_review_on = chosen or obj.next_review_on
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if not add and MARK_CHECKED in request.POST:
            message = [*message, *CHECKED_MESSAGE]
        return message

    def response_change(self, request, obj):
        if MARK_CHECKED not in request.POST:
            return super().response_change(request, obj)
        self.message_user(
            request,
            format_html(
                "“{}” was saved and marked as checked: its next review is on {}.",
                obj,
                f"{obj.next_review_on:%-d %B %Y}",
            ),
            messages.SUCCESS,
        )
        # Back to the item, where the new dates show.
        return HttpResponseRedirect(request.path)
