"""Sending an issue by email (newsletters.mailing): the email itself, tests, and the issue to
every confirmed subscriber, exactly once."""

import datetime
import logging
import re
import threading
from email import message_from_bytes, policy

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts.models import Banner
from blocks.publishing import Status
from newsletters import mailing, subscriber_links
from newsletters.models import Delivery, FormerSubscriber, Mailing, Subscriber
from outbox import sending
from outbox.models import OutboundEmail
from tests.factories import (
    future,
    jpeg_upload,
    make_event,
    make_issue,
    make_scheme,
    make_section,
    past,
)
from tests.mail import html_part, use_mail_backend
from tests.newsletters.mailing_support import make_subscriber, run_until_done

pytestmark = pytest.mark.django_db

SITE = "https://prevent.example.gov.uk"
TEAM = "prevent@westminster.gov.uk"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
ISSUE_PAGE = SITE + "/newsletters/july-2023/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.TEAM_EMAIL = TEAM


@pytest.fixture
def work(run_worker, django_capture_on_commit_callbacks):
    return lambda: run_until_done(run_worker, django_capture_on_commit_callbacks)


@pytest.fixture
def work_one_task(run_worker, django_capture_on_commit_callbacks):
    """Run one task, then stop, as a worker told to stop does (SIGTERM lets the current task
    finish)."""

    def work_one_task():
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0
            )

    return work_one_task


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send an issue to the subscribers as the admin's button does (the task is queued when the
    request's transaction commits)."""

    def send(issue, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            return mailing.start(issue, user)

    return send


@pytest.fixture
def issue():
    issue = make_issue(
        title="Prevent Newsletter, July 2023",
        slug="july-2023",
        volume=2,
        month=datetime.date(2023, 7, 1),
        summary="Our workshops, Prevent news & security funding for places of worship.",
    )
    make_section(
        issue,
        order=1,
        heading="Your local Prevent team",
        slug="your-local-prevent-team",
        body="<p>We are four officers. We work with <strong>communities</strong> &amp; "
        "schools.</p><p>A second paragraph that is not in the email.</p>",
    )
    make_section(
        issue,
        order=2,
        heading="Prevent news",
        slug="prevent-news",
        body="<h3>The Independent Review of Prevent</h3><p>It was published in February.</p>"
        "<h3>CONTEST 2023</h3><p>The refreshed strategy.</p>",
    )
    return issue


def link(pattern, body):
    [url] = set(re.findall(pattern, body))
    return url


def manage_link(kind, body):
    """The subscriber's own link of this kind (preferences or unsubscribe) in ``body``."""
    return link(rf"{re.escape(SITE)}/newsletters/{kind}/[^/\s\"<>]+/", body)


def token_of(url, name):
    match = resolve(url.removeprefix(SITE))
    assert match.view_name == f"newsletters:{name}"
    return match.kwargs["token"]


def sent_to(mailoutbox):
    return sorted(message.to[0] for message in mailoutbox)


def issue_emails(issue):
    return OutboundEmail.objects.about(Delivery.objects.filter(issue=issue))


# The email itself


def test_a_subscriber_gets_the_issue_with_its_contents_and_their_own_links(
    issue, send, work, mailoutbox
):
    subscriber = make_subscriber("amina.khan@example.org")
    send(issue)
    work()

    [message] = mailoutbox
    assert message.to == ["amina.khan@example.org"]
    assert message.subject == "Prevent Newsletter, July 2023"
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert message.reply_to == [TEAM]
    text, html = message.body, html_part(message)
    assert "Our workshops, Prevent news & security funding for places of worship." in text
    assert "Our workshops, Prevent news &amp; security funding for places of worship." in html
    for body in (text, html):
        assert "Prevent Newsletter, July 2023" in body
        assert "July 2023, Vol. 2" in body
        assert "View this issue on the website" in body
        assert ISSUE_PAGE in body
        # Each section, and each of its sub-headings, links to its anchor on the issue's page.
        for anchor in [
            "your-local-prevent-team",
            "prevent-news",
            "prevent-news-the-independent-review-of-prevent",
            "prevent-news-contest-2023",
        ]:
            assert f"{ISSUE_PAGE}#{anchor}" in body
        assert "The Independent Review of Prevent" in body and "CONTEST 2023" in body
        assert "A second paragraph" not in body
        assert TEAM in body
        assert "You get this email because you subscribed" in body
        assert "This is a test" not in body
    # A section's opening line, as text in the plain version and escaped in the HTML.
    assert "We are four officers. We work with communities & schools." in text
    assert "We are four officers. We work with communities &amp; schools." in html
    assert 'href="' + ISSUE_PAGE + '#your-local-prevent-team"' in html

    # The links to leave or change preferences are the subscriber's own, in both versions.
    for name in ("unsubscribe", "preferences"):
        url = manage_link(name, text)
        assert f'href="{url}"' in html
        assert subscriber_links.subscriber_to_manage(token_of(url, name)) == subscriber


def test_the_sent_email_carries_one_click_unsubscribe_headers(issue, send, work, mailoutbox):
    subscriber = make_subscriber()
    send(issue)
    work()

    [message] = mailoutbox
    unsubscribe = manage_link("unsubscribe", message.body)
    expected = f"<{unsubscribe}>, <mailto:{TEAM}?subject=Unsubscribe>"
    # As the SMTP backend writes it, then as a mail program reads it.
    raw = message.message(policy=policy.SMTP).as_bytes()
    received = message_from_bytes(raw, policy=policy.default)
    assert received["List-Unsubscribe"] == expected
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["Reply-To"] == TEAM
    assert received["To"] == subscriber.email
    assert subscriber_links.subscriber_to_manage(token_of(unsubscribe, "unsubscribe")) == subscriber


def test_one_click_on_the_list_unsubscribe_link_unsubscribes_at_once(
    issue, send, work, mailoutbox, client
):
    leaving = make_subscriber("amina.khan@example.org")
    staying = make_subscriber()
    send(issue)
    work()
    message = next(m for m in mailoutbox if m.to == [leaving.email])
    header_link = re.match(r"<([^>]+)>", message.message()["List-Unsubscribe"]).group(1)
    footer_link = manage_link("unsubscribe", html_part(message))
    assert header_link == footer_link

    # A mail scanner opening the link changes nothing: a GET shows a button.
    assert client.get(footer_link.removeprefix(SITE)).status_code == 200
    assert Subscriber.objects.filter(pk=leaving.pk).exists()
    # The mail program's one-click POST (RFC 8058), with no cookie or CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        header_link.removeprefix(SITE),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    assert list(Subscriber.objects.all()) == [staying]
    assert FormerSubscriber.includes(leaving.email)
    assert list(issue_emails(issue).values_list("to", flat=True)) == [staying.email]


def test_the_html_is_made_for_mail_programs(issue, mailoutbox):
    """Tables and inline styles, Arial, at most 600 pixels: no style sheet, script, class or
    web font, which Outlook and Gmail drop or block."""
    html = mailing.IssueEmail(issue).render(make_subscriber()).html
    assert html.count('role="presentation"') >= 2
    assert "max-width: 600px" in html and 'width="600"' in html
    assert "font-family: Arial, sans-serif" in html
    for banned in ("<style", "<script", "<link", "class=", "@font-face", "javascript:"):
        assert banned not in html, banned


def test_the_cover_image_is_an_absolute_jpeg_with_alt_text_and_its_size(issue):
    issue.cover_image = jpeg_upload((1200, 800), name="cover.jpg")
    issue.cover_image_alt = "Volunteers at a community event"
    issue.save()

    html = mailing.IssueEmail(issue).render(make_subscriber()).html

    [img] = re.findall(r"<img [^>]*>", html)
    src = re.search(r'src="([^"]+)"', img).group(1)
    assert src.startswith(SITE + "/media/issues/renditions/") and src.endswith("-640w.jpg")
    assert default_storage.exists(src.removeprefix(SITE + "/media/"))
    assert 'alt="Volunteers at a community event"' in img
    # 640 pixels shown in the 552 of the email's text, in proportion.
    assert 'width="552"' in img and 'height="368"' in img


def test_a_decorative_cover_image_has_empty_alt_text(issue):
    issue.cover_image = jpeg_upload((300, 200), name="cover.jpg")
    issue.cover_image_alt = ""
    issue.cover_image_decorative = True
    issue.save()

    [img] = re.findall(r"<img [^>]*>", mailing.IssueEmail(issue).render().html)
    assert 'alt=""' in img
    assert 'width="300"' in img and 'height="200"' in img


def test_events_and_funding_schemes_go_only_to_subscribers_who_chose_them(
    issue, send, work, mailoutbox
):
    make_event(title="Online safety webinar", starts_at=future(7))
    make_event(title="Last month's event", starts_at=past(30))
    make_event(title="Draft event", starts_at=future(7), status=Status.DRAFT)
    today = timezone.localdate()
    make_scheme(name="Community Fund")
    make_scheme(
        name="Closed Fund",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=1),
    )
    make_subscriber("issue.only@example.org")
    make_subscriber("events@example.org", training_and_events=True)
    make_subscriber("funding@example.org", funding=True)
    make_subscriber("both@example.org", training_and_events=True, funding=True)
    send(issue)
    work()

    received = {message.to[0]: message for message in mailoutbox}
    assert sorted(received) == [
        "both@example.org",
        "events@example.org",
        "funding@example.org",
        "issue.only@example.org",
    ]
    for address, message in received.items():
        events = address in ("events@example.org", "both@example.org")
        funding = address in ("funding@example.org", "both@example.org")
        for body in (message.body, html_part(message)):
            assert ("Upcoming events" in body) == events
            assert ("Online safety webinar" in body) == events
            assert ("Funding schemes open now" in body) == funding
            assert ("Community Fund" in body) == funding
            assert "Last month's event" not in body and "Last month&#x27;s event" not in body
            assert "Draft event" not in body and "Closed Fund" not in body
    both = received["both@example.org"]
    assert "asked to hear about training and events, and about funding schemes" in " ".join(
        both.body.split()
    )
    # Wrapped at 78 characters (RFC 5322); only a link too long for a line stands alone on one.
    for line in both.body.splitlines():
        link = line.strip()
        assert len(line) <= 78 or link.startswith(f"{SITE}/") and " " not in link, line
    assert f"{SITE}/events/" in both.body and f"{SITE}/funding/" in both.body


