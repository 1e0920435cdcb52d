from django.core.management.base import BaseCommand

from blocks.jobs import record_run
from outbox import reminders


class Command(BaseCommand):
    help = (
        "Email the team (TEAM_EMAIL) what is overdue for review and what falls due in the next "
        "month, through the outbox. Run it weekly: it sends at most one email a week (Monday to "
        "Sunday), however often it runs, and none when nothing is due."
    )

    def handle(self, *args, **options):
        summary = reminders.queue_review_reminder()
        self.stdout.write(summary)
        record_run("send_review_reminders", summary)
