"""The issue editor: issues with their sections, and sections on their own."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.urls import path
from django.views.decorators.http import require_POST

from blocks.admin import (
    PUBLISHING_FIELDSET,
    PublicationFilter,
    PublishableAdmin,
    ViewOnSiteMixin,
)
from resources.admin import TOPICS_FIELDSET

from .. import mailing
from ..models import Issue, Section
from . import mailing_console

SECTION_FIELDSETS = [
    (None, {"fields": ["order", "heading", "slug", "body"]}),
    ("Image", {"fields": ["image", "image_alt", "image_decorative"]}),
    (
        "Links to pages this section talks about",
        {
            "classes": ["collapse"],
            "description": "Readers get a link to the current page of each item chosen here.",
            "fields": Section.LINKED_ITEMS,
        },
    ),
    TOPICS_FIELDSET,
]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fieldsets = SECTION_FIELDSETS
    prepopulated_fields = {"slug": ["heading"]}
    # Picked by typing part of a name.
    autocomplete_fields = [*Section.LINKED_ITEMS, "topics"]


@admin.register(Issue)
class IssueAdmin(PublishableAdmin):
    list_display = [
        "title",
        "month_display",
        "volume",
        "section_count",
        "publication",
        "view_on_site_link",
    ]
    list_filter = [PublicationFilter, "status"]
    search_fields = ["title", "summary", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "month"
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "volume", "month", "summary"]}),
        ("Cover image", {"fields": ["cover_image", "cover_image_alt", "cover_image_decorative"]}),
        PUBLISHING_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(section_total=Count("sections"))

    @admin.display(description="month", ordering="month")
    def month_display(self, obj):
        return f"{obj.month:%B %Y}"

    @admin.display(description="sections", ordering="section_total")
    def section_count(self, obj):
        return obj.section_total

    # Sending an issue by email (newsletters.mailing): a test to oneself, the issue to every
    # subscriber, or its HTML for the council's own mailing tool (admin/mailing_console.py).

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/email/test/",
                view(require_POST(self.console(mailing_console.send_test))),
                name="{}_{}_send_test".format(*info),
            ),
            path(
                "<path:object_id>/email/send/",
                view(self.console(mailing_console.send_to_subscribers)),
                name="{}_{}_send".format(*info),
            ),
            path(
                "<path:object_id>/email/html/",
                view(self.console(mailing_console.email_html)),
                name="{}_{}_email_html".format(*info),
            ),
            *super().get_urls(),
        ]

    def console(self, view):
        def console_view(request, object_id):
            return view(request, object_id, model_admin=self)

        return console_view

    def can_send_to_subscribers(self, request, issue=None):
        return request.user.has_perm("newsletters.add_mailing")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, unquote(object_id))
        if issue is not None:
            extra_context = {
                **(extra_context or {}),
                "email_progress": mailing.progress(issue),
                "email_refusal": mailing_console.refusal(issue),
                "email_test_refusal": mailing_console.refusal(issue, test=True),
                "can_send_to_subscribers": self.can_send_to_subscribers(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Section)
class SectionAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["heading", "issue", "order", "view_on_site_link"]
    list_editable = ["order"]
    list_filter = ["issue", "topics"]
    list_select_related = ["issue"]
    search_fields = ["heading", "body", "issue__title"]
    prepopulated_fields = {"slug": ["heading"]}
    autocomplete_fields = ["issue", *Section.LINKED_ITEMS, "topics"]
    fieldsets = [(None, {"fields": ["issue"]}), *SECTION_FIELDSETS]
