"""Sending an issue by email: a test to one address, or the issue to every confirmed subscriber.

Every email goes through the outbox (outbox.sending), so the worker sends it, never a web
request. Sending to subscribers makes one Delivery per issue and subscriber (unique), in chunks
on the worker, so starting it again, twice at once or after the worker stopped sends nobody the
same issue twice.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.tasks import task
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from alerts.models import Banner
from blocks import richtext
from blocks.publishing import Status
from blocks.validators import is_sendable_address, one_line
from outbox import sending
from outbox.models import OutboundEmail
from resources.models import FundingScheme
from training.models import Event

from . import subscriber_links
from .models import Delivery, Issue, Mailing, Subscriber, normalise_address

logger = logging.getLogger(__name__)

# Subscribers prepared by one task: their deliveries and emails are written in one transaction,
# so a worker that stops loses nothing, and the first emails go out while the rest is prepared.
CHUNK_SIZE = 200
# Another preparer took some of a chunk's subscribers first: how many chunks one task tries.
CHUNK_TRIES = 5

ISSUE_EMAIL = "issue"
TEST_EMAIL = "test"

# The email is 600 pixels wide with 24 pixels either side of the text.
CONTENT_WIDTH = 552
# Events and funding schemes listed before the link to all of them.
LISTED = 5
# About two lines of a section's opening paragraph.
LINE_WORDS = 30
# Stands in for a subscriber's token in a test sent to someone who is not one: the links then
# lead to the page saying the link does not work, as a made-up link would.
NO_ONE = "test-email"

_OPENING_PARAGRAPH = re.compile(r"\s*<p>(.*?)</p>", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class CannotSend(Exception):
    """The issue cannot be sent (yet): the message says why, in words for the editor."""


def check_sendable(issue, test=False):
    """Raise CannotSend unless ``issue`` may be sent: a test needs it published (scheduled will
    do, to check it before it goes live); subscribers need it live on the site."""
    if issue.status != Status.PUBLISHED:
        raise CannotSend(
            f"“{issue}” is a draft. Publish it before sending it"
            f"{'' if test else ' to subscribers'}."
        )
    if not test and not issue.is_public:
        raise CannotSend(
            f"“{issue}” is scheduled for "
            f"{timezone.localtime(issue.publish_at):%-d %B %Y, %H:%M}. It can be sent to "
            "subscribers once it is live on the site."
        )


def absolute(url):
    return url if "://" in url else settings.SITE_URL + url


@dataclass
class Cover:
    url: str
    width: int
    height: int
    alt: str


def cover_image(issue):
    """The largest JPEG rendition of the cover (mail programs cannot all show WebP), at most as
    wide as the email's text."""
    image = issue.cover_image
    if not image or not image.stored_width or not image.stored_height:
        return None
    url, rendition_width = image.renditions("jpg")[-1]
    width = min(rendition_width, CONTENT_WIDTH)
    return Cover(
        url=absolute(url),
        width=width,
        height=round(width * image.stored_height / image.stored_width),
        alt="" if issue.cover_image_decorative else issue.cover_image_alt,
    )


@dataclass
class SectionEntry:
    heading: str
    url: str
    line: str
    subheadings: list


def opening_line(text):
    """The whole sentences of ``text`` that fit in LINE_WORDS words, or, if the first is longer,
    its first LINE_WORDS words and an ellipsis."""
    line, words = [], 0
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        words += len(sentence.split())
        if words > LINE_WORDS:
            break
        line.append(sentence)
    return " ".join(line) or Truncator(text).words(LINE_WORDS)


def section_entry(section):
    """A section in the email's contents: its heading, the start of its opening paragraph (a
    section that opens with a sub-heading lists its sub-headings instead) and its sub-headings,
    each linked to its anchor on the issue's page."""
    url = settings.SITE_URL + section.get_absolute_url()
    page = url.split("#")[0]
    opening = _OPENING_PARAGRAPH.match(richtext.sanitise(section.body))
    line = opening_line(richtext.heading_text(opening.group(1))) if opening else ""
    subheadings = [(text, f"{page}#{anchor}") for anchor, text in section.subheadings]
    return SectionEntry(section.heading, url, line, subheadings)


