"""Admin building blocks every content app uses. Registers nothing and imports no app."""

import csv
import weakref

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from .publishing import Status

# Signed-in staff see the team's name, not "Django administration".
admin.site.site_header = "Westminster Prevent team: site editor"
admin.site.site_title = "Prevent site editor"
admin.site.index_title = "Pages and content"


# A list must fit beside the side menu and the filters at 1280 pixels: these let a column of
# times or addresses wrap, where Django would keep a date or a long address on one line.
def wrapping_time(value):
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def wrapping_address(address):
    """An email address that may wrap after its @ and its dots."""
    return mark_safe(escape(address).replace("@", "@<wbr>").replace(".", ".<wbr>"))


PUBLISHING_FIELDSET = (
    "Publishing",
    {
        "description": "Save as a draft and use “View on site” to preview it. "
        "Choose “Published” and a date to schedule it.",
        "fields": ["status", "publish_at"],
    },
)


class PublicationFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Live")]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "draft":
                return queryset.exclude(status=Status.PUBLISHED)
            case "scheduled":
                return queryset.filter(status=Status.PUBLISHED, publish_at__gt=now)
            case "live":
                return queryset.published()
        return queryset


class ViewOnSiteMixin:
    """A "View on site" link in each row of a list, as the change form already has."""

    @admin.display(description="on the site")
    def view_on_site_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank">View on site<span class="visually-hidden"> ({})</span>'
            "</a>",
            obj.get_absolute_url(),
            obj,
        )


class PublishableAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    """Lists show whether each item is a draft, scheduled or live; "Publish now" makes the
    selected items live at once. Drafts open from "View on site" as a preview for staff."""

    actions = ["publish_now"]

    @admin.display(description="publication", ordering="publish_at")
    def publication(self, obj):
        return obj.publication_label

    @admin.action(description="Publish now", permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        published = 0
        for obj in queryset:
            if obj.is_public:
                continue
            obj.status = Status.PUBLISHED
            obj.publish_at = min(obj.publish_at, now)
            obj.save(update_fields=["status", "publish_at"])
            # Recorded in the item's history like any other change.
            self.log_change(request, obj, [{"changed": {"fields": ["Status", "Publish at"]}}])
            published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "Published %(count)d item: now visible to the public.",
                    "Published %(count)d items: now visible to the public.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "The selected items were already live.", messages.INFO)


def in_group(user, group_name):
    """Whether ``user`` is a superuser, or active staff in the group ``group_name``."""
    if user.is_superuser:
        return True
    if not (user.is_active and user.is_staff):
        return False
    return group_name in _group_names(user)


# Asked for every model on every admin page (the menu lists them all): a user's groups are read
# once for each user object (one a request), as Django's ModelBackend reads their permissions
# once, and forgotten with it.
_groups_read = {}


def _group_names(user):
    key = id(user)
    if key not in _groups_read:
        _groups_read[key] = frozenset(user.groups.values_list("name", flat=True))
        weakref.finalize(user, _groups_read.pop, key, None)
    return _groups_read[key]


class GroupOnlyMixin:
    """Personal data: only superusers and staff in the group ``staff_group`` see it.

    Model permissions alone are not enough: a group made for editors could be given every
    permission of an app without anyone meaning to share its personal data with it.
    """

    staff_group = None  # the group's name, given by the app's admin class

    def in_staff_group(self, request):
        return in_group(request.user, self.staff_group)

    def has_view_permission(self, request, obj=None):
        return self.in_staff_group(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.in_staff_group(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.in_staff_group(request) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self.in_staff_group(request) and super().has_add_permission(request, *args)


# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_download(filename, columns, objects):
    """A CSV file of ``objects`` to download, one row each, safe to open in a spreadsheet.

    ``columns`` is a list of (heading, function of an object giving the cell).
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte-order mark makes Excel read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([heading for heading, _ in columns])
    for obj in objects:
        writer.writerow([spreadsheet_safe(value(obj)) for _, value in columns])
    return response
