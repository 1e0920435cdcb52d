from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from blocks.admin import (
    PUBLISHING_FIELDSET,
    PublicationFilter,
    PublishableAdmin,
    TranslatedAdmin,
    ViewOnSiteMixin,
)
from blocks.review_admin import ReviewedAdminMixin, ReviewFilter

from .models import Audience, Contact, FundingScheme, HelpRoute, ResourceLink, TeamMember, Topic

# The fieldset that tags an item with topics, in each content admin that has them (the field's
# help text says what it does).
TOPICS_FIELDSET = ("Topics", {"fields": ["topics"]})


@admin.register(Topic)
class TopicAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "order", "view_on_site_link"]
    list_editable = ["order"]
    # The content admins pick topics by typing part of a name, which searches these.
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TeamMember)
class TeamMemberAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["name", "role", "has_photo", "order", "view_on_site_link"]
    list_editable = ["order"]
    search_fields = ["name", "role", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "bio", "order"]}),
        ("Photo", {"fields": ["photo", "photo_alt", "photo_decorative"]}),
    ]

    @admin.display(description="photo", boolean=True)
    def has_photo(self, obj):
        return bool(obj.photo)


@admin.register(Contact)
class ContactAdmin(ReviewedAdminMixin, ViewOnSiteMixin, TranslatedAdmin):
    list_display = ["service", "email", "phone", "order", "next_review_on", "view_on_site_link"]
    list_editable = ["order"]
    list_filter = [ReviewFilter]
    search_fields = ["service", "email", "purpose"]
    prepopulated_fields = {"slug": ["service"]}


@admin.register(HelpRoute)
class HelpRouteAdmin(ReviewedAdminMixin, ViewOnSiteMixin, TranslatedAdmin):
    list_display = [
        "name",
        "part",
        "phone",
        "hours",
        "order",
        "next_review_on",
        "view_on_site_link",
    ]
    list_editable = ["order"]
    list_filter = ["part", ReviewFilter]
    search_fields = ["name", "description", "phone", "textphone", "email", "url"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "part", "description", "order"]}),
        (
            "How to reach it",
            {
                "description": "Fill in at least one. Copy numbers and addresses from the "
                "service's own page: never guess one.",
                "fields": ["phone", "textphone", "hours", "email", "url"],
            },
        ),
    ]


@admin.register(ResourceLink)
class ResourceLinkAdmin(ReviewedAdminMixin, ViewOnSiteMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "publisher",
        "category",
        "url",
        "order",
        "next_review_on",
        "view_on_site_link",
    ]
    list_editable = ["order"]
    list_filter = ["category", "publisher", "topics", ReviewFilter]
    search_fields = ["title", "publisher", "description", "url"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics"]


@admin.register(FundingScheme)
class FundingSchemeAdmin(ReviewedAdminMixin, PublishableAdmin):
    list_display = [
        "name",
        "opens_on",
        "closes_on",
        "application_state",
        "publication",
        "next_review_on",
        "view_on_site_link",
    ]
    list_filter = [PublicationFilter, "funder", "topics", ReviewFilter]
    search_fields = ["name", "summary", "funder"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["topics"]
    date_hierarchy = "closes_on"
    fieldsets = [
        (None, {"fields": ["name", "slug", "funder", "summary"]}),
        (
            "Details",
            {"fields": ["who_can_apply", "what_it_covers", "how_to_apply", "guidance_url"]},
        ),
        (
            "Application window",
            {
                "description": "“Open”, “Opens soon” or “Closed” is worked out from these dates.",
                "fields": ["opens_on", "closes_on"],
            },
        ),
        TOPICS_FIELDSET,
        PUBLISHING_FIELDSET,
    ]

    @admin.display(description="applications")
    def application_state(self, obj):
        return obj.state_label


@admin.register(Audience)
class AudienceAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "order", "view_on_site_link"]
    list_editable = ["order"]
    search_fields = ["name", "introduction"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["topics", "contacts"]
    readonly_fields = ["workshops_listed"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "introduction", "order"]}),
        (
            "What the page lists",
            {
                "description": "Besides its introduction, the page lists the workshops chosen "
                "for it, the contacts chosen here, and the upcoming events, resources, funding "
                "schemes and newsletter sections on its topics. Drafts are never listed.",
                "fields": ["workshops_listed", "topics", "contacts"],
            },
        ),
    ]

    # The choice is made on each workshop, where editors already say who it is for.
    @admin.display(description="workshops")
    def workshops_listed(self, obj):
        if obj.pk is None:
            return "Save the page first, then choose it on each workshop it should list."
        workshops = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:training_workshop_change", args=[w.pk]), w.title)
                for w in obj.workshops.all()
            ),
        )
        return format_html(
            "{}<p>To list a workshop here, or take one off, open the workshop and tick or untick "
            "this page under “Audience pages”.</p>",
            workshops or "None yet.",
        )
