from django.contrib import admin

from .models import Issue, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    prepopulated_fields = {"slug": ["heading"]}


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "volume", "month", "status", "publish_at"]
    list_filter = ["status"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "month"
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "issue", "order"]
    list_filter = ["issue"]
    search_fields = ["heading", "body"]
    prepopulated_fields = {"slug": ["heading"]}
