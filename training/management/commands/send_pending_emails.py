from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

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
            elif email.failed_at:
                self.stderr.write(
                    ngettext(
                        "Failed permanently after %(attempts)d attempt, not retried: ",
                        "Failed permanently after %(attempts)d attempts, not retried: ",
                        email.attempts,
                    )
                    % {"attempts": email.attempts}
                    + f"{email.subject} (to {email.to}): {email.last_error}"
                )
            else:
                next_try = timezone.localtime(email.next_attempt_at)
                self.stderr.write(
                    ngettext(
                        "Failed %(attempts)d time, will retry at %(time)s: ",
                        "Failed %(attempts)d times, will retry at %(time)s: ",
                        email.attempts,
                    )
                    % {"attempts": email.attempts, "time": f"{next_try:%H:%M}"}
                    + f"{email.subject} (to {email.to}): {email.last_error}"
                )
