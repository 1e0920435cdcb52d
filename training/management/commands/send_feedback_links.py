from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blocks.jobs import record_run

from ... import emails
from ...models import Session


class Command(BaseCommand):
    help = (
        "Email each session's organiser its feedback link, the morning after the session ends "
        "(once per session, while its form is open). Run it daily at 08:00."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        due = list(
            Session.objects.ended_before(today)
            .exclude(organiser_email="")
            .exclude(emails__kind=Session.EmailKind.FEEDBACK_LINK)
            .select_related("workshop")
        )
        sent = 0
        for session in due:
            if not session.feedback_open:
                continue
            with transaction.atomic():
                emails.queue_feedback_link(session)
            sent += 1
        message = f"Queued {sent} feedback link email{'s' if sent != 1 else ''}."
        self.stdout.write(message)
        record_run("send_feedback_links", message)
