"""Site-wide pages: the home page and the pages every public-sector site must have."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.generic import TemplateView

from newsletters.models import Issue
from resources.models import FundingScheme
from training.models import Event, Workshop


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest_issue=Issue.objects.archive().first(),
            workshops=Workshop.objects.published(),
            upcoming_events=Event.objects.upcoming()[:3],
            open_schemes=FundingScheme.objects.open_now(),
            **kwargs,
        )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request, so no context processor or database query can fail again.
    return HttpResponseServerError(
        loader.get_template("500.html").render({"TEAM_EMAIL": settings.TEAM_EMAIL})
    )
