"""The team's weekly email of what is due for review (blocks.reviews): what is overdue and what
falls due in the next month, with a link to each item in the admin. ``send_review_reminders``
queues it at most once a week (Monday to Sunday), through the outbox like every other email.

The building blocks send no email, so the outbox, the lowest app, sends this one.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from blocks import reviews
from blocks.admin import change_url
from blocks.validators import one_line

from . import sending
from .models import OutboundEmail

KIND = "review-reminder"


def due_soon(today=None):
    """(overdue, falling due within a month from today), each [(item, its kind, admin link)]."""
    today = today or timezone.localdate()
    overdue, coming = [], []
    for item in reviews.due_by(reviews.due_soon_by(today)):
        path = change_url(item)
        row = (item, item._meta.verbose_name, settings.SITE_URL + path if path else "")
        (overdue if item.next_review_on < today else coming).append(row)
    return overdue, coming


def subject(overdue, coming, by):
    parts = []
    if overdue:
        parts.append(f"{len(overdue)} overdue")
    if coming:
        parts.append(f"{len(coming)} due by {by:%-d %B %Y}")
    return one_line("Content to review: " + ", ".join(parts))


def queue_review_reminder(today=None):
    """Queue this week's email to the team, if anything is overdue or due within a month and
    it has not gone yet this week. Returns what happened, in a sentence."""
    today = today or timezone.localdate()
    by = reviews.due_soon_by(today)
    with transaction.atomic():
        overdue, coming = due_soon(today)
        if not overdue and not coming:
            return f"Nothing is due for review by {by:%-d %B %Y}: no email."
        reminder = reviews.claim_week(today)
        if reminder is None:
            return "This week's reminder has already been sent: no email."
        context = {
            "overdue": overdue,
            "coming": coming,
            "today": today,
            "by": by,
            "site_url": settings.SITE_URL,
        }
        sending.queue(
            OutboundEmail(
                about=reminder,
                kind=KIND,
                to=settings.TEAM_EMAIL,
                subject=subject(overdue, coming, by),
                text=render_to_string("emails/review_reminder.txt", context),
                html=render_to_string("emails/review_reminder.html", context),
            )
        )
    return (
        f"Emailed {settings.TEAM_EMAIL}: {len(overdue)} overdue, "
        f"{len(coming)} due by {by:%-d %B %Y}."
    )
