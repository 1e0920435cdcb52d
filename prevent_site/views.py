"""Site-wide pages: the home page and the pages every public-sector site must have, and the
admin's status page for the team."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from blocks import health
from blocks import status as site_status
from blocks.errorpages import ERROR_PAGE
from blocks.models import JobRun
from newsletters.models import Issue
from resources.models import Audience, FundingScheme
from training.models import Event, Workshop


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest_issue=Issue.objects.archive().first(),
            workshops=Workshop.objects.published(),
            upcoming_events=Event.objects.upcoming()[:3],
            open_schemes=FundingScheme.objects.open_now(),
            audiences=Audience.objects.all(),
            **kwargs,
        )


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": settings.SITE_URL + "/sitemap.xml"},
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real file.

    Temporary (302), because the file's address changes with its content in production.
    """
    return HttpResponseRedirect(static("images/favicon.ico"))


def page_not_found(request, exception):
    return render(request, "404.html", ERROR_PAGE, status=404)


def permission_denied(request, exception):
    return render(request, "403.html", ERROR_PAGE, status=403)


def server_error(request):
    # Rendered without the request, so no context processor or database query can fail again.
    return HttpResponseServerError(
        loader.get_template("500.html").render({"TEAM_EMAIL": settings.TEAM_EMAIL})
    )


def status(request):
    """For staff: the figures and scheduled jobs each app registers (blocks/status.py),
    and the checks monitoring reads. Served through admin.site.admin_view (prevent_site/urls.py)."""
    runs = {run.name: run for run in JobRun.objects.all()}
    return render(
        request,
        "admin/status.html",
        {
            **admin.site.each_context(request),
            "title": "Site status",
            "warnings": health.warnings(),
            "tables": site_status.tables(),
            "monitor_checks": [
                (reverse("readyz-monitor", args=[name]), health.run_checks(name))
                for name in health.monitors()
            ],
            "jobs": [
                {"name": name, "schedule": schedule, "run": runs.get(name)}
                for name, schedule in site_status.jobs()
            ],
        },
    )