# A test to oneself


def test_a_test_to_someone_who_is_not_a_subscriber_has_links_that_lead_nowhere(
    issue, work, mailoutbox, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        email = mailing.send_test(issue, "Editor@Westminster.gov.uk")
    work()

    [message] = mailoutbox
    assert message.to == ["editor@westminster.gov.uk"]
    assert message.subject == "Test: Prevent Newsletter, July 2023"
    assert email.about == issue and email.kind == "test"
    assert "List-Unsubscribe" not in message.message()
    note = (
        "This is a test sent from the website's admin to an address that does not get the "
        "newsletter."
    )
    for body in (message.body, html_part(message)):
        assert note in " ".join(body.split())
        # It never tells the reader they subscribed.
        assert "you subscribed" not in body
        assert "you asked" not in body
        assert f"{ISSUE_PAGE}#prevent-news" in body
    for name in ("unsubscribe", "preferences"):
        url = manage_link(name, message.body)
        with pytest.raises(signing.BadSignature):
            subscriber_links.subscriber_to_manage(token_of(url, name))
        page = client.get(url.removeprefix(SITE))
        assert page.status_code == 404
        assert '<h1 class="govuk-heading-xl">This link does not work</h1>' in page.content.decode()
    assert not Delivery.objects.exists() and not Mailing.objects.exists()


def test_a_subscribers_test_carries_their_own_links_and_headers(
    issue, work, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber("editor@westminster.gov.uk", funding=True)
    make_scheme(name="Community Fund")

    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_test(issue, "editor@westminster.gov.uk")
    work()

    [message] = mailoutbox
    assert message.subject == "Test: Prevent Newsletter, July 2023"
    unsubscribe = manage_link("unsubscribe", message.body)
    assert subscriber_links.subscriber_to_manage(token_of(unsubscribe, "unsubscribe")) == subscriber
    assert message.message()["List-Unsubscribe"].startswith(f"<{unsubscribe}>")
    assert "Community Fund" in message.body
    assert "This is a test, with your own links as a subscriber." in message.body
    assert "You get this email because you subscribed" in message.body
    assert "does not get the newsletter" not in message.body
    # A test is not the issue: it does not count as their delivery.
    assert not Delivery.objects.exists()


def test_a_draft_cannot_be_sent_even_as_a_test(issue):
    issue.status = Status.DRAFT
    issue.save()
    with pytest.raises(mailing.CannotSend, match="is a draft. Publish it before sending it."):
        mailing.send_test(issue, "editor@westminster.gov.uk")
    with pytest.raises(mailing.CannotSend, match="Publish it before sending it to subscribers"):
        mailing.start(issue)
    assert not OutboundEmail.objects.exists() and not Mailing.objects.exists()


def test_a_scheduled_issue_can_be_tested_but_not_sent_to_subscribers(issue, mailoutbox):
    issue.publish_at = future(2)
    issue.save()
    make_subscriber()
    assert mailing.send_test(issue, "editor@westminster.gov.uk").to == "editor@westminster.gov.uk"
    with pytest.raises(mailing.CannotSend, match="once it is live on the site"):
        mailing.start(issue)
    assert not Mailing.objects.exists() and not Delivery.objects.exists()


def test_the_copy_for_another_mailing_tool_has_no_personal_links(issue):
    make_scheme(name="Community Fund")
    email = mailing.IssueEmail(issue).render()
    assert email.headers == {}
    assert "/unsubscribe/" not in email.html and "/preferences/" not in email.html
    assert "Community Fund" not in email.html
    assert f"{ISSUE_PAGE}#prevent-news" in email.html


# Sending to every subscriber, exactly once


def test_pending_subscribers_get_nothing(issue, send, work, mailoutbox):
    make_subscriber("confirmed@example.org")
    make_subscriber("pending@example.org", confirmed=False)
    send(issue)
    work()
    assert sent_to(mailoutbox) == ["confirmed@example.org"]
    assert list(Delivery.objects.values_list("subscriber__email", flat=True)) == [
        "confirmed@example.org"
    ]


def test_sending_twice_or_again_later_sends_each_subscriber_the_issue_once(
    issue, send, work, mailoutbox, admin_user
):
    subscribers = [make_subscriber() for _ in range(3)]
    send(issue, admin_user)
    send(issue)  # a double click, before the worker has started
    work()
    finished = Mailing.objects.get(issue=issue).prepared_at
    send(issue)  # and again once it has finished: nothing to do, and it stays finished
    assert Mailing.objects.get(issue=issue).prepared_at == finished
    work()

    assert sent_to(mailoutbox) == sorted(s.email for s in subscribers)
    assert Delivery.objects.filter(issue=issue).count() == 3
    assert issue_emails(issue).count() == 3
    sent_mailing = Mailing.objects.get(issue=issue)
    assert sent_mailing.requested_by == admin_user
    assert sent_mailing.prepared_at is not None

    # Someone who confirms afterwards gets it when it is sent again; nobody else does.
    latecomer = make_subscriber("latecomer@example.org")
    send(issue)
    work()
    assert sent_to(mailoutbox) == sorted([*(s.email for s in subscribers), latecomer.email])


def test_two_preparers_at_once_send_each_subscriber_the_issue_once(issue, send, work, mailoutbox):
    subscribers = [make_subscriber() for _ in range(5)]
    send(issue)
    mailing.prepare_deliveries.enqueue(issue.pk)  # a second editor's, queued before any ran
    assert DBTaskResult.objects.filter(task_path__endswith="prepare_deliveries").count() == 2
    work()
    assert sent_to(mailoutbox) == sorted(s.email for s in subscribers)
    assert issue_emails(issue).count() == 5


def test_a_chunk_another_preparer_took_part_of_first_is_rolled_back_and_the_next_taken(
    issue, send, work, mailoutbox, monkeypatch, caplog
):
    subscribers = [make_subscriber() for _ in range(4)]
    monkeypatch.setattr(mailing, "CHUNK_SIZE", 2)
    choose = mailing.waiting_subscribers
    raced = []

    def chosen_then_taken(issue):
        """The first chunk, chosen; then, before it is written, another preparer writes the
        delivery and email of its first subscriber."""
        if raced:
            return choose(issue)
        chunk = list(choose(issue)[:2])
        raced.append(chunk[0])
        delivery = Delivery.objects.create(issue=issue, subscriber=chunk[0])
        content = mailing.IssueEmail(issue)
        sending.queue(content.outbound(chunk[0].email, delivery, "issue", chunk[0]))
        return chunk

    monkeypatch.setattr(mailing, "waiting_subscribers", chosen_then_taken)
    send(issue)
    with caplog.at_level(logging.INFO, logger="newsletters.mailing"):
        work()

    assert "another preparer took part of this chunk" in caplog.text
    assert sent_to(mailoutbox) == sorted(s.email for s in subscribers)
    assert Delivery.objects.filter(issue=issue).count() == 4
    assert issue_emails(issue).count() == 4


def test_deliveries_are_prepared_in_chunks_and_sent_in_batches_of_at_most_batch_size(
    issue, send, work, mailoutbox, monkeypatch
):
    subscribers = [make_subscriber() for _ in range(7)]
    monkeypatch.setattr(mailing, "CHUNK_SIZE", 3)
    monkeypatch.setattr(sending, "BATCH_SIZE", 2)
    send(issue)
    work()

    assert sent_to(mailoutbox) == sorted(s.email for s in subscribers)
    tasks = DBTaskResult.objects.all()
    # Three chunks (3, 3 and 1 subscribers), then the run that finds no one left.
    assert tasks.filter(task_path="newsletters.mailing.prepare_deliveries").count() == 4
    batches = [
        task.args_kwargs["args"][0] for task in tasks.filter(task_path="outbox.sending.send_emails")
    ]
    assert sorted(len(batch) for batch in batches) == [1, 1, 1, 2, 2]
    assert sorted(pk for batch in batches for pk in batch) == sorted(
        issue_emails(issue).values_list("pk", flat=True)
    )


def test_a_worker_stopped_between_chunks_loses_nothing(
    issue, send, work, work_one_task, mailoutbox, monkeypatch
):
    subscribers = [make_subscriber() for _ in range(5)]
    monkeypatch.setattr(mailing, "CHUNK_SIZE", 2)
    send(issue)
    work_one_task()
    assert Delivery.objects.count() == 2
    assert Mailing.objects.get().prepared_at is None
    # The next chunk's task was committed with the first chunk, so a new worker carries on.
    assert DBTaskResult.objects.ready().filter(task_path__endswith="prepare_deliveries").exists()

    work()
    assert sent_to(mailoutbox) == sorted(s.email for s in subscribers)
    assert Mailing.objects.get().prepared_at is not None


def test_after_a_mail_outage_every_subscriber_gets_the_issue_once(
    issue, send, work, mail_server_down, settings, mailoutbox
):
    subscribers = [make_subscriber() for _ in range(3)]
    send(issue)
    work()
    assert mailoutbox == []
    assert sorted(issue_emails(issue).values_list("attempts", "sent_at")) == [(1, None)] * 3

    # The server is back, and the worker's retries fall due.
    use_mail_backend(settings, LOCMEM)
    now = timezone.now()
    OutboundEmail.objects.update(next_attempt_at=now)
    DBTaskResult.objects.filter(run_after__gt=now).update(run_after=now)
    work()
    send(issue)  # an editor who thought it had stopped
    work()

    assert sent_to(mailoutbox) == sorted(s.email for s in subscribers)
    assert issue_emails(issue).filter(sent_at=None).count() == 0


def test_an_issue_taken_off_the_site_stops_being_sent(
    issue, send, work, work_one_task, mailoutbox, monkeypatch
):
    [make_subscriber() for _ in range(4)]
    monkeypatch.setattr(mailing, "CHUNK_SIZE", 2)
    send(issue)
    work_one_task()
    issue.status = Status.DRAFT
    issue.save()
    work()
    # The first chunk was already in the outbox; nobody else gets it.
    assert len(mailoutbox) == 2
    assert Mailing.objects.get().prepared_at is None


def test_a_subscriber_who_leaves_before_their_email_goes_does_not_get_it(
    issue, send, run_worker, mailoutbox, django_capture_on_commit_callbacks
):
    staying, leaving = make_subscriber(), make_subscriber()
    send(issue)
    with django_capture_on_commit_callbacks() as handing_to_senders:
        run_worker()
    assert Delivery.objects.count() == 2 and len(mailoutbox) == 0
    Subscriber.objects.get(pk=leaving.pk).leave()
    for hand_on in handing_to_senders:
        hand_on()
    run_until_done(run_worker, django_capture_on_commit_callbacks)
    assert sent_to(mailoutbox) == [staying.email]


def test_progress_counts_what_was_sent_what_waits_and_what_failed(
    issue, send, work, mail_server_down, settings, mailoutbox
):
    assert mailing.progress(issue).mailing is None
    [make_subscriber() for _ in range(3)]
    make_subscriber(confirmed=False)
    send(issue)
    work()
    failing = mailing.progress(issue)
    assert (failing.confirmed, failing.deliveries, failing.to_prepare) == (3, 3, 0)
    assert (failing.sent, failing.waiting, failing.given_up) == (0, 3, 0)
    assert failing.finished_at is None

    use_mail_backend(settings, LOCMEM)
    first = issue_emails(issue).order_by("pk").first()
    OutboundEmail.objects.filter(pk=first.pk).update(failed_at=timezone.now())
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_emails")
    done = mailing.progress(issue)
    assert (done.sent, done.waiting, done.given_up) == (2, 0, 1)
    assert done.last_sent_at is not None
    assert done.finished_at == done.last_sent_at


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database that serves several connections"
)
def test_preparers_running_at_the_same_time_make_one_delivery_and_one_email_each(monkeypatch):
    monkeypatch.setattr(mailing, "CHUNK_SIZE", 5)
    issue = make_issue()
    make_section(issue)
    addresses = sorted(make_subscriber().email for _ in range(40))
    Mailing.objects.create(issue=issue)
    barrier = threading.Barrier(3)

    def preparer():
        try:
            barrier.wait()
            while mailing.waiting_subscribers(issue).exists():
                mailing.prepare_deliveries.call(issue.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=preparer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Delivery.objects.filter(issue=issue).count() == 40
    assert sorted(issue_emails(issue).values_list("to", flat=True)) == addresses


def test_a_live_banner_is_in_the_email_only_when_the_team_chooses(issue):
    Banner.objects.create(
        title="Chosen", message="<p>In the email.</p>", is_live=True, in_newsletter=True
    )
    Banner.objects.create(title="Site only", message="<p>Not emailed.</p>", is_live=True)
    Banner.objects.create(title="Draft", message="<p>x</p>", in_newsletter=True)
    email = mailing.IssueEmail(issue).render(make_subscriber())
    for body in (email.html, email.text):
        assert "Chosen" in body and "In the email." in body
        assert "Site only" not in body and "Draft" not in body
