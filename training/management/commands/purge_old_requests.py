from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from training.models import TrainingRequest
from training.ratelimit import forget_old_submissions


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
        if dry_run:
            self.stdout.write(
                f"Would delete {old.count()} training requests received more than {days} days ago."
            )
            return
        # Their outbox emails go too (on_delete=CASCADE): they hold the same personal data.
        _, deleted = old.delete()
        # Rate-limit rows are normally dropped by the next request; don't wait for one.
        forget_old_submissions()
        self.stdout.write(
            f"Deleted {deleted.get('training.TrainingRequest', 0)} training requests received "
            f"more than {days} days ago, and {deleted.get('training.OutboundEmail', 0)} of "
            "their emails."
        )
