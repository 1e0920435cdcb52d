"""Development only: more content and subscribers than the July 2023 newsletter brings, for the
benchmarks in scripts/bench/ (docs/performance.md). Never run it on the live site."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from blocks.publishing import Status
from newsletters.models import Delivery, Issue, Mailing, Section, Subscriber
from outbox.models import OutboundEmail
from resources.models import ResourceLink
from training.models import Workshop

TEMPLATE_ISSUE = "july-2023"


class Command(BaseCommand):
    help = (
        "Development only. --scale N copies the July 2023 issue into 2N issues, its workshops "
        "into 4N and its resource links into 20N, all published (100 makes the content "
        "a hundredfold); --subscribers N adds N confirmed subscribers; --forget-sends SLUG "
        "forgets that an issue was emailed, so it can be sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, metavar="N")
        parser.add_argument("--subscribers", type=int, default=0, metavar="N")
        parser.add_argument("--forget-sends", metavar="SLUG")

    @transaction.atomic
    def handle(self, *args, scale, subscribers, forget_sends, **options):
        if scale:
            self.grow(scale)
        if subscribers:
            self.subscribe(subscribers)
        if forget_sends:
            self.forget_sends(forget_sends)

    def grow(self, scale):
        july = Issue.objects.filter(slug=TEMPLATE_ISSUE).first()
        if july is None:
            raise CommandError("Load the July 2023 issue first: manage.py load_initial_content")
        published = {"status": Status.PUBLISHED, "publish_at": timezone.now() - timedelta(days=1)}
        issues = Issue.objects.bulk_create(
            Issue(
                title=f"Prevent Newsletter, issue {n}",
                slug=f"issue-{n}",
                volume=100 + n,
                month=date(2010 + n // 12, n % 12 + 1, 1),
                summary=july.summary,
                **published,
            )
            for n in range(2 * scale - 1)
        )
        sections = list(july.sections.all())
        Section.objects.bulk_create(
            (
                Section(issue=issue, order=s.order, heading=s.heading, slug=s.slug, body=s.body)
                for issue in issues
                for s in sections
            ),
            batch_size=500,
        )
        workshops = list(Workshop.objects.all())
        Workshop.objects.bulk_create(
            [
                Workshop(
                    title=f"{w.title} ({n})",
                    slug=f"{w.slug}-{n}",
                    summary=w.summary,
                    body=w.body,
                    who_it_is_for=w.who_it_is_for,
                    order=100 + n,
                    **published,
                )
                for n in range(4 * scale // len(workshops))
                for w in workshops
            ][: 4 * scale - len(workshops)]
        )
        links = list(ResourceLink.objects.all())
        ResourceLink.objects.bulk_create(
            [
                ResourceLink(
                    title=f"{link.title} ({n})",
                    slug=f"{link.slug}-{n}",
                    url=link.url,
                    publisher=link.publisher,
                    description=link.description,
                    category=link.category,
                    order=100 + n,
                )
                for n in range(20 * scale // len(links) + 1)
                for link in links
            ][: 20 * scale - len(links)],
            batch_size=500,
        )
        self.stdout.write(
            f"{Issue.objects.count()} issues, {Section.objects.count()} sections, "
            f"{Workshop.objects.count()} workshops, {ResourceLink.objects.count()} resource links"
        )

    def subscribe(self, count):
        now = timezone.now()
        Subscriber.objects.bulk_create(
            (
                Subscriber(
                    email=f"reader{n:05d}@example.org",
                    status=Subscriber.Status.CONFIRMED,
                    confirmed_at=now,
                    training_and_events=n % 2 == 0,
                    funding=n % 3 == 0,
                    source="Load test",
                )
                for n in range(count)
            ),
            batch_size=1000,
        )
        self.stdout.write(f"{Subscriber.objects.confirmed().count()} confirmed subscribers")

    def forget_sends(self, slug):
        issue = Issue.objects.filter(slug=slug).first()
        if issue is None:
            raise CommandError(f"No issue has the slug “{slug}”.")
        deliveries = Delivery.objects.filter(issue=issue)
        OutboundEmail.objects.about(deliveries).delete()
        deliveries.delete()
        Mailing.objects.filter(issue=issue).delete()
        self.stdout.write(f"“{issue}” can be sent again")
