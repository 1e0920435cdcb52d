"""Site-wide pages: the home page and the pages every public-sector site must have."""

from datetime import date, datetime

from django.conf import settings
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from newsletters.models import Issue
from resources.models import FundingScheme
from training.models import Event, Workshop

from .prepared import PreparedQuery

# The home page's queries: the same on every request but for the time, so their SQL is worked
# out once (see prevent_site/prepared.py).
LATEST_ISSUE = PreparedQuery(lambda now: Issue.objects.archive(now)[:1], now=datetime)
WORKSHOPS = PreparedQuery(lambda now: Workshop.objects.published(now), now=datetime)
UPCOMING_EVENTS = PreparedQuery(lambda now: Event.objects.upcoming(now)[:3], now=datetime)
OPEN_SCHEMES = PreparedQuery(
    lambda now, today: FundingScheme.objects.open_now(today, now), now=datetime, today=date
)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        today = timezone.localdate(now)
        [latest_issue] = LATEST_ISSUE(now=now) or [None]
        return super().get_context_data(
            latest_issue=latest_issue,
            workshops=WORKSHOPS(now=now),
            upcoming_events=UPCOMING_EVENTS(now=now),
            open_schemes=OPEN_SCHEMES(now=now, today=today),
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
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request, so no context processor or database query can fail again.
    return HttpResponseServerError(
        loader.get_template("500.html").render({"TEAM_EMAIL": settings.TEAM_EMAIL})
    )
