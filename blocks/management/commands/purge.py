from django.core.management.base import BaseCommand

from blocks import retention
from blocks.jobs import record_run


class Command(BaseCommand):
    help = (
        "Delete the personal data each app keeps once it is older than its retention period "
        "(the *_RETENTION_DAYS settings), as the privacy notice promises. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go, delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        message = "\n".join(retention.purge(dry_run=dry_run))
        self.stdout.write(message)
        if not dry_run:
            record_run("purge", message)
