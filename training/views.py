from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from prevent_site.publishing import PreviewMixin

from . import ics
from .models import CommunityProject, Event, Workshop


class WorkshopListView(ListView):
    context_object_name = "workshops"

    def get_queryset(self):
        return Workshop.objects.published()


class WorkshopDetailView(PreviewMixin, DetailView):
    context_object_name = "workshop"

    def get_queryset(self):
        # PreviewMixin keeps this to published workshops for everyone but signed-in staff.
        return Workshop.objects.prefetch_related("testimonials")


class EventListView(TemplateView):
    template_name = "training/event_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            upcoming=Event.objects.upcoming(), past=Event.objects.past(), **kwargs
        )


class EventDetailView(PreviewMixin, DetailView):
    context_object_name = "event"

    def get_queryset(self):
        # PreviewMixin keeps this to published events for everyone but signed-in staff.
        return Event.objects.select_related("workshop", "funding_scheme")


def event_ics(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    response = HttpResponse(
        ics.calendar_for(event, request.build_absolute_uri(event.get_absolute_url())),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


class CommunityProjectListView(ListView):
    model = CommunityProject
    context_object_name = "projects"


class CommunityProjectDetailView(DetailView):
    context_object_name = "project"
    queryset = CommunityProject.objects.select_related("workshop")
