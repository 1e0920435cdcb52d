from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from blocks.jobs import record_run
from outbox import health, sending


class Command(BaseCommand):
    help = (
        "Send emails still waiting in the outbox: the safety net behind the "
        "worker, safe to run every minute from cron and with several copies at once (each "
        "email is claimed before it is sent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=sending.BATCH_SIZE,
            help=f"Most emails to try in one run (default {sending.BATCH_SIZE}).",
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="Try every waiting email now, without waiting for its next try (after a mail "
            "outage is fixed, say). Emails that have failed are left to the admin's Retry now.",
        )

    def handle(self, *args, limit, now, verbosity, **options):
        # Keeps the worker's heartbeat going: it starts one on a new install, and restarts one
        # that stopped (outbox/health.py).
        health.ensure_heartbeat()
        results = sending.send_pending(limit=limit, due_only=not now)
        if not results and verbosity > 1:
            # Quiet at the default verbosity, so cron has nothing to mail every minute.
            self.stdout.write("Nothing to send.")
        for email, error in results:
            line = f"{email.state}: {email.subject} (to {email.to})"
            if error is None:
                self.stdout.write(line)
            elif email.failed_at:
                self.stderr.write(line)  # the state says why
            else:
                self.stderr.write(f"{line}: {email.last_error}")
        failed = sum(error is not None for _, error in results)
        record_run("send_pending_emails", summary(len(results) - failed, failed))


def summary(sent, failed):
    if not sent and not failed:
        return "Nothing to send."
    words = ngettext("Sent %d email", "Sent %d emails", sent) % sent
    if failed:
        words += ngettext("; %d could not be sent", "; %d could not be sent", failed) % failed
    return words + "."
