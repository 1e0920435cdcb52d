from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .models import SearchLog, Synonym

# What the "Searches" page covers, and how many terms each of its tables lists at most.
SUMMARY_DAYS = 30
SUMMARY_TERMS = 50


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    """What people searched for, in two tables: the most frequent searches of the last 30 days
    and those that found nothing. Read-only for everyone; staff need "Can view search"."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        # The summary is the whole of it: no page for one logged search.
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        recent = SearchLog.objects.since(timezone.now() - timedelta(days=SUMMARY_DAYS))
        by_term = recent.values("term").annotate(searches=Count("pk")).order_by("-searches", "term")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Searches",
            "days": SUMMARY_DAYS,
            "total": recent.count(),
            "frequent": by_term.annotate(average_results=Avg("results"))[:SUMMARY_TERMS],
            "found_nothing": by_term.filter(results=0)[:SUMMARY_TERMS],
            "synonyms_url": reverse("admin:search_synonym_changelist"),
            "add_synonym_url": reverse("admin:search_synonym_add")
            if request.user.has_perm("search.add_synonym")
            else "",
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/search/searchlog/summary.html", context)


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """Other words for what people type, used by the next search on every server."""

    list_display = ["term", "alternatives"]
    search_fields = ["term", "alternatives"]
