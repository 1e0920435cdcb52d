from django.contrib import admin

from .models import Contact, FundingScheme, ResourceLink, TeamMember


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "order"]
    list_editable = ["order"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["service", "email", "phone", "order"]
    list_editable = ["order"]
    search_fields = ["service", "email", "purpose"]
    prepopulated_fields = {"slug": ["service"]}


@admin.register(ResourceLink)
class ResourceLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "category", "url", "order"]
    list_editable = ["order"]
    list_filter = ["category"]
    search_fields = ["title", "publisher", "description", "url"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(FundingScheme)
class FundingSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "opens_on", "closes_on", "application_state", "status", "publish_at"]
    list_filter = ["status"]
    search_fields = ["name", "summary", "funder"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "closes_on"

    @admin.display(description="applications")
    def application_state(self, obj):
        return obj.state_label
