from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from prevent_site.jobs import record_run
from prevent_site.ratelimit import forget_old_submissions
from training.models import TrainingRequest


class Command(BaseCommand):
    help = (
        "Delete training requests older than TRAINING_REQUEST_RETENTION_DAYS, with their "
        "emails, as the privacy notice promises. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go, delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        days = settings.TRAINING_REQUEST_RETENTION_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        old = TrainingRequest.objects.received_before(cutoff)
        words = {"days": ngettext("%(days)d day", "%(days)d days", days) % {"days": days}}
        if dry_run:
            count = old.count()
            self.stdout.write(
                ngettext(
                    "Would delete %(count)d training request received more than %(days)s ago.",
                    "Would delete %(count)d training requests received more than %(days)s ago.",
                    count,
                )
                % {"count": count, **words}
            )
            return
        # Their outbox emails go too (TrainingRequest.emails): they hold the same personal data.
        _, deleted = old.delete()
        # Rate-limit rows are normally dropped by the next request; don't wait for one.
        forget_old_submissions()
        count = deleted.get("training.TrainingRequest", 0)
        emails = deleted.get("outbox.OutboundEmail", 0)
        words["emails"] = ngettext("%(count)d email", "%(count)d emails", emails) % {
            "count": emails
        }
        message = ngettext(
            "Deleted %(count)d training request received more than %(days)s ago, "
            "and its %(emails)s.",
            "Deleted %(count)d training requests received more than %(days)s ago, "
            "and their %(emails)s.",
            count,
        ) % {"count": count, **words}
        self.stdout.write(message)
        record_run("purge_old_requests", message)
