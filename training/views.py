from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from blocks.errorpages import NOT_A_PAGE
from blocks.publishing import PreviewMixin
from blocks.submissions import PublicFormView, SentView

from . import emails, ics
from .forms import FeedbackForm, TrainingRequestForm
from .models import CommunityProject, Event, Feedback, Session, TrainingRequest, Workshop


class WorkshopListView(ListView):
    context_object_name = "workshops"

    def get_queryset(self):
        return Workshop.objects.published()


class WorkshopDetailView(PreviewMixin, DetailView):
    context_object_name = "workshop"

    def get_queryset(self):
        # PreviewMixin keeps this to published workshops for everyone but signed-in staff.
        return Workshop.objects.prefetch_related("testimonials", "topics")

    def get_context_data(self, **kwargs):
        # Quotes from the feedback form that the team approved, newest first, before the
        # printed ones.
        quotes = Feedback.objects.published_quotes().filter(session__workshop=self.object)
        return super().get_context_data(feedback_quotes=quotes, **kwargs)


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

    def queue_emails(self, submission):
        emails.queue_emails(submission)


class TrainingRequestSentView(SentView):
    form_view = TrainingRequestCreateView
    form_url = "training:request"
    queryset = TrainingRequest.objects.select_related("workshop")
    context_object_name = "training_request"
    template_name = "training/trainingrequest_done.html"


def session_taking_feedback(code):
    """The session whose feedback address this is: 404 for a code that was never given. (Once
    its form has closed, the form answers 410 with the closed page.)"""
    session = Session.objects.select_related("workshop").filter(feedback_code=code).first()
    if session is None:
        raise Http404("No session has this feedback address")
    return session


class FeedbackCreateView(PublicFormView):
    form_class = FeedbackForm
    template_name = "training/feedback_form.html"
    rate_limit_setting = "FEEDBACK_RATE_LIMIT"
    rate_limit_scope = "feedback"
    things_sent = ("feedback form", "feedback forms")
    used_tokens_key = "feedback_used_tokens"
    sent_session_key = "feedback_sent"

    def dispatch(self, request, *args, code, **kwargs):
        self.session = session_taking_feedback(code)
        self.success_url = reverse("training:feedback-thanks", kwargs={"code": code})
        if not self.session.feedback_open:
            return TemplateResponse(
                request,
                "training/feedback_closed.html",
                {**NOT_A_PAGE, "session": self.session},
                status=410,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)

    def save_submission(self, form):
        form.instance.session = self.session
        return super().save_submission(form)

    def queue_emails(self, submission):
        """Feedback is anonymous: nobody is emailed about it."""


class FeedbackSentView(SentView):
    """The thanks for feedback on this session, to the browser that just sent it."""

    form_view = FeedbackCreateView
    template_name = "training/feedback_done.html"
    context_object_name = "feedback"

    def get(self, request, *args, code, **kwargs):
        self.session = session_taking_feedback(code)
        self.queryset = Feedback.objects.filter(session=self.session)
        self.form_url = reverse("training:feedback", kwargs={"code": code})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)