@dataclass
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict


class IssueEmail:
    """The email of one issue. What every copy has in common is worked out once; ``render``
    adds what is particular to one subscriber (their links, the updates they chose)."""

    def __init__(self, issue):
        self.issue = issue
        self.html_template = get_template("emails/newsletter_issue.html")
        self.text_template = get_template("emails/newsletter_issue.txt")
        self.common = {
            "issue": issue,
            "issue_url": settings.SITE_URL + issue.get_absolute_url(),
            "cover": cover_image(issue),
            "sections": [section_entry(section) for section in issue.sections.all()],
            "events": list(Event.objects.upcoming()[:LISTED]),
            "events_url": settings.SITE_URL + reverse("training:event-list"),
            "schemes": list(
                FundingScheme.objects.open_now().order_by("closes_on", "name")[:LISTED]
            ),
            "schemes_url": settings.SITE_URL + reverse("resources:scheme-list"),
            "site_url": settings.SITE_URL,
            "team_email": settings.TEAM_EMAIL,
            # The team's live banners that they chose to put in the newsletter too.
            "banners": Banner.objects.live().filter(in_newsletter=True).most_severe_first(),
        }

    def render(self, subscriber=None, *, test=False):
        """The email for ``subscriber``; with ``test``, marked as a test (for someone who is not
        a subscriber, its links lead nowhere); with neither, the copy for another mailing tool:
        no personal links, and no events or funding schemes, which only subscribers choose."""
        if subscriber:
            preferences_url = subscriber_links.preferences_url(subscriber)
            unsubscribe_url = subscriber_links.unsubscribe_url(subscriber)
            events_too, funding_too = subscriber.training_and_events, subscriber.funding
        elif test:
            preferences_url = absolute(reverse("newsletters:preferences", args=[NO_ONE]))
            unsubscribe_url = absolute(reverse("newsletters:unsubscribe", args=[NO_ONE]))
            events_too = funding_too = True
        else:
            preferences_url = unsubscribe_url = None
            events_too = funding_too = False
        personal = {
            "subscriber": subscriber,
            "test": test,
            "show_events": events_too and self.common["events"],
            "show_schemes": funding_too and self.common["schemes"],
            "updates": ", and about ".join(
                update.label.lower() for update in (subscriber.updates if subscriber else [])
            ),
            "preferences_url": preferences_url,
            "unsubscribe_url": unsubscribe_url,
        }
        context = {**self.common, **personal}
        headers = subscriber_links.list_unsubscribe_headers(subscriber) if subscriber else {}
        return RenderedEmail(
            subject=one_line(f"{'Test: ' if test else ''}{self.issue.title}"),
            text=self.text_template.render(context),
            html=self.html_template.render(context),
            headers=headers,
        )

    def outbound(self, to, about, kind, subscriber=None, test=False):
        email = self.render(subscriber, test=test)
        return OutboundEmail(
            about=about,
            kind=kind,
            to=to,
            reply_to=settings.TEAM_EMAIL,
            subject=email.subject,
            text=email.text,
            html=email.html,
            headers=email.headers,
        )


def send_test(issue, address):
    """Queue a test of the issue's email to ``address``. A confirmed subscriber's test carries
    their own links and headers, so it can be used to change preferences or leave."""
    check_sendable(issue, test=True)
    address = normalise_address(address)
    if not is_sendable_address(address):
        raise CannotSend(f"“{address}” is not an email address the site can send to.")
    subscriber = Subscriber.objects.confirmed().filter(email=address).first()
    email = IssueEmail(issue).outbound(address, issue, TEST_EMAIL, subscriber, test=True)
    with transaction.atomic():
        [email] = sending.queue(email)
    return email


def waiting_subscribers(issue):
    """Confirmed subscribers the issue has not been prepared for yet, in the order they are
    prepared."""
    delivered = Delivery.objects.filter(issue=issue, subscriber=OuterRef("pk"))
    return Subscriber.objects.confirmed().filter(~Exists(delivered)).order_by("pk")


