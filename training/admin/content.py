"""The training offer's public content: workshops with their testimonials, events and
community projects."""

from django import forms
from django.contrib import admin
from django.utils.text import Truncator

from blocks.admin import (
    PUBLISHING_FIELDSET,
    PublicationFilter,
    PublishableAdmin,
    ViewOnSiteMixin,
)
from blocks.review_admin import ReviewedAdminMixin, ReviewFilter
from resources.admin import TOPICS_FIELDSET

from ..models import CommunityProject, Event, Testimonial, Workshop


class TestimonialInline(admin.TabularInline):
    model = Testimonial
    extra = 0
    fields = ["quote", "attribution", "order"]


@admin.register(Workshop)
class WorkshopAdmin(ReviewedAdminMixin, PublishableAdmin):
    list_display = [
        "title",
        "short_name",
        "duration",
        "is_active",
        "publication",
        "order",
        "next_review_on",
        "view_on_site_link",
    ]
    list_editable = ["order"]
    list_filter = [PublicationFilter, "is_active", "online", "in_person", "topics", ReviewFilter]
    search_fields = ["title", "short_name", "summary", "who_it_is_for"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics"]
    inlines = [TestimonialInline]
    fieldsets = [
        (None, {"fields": ["title", "short_name", "slug", "summary", "body"]}),
        (
            "Facts",
            {
                "fields": [
                    "who_it_is_for",
                    "duration",
                    "online",
                    "in_person",
                    "cost",
                    "learning_outcomes",
                    "partner",
                ]
            },
        ),
        ("Listing", {"fields": ["is_active", "order", "audience_pages"]}),
        TOPICS_FIELDSET,
        PUBLISHING_FIELDSET,
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A handful of audience pages: ticking boxes is the plainest way to choose them.
        if db_field.name == "audience_pages":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Testimonial)
class TestimonialAdmin(ViewOnSiteMixin, admin.ModelAdmin):
    list_display = ["short_quote", "attribution", "workshop", "order", "view_on_site_link"]
    list_editable = ["order"]
    list_filter = ["workshop"]
    list_select_related = ["workshop"]
    search_fields = ["quote", "attribution"]

    @admin.display(description="quote", ordering="quote")
    def short_quote(self, obj):
        return Truncator(obj.quote).chars(80)


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    list_display = ["title", "starts_at", "ends_at", "online", "publication", "view_on_site_link"]
    list_filter = [PublicationFilter, "online", "workshop", "topics"]
    search_fields = ["title", "organiser", "description", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    autocomplete_fields = ["workshop", "funding_scheme", "topics"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "starts_at", "ends_at", "description"]}),
        ("Where and how to book", {"fields": ["online", "venue", "organiser", "booking_url"]}),
        ("Related pages", {"fields": ["workshop", "funding_scheme"]}),
        TOPICS_FIELDSET,
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
