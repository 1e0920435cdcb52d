from django.contrib import admin

from .models import CommunityProject, Event, Testimonial, TrainingRequest, Workshop


class TestimonialInline(admin.TabularInline):
    model = Testimonial
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "short_name", "duration", "is_active", "status", "publish_at", "order"]
    list_filter = ["status", "is_active", "online", "in_person"]
    search_fields = ["title", "short_name", "summary", "audiences"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TestimonialInline]


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["quote", "attribution", "workshop"]
    list_filter = ["workshop"]
    search_fields = ["quote", "attribution"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "ends_at", "online", "status", "publish_at"]
    list_filter = ["status", "online"]
    search_fields = ["title", "organiser", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"


@admin.register(CommunityProject)
class CommunityProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "year_span", "delivery_partner", "order"]
    list_filter = ["year_span"]
    search_fields = ["title", "summary", "delivery_partner"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(TrainingRequest)
class TrainingRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "workshop", "organisation", "received_at", "status"]
    list_filter = ["status", "workshop", "sector"]
    search_fields = ["reference", "contact_name", "organisation", "email"]
    readonly_fields = ["reference", "received_at", "team_emailed_at", "requester_emailed_at"]