def start(issue, user=None):
    """Send a live issue to every confirmed subscriber who has not had it, on the worker.

    Safe to call again: it carries on where it stopped, and sends only to confirmed subscribers
    who have no delivery of the issue yet (someone who confirmed since, say).
    """
    check_sendable(issue)
    with transaction.atomic():
        mailing, created = Mailing.objects.get_or_create(
            issue=issue, defaults={"requested_by": user}
        )
        if not created and mailing.prepared_at and waiting_subscribers(issue).exists():
            mailing.prepared_at = None
            mailing.save(update_fields=["prepared_at"])
        transaction.on_commit(lambda: prepare_deliveries.enqueue(issue.pk), robust=True)
    return mailing


def _prepare(issue, subscribers, content):
    deliveries = Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber=subscriber) for subscriber in subscribers]
    )
    emails = OutboundEmail.objects.bulk_create(
        [
            content.outbound(delivery.subscriber.email, delivery, ISSUE_EMAIL, delivery.subscriber)
            for delivery in deliveries
        ]
    )
    ids = [email.pk for email in emails]
    # Each of the outbox's tasks sends one batch over one SMTP connection.
    for first in range(0, len(ids), sending.BATCH_SIZE):
        sending.hand_to_worker(ids[first : first + sending.BATCH_SIZE])
    return len(emails)


@task
def prepare_deliveries(issue_id):
    """The worker's task: write the deliveries and emails of the next chunk of subscribers and
    hand the emails to the senders, then run again for the chunk after. Returns how many emails
    it queued."""
    issue = Issue.objects.published().filter(pk=issue_id).first()
    if issue is None:
        # Taken off the site (or deleted) while it was being sent: stop here.
        logger.warning("Stopped sending issue %s: it is no longer on the site.", issue_id)
        return 0
    content = IssueEmail(issue)
    for _ in range(CHUNK_TRIES):
        subscribers = list(waiting_subscribers(issue)[:CHUNK_SIZE])
        if not subscribers:
            Mailing.objects.filter(issue=issue, prepared_at=None).update(prepared_at=timezone.now())
            return 0
        try:
            with transaction.atomic():
                queued = _prepare(issue, subscribers, content)
                # Committed with the chunk: a worker that stops after it still has the next.
                prepare_deliveries.enqueue(issue_id)
        except IntegrityError:
            # Another preparer (a second click, a second editor) made some of these deliveries
            # first: this chunk and its emails are rolled back, and the next one is taken.
            logger.info("Issue %s: another preparer took part of this chunk.", issue_id)
            continue
        return queued
    prepare_deliveries.enqueue(issue_id)
    return 0


@dataclass
class Progress:
    mailing: Mailing | None
    confirmed: int
    to_prepare: int
    # Deliveries to subscribers still here; ``made`` adds the emails sent to those who left.
    deliveries: int
    made: int
    sent: int
    waiting: int
    given_up: int
    last_sent_at: object

    @property
    def finished_at(self):
        """When the last email went, once every subscriber's email was made and none waits."""
        if self.mailing and self.mailing.prepared_at and not self.waiting:
            return self.last_sent_at or self.mailing.prepared_at
        return None


def progress(issue):
    """How far sending the issue to subscribers has gone, for the admin."""
    deliveries = Delivery.objects.filter(issue=issue)
    emails = OutboundEmail.objects.about(deliveries).aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        waiting=Count("pk", filter=Q(sent_at=None, failed_at=None)),
        given_up=Count("pk", filter=Q(sent_at=None, failed_at__isnull=False)),
        last_sent_at=Max("sent_at"),
    )
    mailing = Mailing.objects.filter(issue=issue).select_related("requested_by").first()
    # Subscribers who left took their delivery and its email with them; the mailing counts
    # those that had been sent.
    former = mailing.sent_to_former_subscribers if mailing else 0
    emails["sent"] += former
    deliveries = deliveries.count()
    return Progress(
        mailing=mailing,
        confirmed=Subscriber.objects.confirmed().count(),
        to_prepare=waiting_subscribers(issue).count(),
        deliveries=deliveries,
        made=deliveries + former,
        **emails,
    )
