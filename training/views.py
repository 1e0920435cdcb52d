from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from blocks.publishing import PreviewMixin
from blocks.submissions import PublicFormView, SentView

from . import emails, ics
from .forms import TrainingRequestForm
from .models import CommunityProject, Event, TrainingRequest, Workshop


class WorkshopListView(ListView):
    context_object_name = "workshops"

    def get_queryset(self):
        return Workshop.objects.published()


class WorkshopDetailView(PreviewMixin, DetailView):
    context_object_name = "workshop"

    def get_queryset(self):
        # PreviewMixin keeps this to published workshops for everyone but signed-in staff.
        return Workshop.objects.prefetch_related("testimonials", "topics")


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
        return Event.objects.select_related("workshop", "funding_scheme").prefetch_related("topics")


@require_safe
def event_ics(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    response = HttpResponse(
        ics.calendar_for(event),
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


class TrainingRequestCreateView(PublicFormView):
    form_class = TrainingRequestForm
    template_name = "training/trainingrequest_form.html"
    success_url = reverse_lazy("training:request-done")
    rate_limit_setting = "TRAINING_REQUEST_RATE_LIMIT"
    rate_limit_scope = "training-request"
    things_sent = ("request", "requests")
    over_limit_message = ngettext_lazy(
        "You have sent %(limit)d request in the last hour, which is our limit. Wait an hour and "
        "try again, or email %(email)s.",
        "You have sent %(limit)d requests in the last hour, which is our limit. Wait an hour and "
        "try again, or email %(email)s.",
        "limit",
    )
    used_tokens_key = "training_request_used_tokens"
    sent_session_key = "training_request_sent"

    def get_initial(self):
        # Workshop pages link here with ?workshop=<slug> to pre-select it.
        return {**super().get_initial(), "workshop": self.request.GET.get("workshop")}

    def form_valid(self, form):
        # The team reads it in English; the requester's acknowledgement is in this.
        form.instance.language = translation.get_language()
        return super().form_valid(form)

    def queue_emails(self, submission):
        emails.queue_emails(submission)


class TrainingRequestSentView(SentView):
    form_view = TrainingRequestCreateView
    form_url = "training:request"
    queryset = TrainingRequest.objects.select_related("workshop")
    context_object_name = "training_request"
    template_name = "training/trainingrequest_done.html"
