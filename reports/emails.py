"""The emails a report sends: the team's, with what was reported, and, when the reporter gave an
address, an acknowledgement. Both go through the outbox (outbox.sending), in the report's
transaction."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from blocks.validators import one_line
from outbox import sending
from outbox.models import OutboundEmail

from .models import Report


def queue_emails(report, photo_count=0):
    """Write the team's email, and the reporter's acknowledgement if they gave an address, to
    the outbox."""
    context = {
        "report": report,
        "photo_count": photo_count,
        "admin_url": settings.SITE_URL + reverse("admin:reports_report_change", args=[report.pk]),
        "site_url": settings.SITE_URL,
        "team_email": settings.TEAM_EMAIL,
    }
    # The team's email in English whatever the form's language, with the reporter's words as
    # they wrote them; the acknowledgement in the language they read the form in.
    with translation.override(settings.LANGUAGE_CODE):
        team_email = OutboundEmail(
            about=report,
            kind=Report.EmailKind.TEAM,
            to=settings.TEAM_EMAIL,
            reply_to=report.email,
            subject=one_line(
                f"Report {report.reference}: {report.what_was_seen.lower()}, {report.place}",
                max_length=120,
            ),
            text=render_to_string("emails/report_team.txt", context),
            html=render_to_string("emails/report_team.html", context),
        )
    emails = [team_email]
    if report.email:
        # Only the reference goes back: the address was typed by whoever filled in the form,
        # so none of their free text is echoed to it.
        with translation.override(report.language):
            emails.append(
                OutboundEmail(
                    about=report,
                    kind=Report.EmailKind.REPORTER,
                    to=report.email,
                    reply_to=settings.TEAM_EMAIL,
                    subject=one_line(
                        gettext("We have received your report %(reference)s")
                        % {"reference": report.reference}
                    ),
                    text=render_to_string("emails/report_received.txt", context),
                    html=render_to_string("emails/report_received.html", context),
                )
            )
    return sending.queue(*emails)
