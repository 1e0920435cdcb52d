from django.core.management.base import BaseCommand

from training import emails


class Command(BaseCommand):
    help = (
        "Send training request emails still waiting in the outbox. Safe to run every minute "
        "from cron, and with several copies at once: each email is claimed before it is sent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=emails.BATCH_SIZE,
            help=f"Most emails to try in one run (default {emails.BATCH_SIZE}).",
        )

    def handle(self, *args, limit, verbosity, **options):
        results = emails.send_pending(limit=limit)
        if not results and verbosity > 1:
            # Quiet at the default verbosity, so cron has nothing to mail every minute.
            self.stdout.write("Nothing to send.")
        for email, error in results:
            if error is None:
                self.stdout.write(f"Sent: {email.subject} (to {email.to})")
            else:
                self.stderr.write(
                    f"Still failing after {email.attempts + 1} attempts: {email.subject} "
                    f"(to {email.to}): {type(error).__name__}: {error}"
                )
