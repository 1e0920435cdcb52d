"""Admin building blocks every content app uses. Imports no app, and registers only the
building blocks' own models: the statutory pages, the checked translations and the pages'
introductions."""

import csv
import weakref
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from . import languages, reviews
from .models import PageIntroduction, StatutoryPage, TranslationCheck
from .publishing import Status
from .review_admin import ReviewedAdminMixin, ReviewFilter

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


class TranslatedAdmin(TranslationAdmin):
    """django-modeltranslation's admin: each translated field once for each language, English
    first, in the same form (no tabs: those need scripts from another site, which the security
    policy refuses). Each language's box is marked with its language and direction, so Arabic
    is typed and read right to left, and a screen reader reads each box in its language."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)  # set on a language's column only
        if field is not None and language:
            field.widget.attrs["lang"] = languages.html_lang(language)
            field.widget.attrs["dir"] = languages.html_dir(language)
        return field


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


def change_url(obj, site=None):
    """The address of ``obj``'s page in the admin (``site``, admin.site unless given), or ""
    where the admin has none."""
    site = site or admin.site
    meta = obj._meta
    try:
        return reverse(
            f"{site.name}:{meta.app_label}_{meta.model_name}_change", args=[quote(obj.pk)]
        )
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class DueItem:
    """An item due for review, as the admin's home page lists it."""

    item: object
    kind: str
    change_url: str

    @property
    def overdue_days(self):
        return (timezone.localdate() - self.item.next_review_on).days


def due_for_review(request, site=None):
    """The items due for review today or before, of the models ``request.user`` may change in
    the admin, the longest overdue first. One query for each such model."""
    site = site or admin.site
    models = [
        model
        for model in reviews.registered_models()
        if site.is_registered(model) and site.get_model_admin(model).has_change_permission(request)
    ]
    return [
        DueItem(item, item._meta.verbose_name, change_url(item, site))
        for item in reviews.due_by(timezone.localdate(), models)
    ]


@admin.register(StatutoryPage)
class StatutoryPageAdmin(ReviewedAdminMixin, ViewOnSiteMixin, admin.ModelAdmin):
    """Their words are in templates (a developer changes them); the team records checks here."""

    list_display = ["title", "next_review_on", "view_on_site_link"]
    list_filter = [ReviewFilter]
    readonly_fields = ["title", "where_its_words_are"]
    fieldsets = [(None, {"fields": ["title", "where_its_words_are"]})]

    @admin.display(description="its words")
    def where_its_words_are(self, obj):
        return format_html(
            "In <code>templates/{}</code>: ask a developer to change them, and to update any "
            "date the page gives for its own review. The summary at its top, in each language, "
            'is in <a href="{}">Page introductions</a>.',
            obj.template,
            reverse("admin:prevent_site_pageintroduction_changelist"),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TranslationCheckForm(forms.ModelForm):
    class Meta:
        model = TranslationCheck
        fields = ["page", "language", "checked_by", "checked_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The pages and languages of now, not of when a migration ran.
        pages = sorted(languages.translated_pages().items(), key=lambda item: item[1])
        self.fields["page"].widget = forms.Select(choices=[(name, label) for name, label in pages])
        self.fields["language"].widget = forms.Select(choices=languages.other_languages())


@admin.register(TranslationCheck)
class TranslationCheckAdmin(admin.ModelAdmin):
    form = TranslationCheckForm
    list_display = ["page_name", "language_name", "checked_by", "checked_on"]
    list_filter = ["language"]

    @admin.display(description="page", ordering="page")
    def page_name(self, obj):
        return languages.translated_pages().get(obj.page, obj.page)

    @admin.display(description="language", ordering="language")
    def language_name(self, obj):
        return dict(languages.other_languages()).get(obj.language, obj.language)


@admin.register(PageIntroduction)
class PageIntroductionAdmin(ViewOnSiteMixin, TranslatedAdmin):
    """Each language beside English. One row a page, made by the migrations: the team changes
    the words, and neither adds nor deletes a page."""

    list_display = ["name", "view_on_site_link"]
    fields = ["name", "text"]
    readonly_fields = ["name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
