from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blocks.jobs import record_run
from outbox.models import OutboundEmail

from ... import emails
from ...models import Session


class Command(BaseCommand):
    help = (
        "Email each session's organiser its feedback link, the morning after the session ends "
        "(once per session, while its form is open), and forget the organiser's address and "
        "that email once the form has closed. Run it daily at 08:00."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        due = list(
            Session.objects.ended_before(today)
            .feedback_open(now)
            .exclude(organiser_email="")
            .exclude(emails__kind=Session.EmailKind.FEEDBACK_LINK)
            .select_related("workshop")
        )
        sent = 0
        for session in due:
            with transaction.atomic():
                emails.queue_feedback_link(session)
            sent += 1
        # The address was only for this email: gone with it once the form has closed.
        with transaction.atomic():
            closed = Session.objects.feedback_closed(now).exclude(organiser_email="")
            OutboundEmail.objects.about(closed).filter(
                kind=Session.EmailKind.FEEDBACK_LINK
            ).exclude(sent_at=None).delete()
            forgotten = closed.update(organiser_email="")
        message = f"Queued {sent} feedback link email{'s' if sent != 1 else ''}."
        if forgotten:
            message += f" Forgot the organiser's address of {forgotten} closed session(s)."
        self.stdout.write(message)
        record_run("send_feedback_links", message)
