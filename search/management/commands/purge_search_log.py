from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from prevent_site.jobs import record_run
from search.models import SearchLog

# The privacy notice promises this: change them together.
RETENTION_DAYS = 90


class Command(BaseCommand):
    help = (
        f"Delete logged searches older than {RETENTION_DAYS} days, as the privacy notice "
        "promises. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go, delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        old = SearchLog.objects.before(timezone.now() - timedelta(days=RETENTION_DAYS))
        if dry_run:
            count = old.count()
            message = ngettext(
                "Would delete %(count)d search logged more than %(days)d days ago.",
                "Would delete %(count)d searches logged more than %(days)d days ago.",
                count,
            )
        else:
            count, _ = old.delete()
            message = ngettext(
                "Deleted %(count)d search logged more than %(days)d days ago.",
                "Deleted %(count)d searches logged more than %(days)d days ago.",
                count,
            )
        message %= {"count": count, "days": RETENTION_DAYS}
        self.stdout.write(message)
        if not dry_run:
            record_run("purge_search_log", message)
