from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from newsletters import mailing
from newsletters.models import Issue


class Command(BaseCommand):
    help = (
        "Send a published issue to every confirmed subscriber who has not had it (run again, "
        "it carries on where it stopped and sends nobody the issue twice), or, with --test, a "
        "test of it to one address. The email worker (manage.py db_worker) sends the emails."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The issue's slug, as in its web address: july-2023.")
        parser.add_argument(
            "--test",
            metavar="EMAIL",
            help="Send only a test, to this address. A subscriber's test has their own links.",
        )

    def handle(self, *args, slug, test, **options):
        issue = Issue.objects.filter(slug=slug).first()
        if issue is None:
            raise CommandError(f"No issue has the slug “{slug}”.")
        try:
            if test is not None:
                email = mailing.send_test(issue, test)
            else:
                before = mailing.progress(issue)
                mailing.start(issue)
        except mailing.CannotSend as refusal:
            raise CommandError(str(refusal)) from None
        if test is not None:
            self.stdout.write(
                f"A test of “{issue}” to {email.to} is in the outbox: the email worker sends it."
            )
            return
        if before.to_prepare:
            self.stdout.write(
                ngettext(
                    "Sending “%(issue)s” to %(count)d subscriber: the email worker sends it.",
                    "Sending “%(issue)s” to %(count)d subscribers: the email worker sends them.",
                    before.to_prepare,
                )
                % {"issue": issue, "count": before.to_prepare}
            )
        else:
            self.stdout.write(f"“{issue}” has no one left to send it to.")
        if before.deliveries:
            self.stdout.write(
                ngettext(
                    "%(count)d subscriber already has it, and will not get it again.",
                    "%(count)d subscribers already have it, and will not get it again.",
                    before.deliveries,
                )
                % {"count": before.deliveries}
            )
