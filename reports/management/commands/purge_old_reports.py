from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from prevent_site.jobs import record_run
from reports.models import Report


class Command(BaseCommand):
    help = (
        "Delete reports received more than REPORT_RETENTION_DAYS ago, with their photos and "
        "status history, as the privacy notice promises. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go, delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        days = settings.REPORT_RETENTION_DAYS
        old = Report.objects.received_before(timezone.now() - timedelta(days=days))
        words = {"days": ngettext("%(days)d day", "%(days)d days", days) % {"days": days}}
        if dry_run:
            count = old.count()
            self.stdout.write(
                ngettext(
                    "Would delete %(count)d report received more than %(days)s ago.",
                    "Would delete %(count)d reports received more than %(days)s ago.",
                    count,
                )
                % {"count": count, **words}
            )
            return
        # Photos and status changes go with their report (on_delete=CASCADE); each photo's
        # file is deleted once this commits (reports/signals.py).
        _, deleted = old.delete()
        count = deleted.get("reports.Report", 0)
        photos = deleted.get("reports.ReportPhoto", 0)
        words["photos"] = ngettext("%(count)d photo", "%(count)d photos", photos) % {
            "count": photos
        }
        message = ngettext(
            "Deleted %(count)d report received more than %(days)s ago, and its %(photos)s.",
            "Deleted %(count)d reports received more than %(days)s ago, and their %(photos)s.",
            count,
        ) % {"count": count, **words}
        self.stdout.write(message)
        record_run("purge_old_reports", message)
