from django.contrib import admin

from prevent_site.admin import (
    PUBLISHING_FIELDSET,
    PublicationFilter,
    PublishableAdmin,
    ViewOnSiteMixin,
)

from .models import CommunityProject, Event, Testimonial, TrainingRequest, Workshop


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


@admin.register(TrainingRequest)
class TrainingRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "workshop", "organisation", "received_at", "status"]
    list_filter = ["status", "workshop", "sector"]
    search_fields = ["reference", "contact_name", "organisation", "email"]
    readonly_fields = ["reference", "received_at", "team_emailed_at", "requester_emailed_at"]
