from django.contrib import admin
from django.db.models import Count

from prevent_site.admin import (
    PUBLISHING_FIELDSET,
    PublicationFilter,
    PublishableAdmin,
    ViewOnSiteMixin,
)

from .models import Issue, Section

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
]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fieldsets = SECTION_FIELDSETS
    prepopulated_fields = {"slug": ["heading"]}
    # Picked by typing part of a name.
    autocomplete_fields = Section.LINKED_ITEMS


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


@admin.register(Section)
class SectionAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["heading", "issue", "order", "view_on_site_link"]
    list_editable = ["order"]
    list_filter = ["issue"]
    list_select_related = ["issue"]
    search_fields = ["heading", "body", "issue__title"]
    prepopulated_fields = {"slug": ["heading"]}
    autocomplete_fields = ["issue", *Section.LINKED_ITEMS]
    fieldsets = [(None, {"fields": ["issue"]}), *SECTION_FIELDSETS]
