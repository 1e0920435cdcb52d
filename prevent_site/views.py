"""Site-wide pages: the home page and the pages every public-sector site must have, and the
admin's status page for the team."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from newsletters.models import Issue, Subscriber
from outbox import health as outbox_health
from outbox.models import OutboundEmail
from reports.models import Report
from resources.models import Audience, FundingScheme
from training.models import Event, TrainingRequest, Workshop

from . import health
from .models import JobRun


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


# Error pages name no canonical address: it would tell search engines the address is a page.
def page_not_found(request, exception):
    return render(request, "404.html", {"canonical_url": None}, status=404)


def permission_denied(request, exception):
    return render(request, "403.html", {"canonical_url": None}, status=403)


def server_error(request):
    # Rendered without the request, so no context processor or database query can fail again.
    return HttpResponseServerError(
        loader.get_template("500.html").render({"TEAM_EMAIL": settings.TEAM_EMAIL})
    )


# The scheduled commands docs/deployment.md asks for, and how often each should run.
SCHEDULED_JOBS = [
    ("send_pending_emails", "Every minute"),
    ("purge", "Daily"),
    ("purge_front_caches", "After each release"),
]


def status(request):
    """For staff: whether emails go out, when each scheduled job last ran, this month's
    figures. Served through admin.site.admin_view (prevent_site/urls.py)."""
    now = timezone.localtime()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    month_start = today.replace(day=1)
    runs = {run.name: run for run in JobRun.objects.all()}
    emails = OutboundEmail.objects.all()
    return render(
        request,
        "admin/status.html",
        {
            **admin.site.each_context(request),
            "title": "Site status",
            "warnings": health.warnings(),
            "emails_waiting": emails.waiting().count(),
            "emails_given_up": emails.given_up().count(),
            "emails_sent_today": emails.filter(sent_at__gte=today).count(),
            "worker_last_seen": outbox_health.worker_last_seen(),
            "monitor_checks": [
                (reverse("readyz-monitor", args=[name]), health.run_checks(name))
                for name in health.monitors()
            ],
            "jobs": [
                {"name": name, "schedule": schedule, "run": runs.get(name)}
                for name, schedule in SCHEDULED_JOBS
            ],
            "month_start": month_start,
            "training_requests": TrainingRequest.objects.received_since(month_start).count(),
            "reports": Report.objects.received_since(month_start).count(),
            "subscribers_confirmed": Subscriber.objects.confirmed()
            .filter(confirmed_at__gte=month_start)
            .count(),
        },
    )
