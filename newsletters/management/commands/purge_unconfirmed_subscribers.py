from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from newsletters.models import Subscriber
from newsletters.subscriber_links import CONFIRM_FOR
from outbox.models import OutboundEmail
from prevent_site.jobs import record_run


class Command(BaseCommand):
    help = (
        "Delete newsletter sign-ups not confirmed within 7 days (when their link expires), with "
        "the emails about them, as the privacy notice promises. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go, delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        days = CONFIRM_FOR.days
        unconfirmed = Subscriber.objects.unconfirmed_before(timezone.now() - CONFIRM_FOR)
        words = {"days": ngettext("%(days)d day", "%(days)d days", days) % {"days": days}}
        if dry_run:
            count = unconfirmed.count()
            self.stdout.write(
                ngettext(
                    "Would delete %(count)d sign-up not confirmed within %(days)s.",
                    "Would delete %(count)d sign-ups not confirmed within %(days)s.",
                    count,
                )
                % {"count": count, **words}
            )
            return
        with transaction.atomic():
            # The emails point at their subscriber only by id (a generic relation): they would
            # outlive it, address and all, if not deleted first.
            emails, _ = OutboundEmail.objects.about(unconfirmed).delete()
            _, deleted = unconfirmed.delete()
        count = deleted.get("newsletters.Subscriber", 0)
        words["emails"] = ngettext("%(count)d email", "%(count)d emails", emails) % {
            "count": emails
        }
        message = ngettext(
            "Deleted %(count)d sign-up not confirmed within %(days)s, and its %(emails)s.",
            "Deleted %(count)d sign-ups not confirmed within %(days)s, and their %(emails)s.",
            count,
        ) % {"count": count, **words}
        self.stdout.write(message)
        record_run("purge_unconfirmed_subscribers", message)
