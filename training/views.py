from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.generic import CreateView, DetailView, ListView, TemplateView

from prevent_site import ratelimit, receipt
from prevent_site.publishing import PreviewMixin
from prevent_site.resubmission import SendOnceMixin

from . import emails, ics
from .forms import TrainingRequestForm
from .models import CommunityProject, Event, TrainingRequest, Workshop

# Where the session remembers the request this browser sent (prevent_site.receipt).
SESSION_KEY = "training_request_sent"
# What the rate limit counts requests under (settings.TRAINING_REQUEST_RATE_LIMIT an hour).
RATE_LIMIT_SCOPE = "training-request"


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


# Each visitor's own form (its token, what they typed): no shared cache may keep it.
@method_decorator(cache_control(private=True), name="dispatch")
class TrainingRequestCreateView(SendOnceMixin, CreateView):
    form_class = TrainingRequestForm
    template_name = "training/trainingrequest_form.html"
    success_url = reverse_lazy("training:request-done")
    used_tokens_key = "training_request_used_tokens"

    def get_initial(self):
        # Workshop pages link here with ?workshop=<slug> to pre-select it.
        return {**super().get_initial(), "workshop": self.request.GET.get("workshop")}

    def form_valid(self, form):
        refused = ratelimit.refuse_over_limit(
            self,
            form,
            RATE_LIMIT_SCOPE,
            settings.TRAINING_REQUEST_RATE_LIMIT,
            ("request", "requests"),
        )
        if refused:
            return refused
        # The request is saved, with its emails in the outbox, before any email is tried: the
        # worker sends them once this commits.
        with transaction.atomic():
            self.object = form.save(commit=False)
            self.object.assign_reference()
            self.object.save()
            emails.queue_emails(self.object)
        receipt.remember_sent(self.request.session, SESSION_KEY, self.object)
        self.remember_token()
        return HttpResponseRedirect(self.get_success_url())


@require_safe
@never_cache
def training_request_done(request):
    training_request = (
        TrainingRequest.objects.select_related("workshop")
        .filter(pk=receipt.recently_sent_id(request.session, SESSION_KEY))
        .first()
    )
    if training_request is None:
        return redirect("training:request")
    return render(
        request, "training/trainingrequest_done.html", {"training_request": training_request}
    )
