"""The two emails a training request sends: the team's, with every detail, and the requester's
acknowledgement. Both go through the outbox (outbox.sending), in the request's transaction."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from blocks.validators import one_line
from outbox import sending
from outbox.models import OutboundEmail

from . import qr
from .models import Session, TrainingRequest


def queue_emails(training_request):
    """Write the team's email and the requester's acknowledgement to the outbox."""
    context = {
        "training_request": training_request,
        "admin_url": settings.SITE_URL
        + reverse("admin:training_trainingrequest_change", args=[training_request.pk]),
        "site_url": settings.SITE_URL,
        "team_email": settings.TEAM_EMAIL,
    }
    workshop = training_request.workshop.title if training_request.workshop else "not sure yet"
    # The team's email in English whatever the form's language, with the requester's words as
    # they wrote them; the acknowledgement in the language they read the form in.
    with translation.override(settings.LANGUAGE_CODE):
        team = OutboundEmail(
            about=training_request,
            kind=TrainingRequest.EmailKind.TEAM,
            to=settings.TEAM_EMAIL,
            reply_to=training_request.email,
            subject=one_line(
                f"Training request {training_request.reference} from "
                f"{training_request.organisation} ({workshop})"
            ),
            text=render_to_string("emails/training_request_team.txt", context),
            html=render_to_string("emails/training_request_team.html", context),
        )
    # Only the reference and the workshop go back to the requester: the address was typed by
    # whoever filled in the form, so none of their free text is echoed to it.
    with translation.override(training_request.language):
        acknowledgement = OutboundEmail(
            about=training_request,
            kind=TrainingRequest.EmailKind.REQUESTER,
            to=training_request.email,
            reply_to=settings.TEAM_EMAIL,
            subject=one_line(
                gettext("We have received your training request %(reference)s")
                % {"reference": training_request.reference}
            ),
            text=render_to_string("emails/training_request_received.txt", context),
            html=render_to_string("emails/training_request_received.html", context),
        )
    return sending.queue(team, acknowledgement)


def queue_feedback_link(session):
    """Write the organiser's email with the session's feedback address to the outbox."""
    context = {
        "session": session,
        "feedback_url": qr.feedback_address(session),
        "site_url": settings.SITE_URL,
        "team_email": settings.TEAM_EMAIL,
    }
    workshop = session.workshop.short_name or session.workshop.title
    email = OutboundEmail(
        about=session,
        kind=Session.EmailKind.FEEDBACK_LINK,
        to=session.organiser_email,
        reply_to=settings.TEAM_EMAIL,
        subject=one_line(f"Your {workshop} session: please share the feedback link"),
        text=render_to_string("emails/feedback_link.txt", context),
        html=render_to_string("emails/feedback_link.html", context),
    )
    return sending.queue(email)
