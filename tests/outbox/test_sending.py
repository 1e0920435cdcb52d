"""The outbox's senders: the worker's task and send_pending_emails (cron, the safety net)."""

import smtplib
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from outbox import sending
from outbox.models import OutboundEmail
from tests.factories import make_outbound_email
from tests.mail import use_mail_backend

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
TEAM = "prevent@westminster.gov.uk"


def run(command, *args):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def queue_pair(reference="TEST-2026-0001"):
    """Two emails about one thing, as a public form queues them: the team's, and one back to
    the person who sent it. What they are about does not matter to the outbox: here, a group."""
    about = Group.objects.create(name=f"About {reference} {Group.objects.count()}")
    emails = [
        OutboundEmail(
            about=about,
            kind=kind,
            to=to,
            reply_to=reply_to,
            subject=f"{subject} {reference}",
            text=f"{subject} {reference}.",
            html=f"<p>{subject} {reference}.</p>",
        )
        for kind, to, reply_to, subject in [
            ("team", TEAM, "amina.khan@example.org", "New submission"),
            ("acknowledgement", "amina.khan@example.org", TEAM, "We have received"),
        ]
    ]
    return about, sending.queue(*emails)


@pytest.mark.django_db
def test_send_pending_emails_sends_each_waiting_email_once_and_says_so(mailoutbox):
    _, queued = queue_pair(reference="TEST-2026-0007")
    out, err = run("send_pending_emails")
    assert len(mailoutbox) == 2
    assert out.count("Sent ") == 2
    assert "TEST-2026-0007" in out and "prevent@westminster.gov.uk" in out
    assert err == ""
    assert run("send_pending_emails") == ("", "")
    assert len(mailoutbox) == 2
    for email in queued:
        email.refresh_from_db()
        assert email.sent_at and email.attempts == 1


@pytest.mark.django_db
def test_send_pending_emails_is_quiet_with_nothing_to_do_unless_asked():
    assert run("send_pending_emails") == ("", "")
    out, _ = run("send_pending_emails", "--verbosity", "2")
    assert out == "Nothing to send.\n"


def make_due():
    """Let time pass until every waiting email is due again."""
    OutboundEmail.objects.update(next_attempt_at=timezone.now())


@pytest.mark.django_db
def test_send_pending_emails_reports_what_will_be_retried(mail_server_down, mailoutbox):
    mail_server_down(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    queue_pair(reference="TEST-2026-0008")
    run("send_pending_emails")
    assert run("send_pending_emails") == ("", "")  # not due again yet
    make_due()
    out, err = run("send_pending_emails")
    assert out == ""
    assert err.count("Waiting (next try at ") == 2
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in err
    assert "TEST-2026-0008" in err
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {2}


@pytest.mark.django_db
def test_each_failure_waits_longer_up_to_an_hour(mail_server_down):
    mail_server_down(TimeoutError("timed out"))
    queue_pair()
    waits = []
    for _ in range(9):
        make_due()
        before = timezone.now()
        sending.send_pending()
        email = OutboundEmail.objects.first()
        waits.append(round((email.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert not OutboundEmail.objects.exclude(failed_at=None).exists()


@pytest.mark.django_db
def test_a_long_mail_server_outage_never_gives_up_on_an_email(mail_server_down, settings):
    mail_server_down(TimeoutError("timed out"))
    queue_pair(reference="TEST-2026-0009")
    # A day and more of hourly retries while the server stays down.
    for _ in range(30):
        make_due()
        sending.send_pending()
    assert OutboundEmail.objects.exclude(failed_at=None).count() == 0
    assert all(email.attempts == 30 for email in OutboundEmail.objects.all())
    # Once the server is back, both emails go.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    make_due()
    run("send_pending_emails")
    assert OutboundEmail.objects.filter(sent_at=None).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}),
        smtplib.SMTPDataError(554, b"Message rejected"),
        ValueError("Header values may not contain linefeed or carriage return characters"),
    ],
)
def test_a_permanent_error_fails_the_email_at_once(mail_server_down, error):
    mail_server_down(error)
    queue_pair()
    sending.send_pending()
    for email in OutboundEmail.objects.all():
        assert email.failed_at is not None and email.attempts == 1
        assert type(error).__name__ in email.last_error
    make_due()
    assert sending.claim() == []


@pytest.mark.django_db
def test_an_email_that_failed_at_its_first_try_says_1_attempt(mail_server_down):
    mail_server_down(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}))
    queue_pair()
    _, err = run("send_pending_emails")
    assert err.count("Failed after 1 attempt: SMTPRecipientsRefused") == 2
    for email in OutboundEmail.objects.all():
        assert email.state.startswith("Failed after 1 attempt: SMTPRecipientsRefused")


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"Mailbox busy")}),
        smtplib.SMTPDataError(451, b"Try again later"),
        smtplib.SMTPAuthenticationError(535, b"Bad login"),
    ],
)
def test_temporary_errors_are_retried(error):
    assert not sending.is_permanent(error)


@pytest.mark.django_db
def test_emails_that_keep_failing_do_not_hold_up_new_ones(mail_server_down, settings, mailoutbox):
    mail_server_down(smtplib.SMTPRecipientsRefused({"x": (450, b"Mailbox busy")}))
    for n in range(30):
        queue_pair(reference=f"TEST-2026-{n:04d}")
    sending.send_pending()
    sending.send_pending()
    assert OutboundEmail.objects.filter(attempts=1).count() == 60
    use_mail_backend(settings, LOCMEM)
    queue_pair(reference="TEST-2026-0999")
    run("send_pending_emails")
    assert len([m for m in mailoutbox if "0999" in m.subject]) == 2


@pytest.mark.django_db
def test_a_claimed_email_cannot_be_claimed_again():
    queue_pair()
    first = sending.claim()
    assert len(first) == 2
    assert sending.claim() == []  # a second sender running now gets nothing
    assert sending.claim(ids=[e.pk for e in first]) == []


@pytest.mark.django_db
def test_a_claim_left_by_a_sender_that_died_is_taken_over_later(mailoutbox):
    queue_pair()
    sending.claim()  # this sender "dies" without sending
    OutboundEmail.objects.update(
        claimed_at=timezone.now() - sending.STALE_CLAIM - timedelta(seconds=1)
    )
    run("send_pending_emails")
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_a_sender_that_lost_its_claim_does_not_mark_the_new_claim(mailoutbox):
    queue_pair()
    [old, _] = sending.claim()
    OutboundEmail.objects.update(
        claimed_at=timezone.now() - sending.STALE_CLAIM - timedelta(seconds=1)
    )
    [new, _] = sending.claim()
    sending.send_claimed([old])  # the slow first sender finishes at last
    new.refresh_from_db()
    assert new.sent_at is None and new.claim_token != old.claim_token


@pytest.mark.django_db
def test_sent_emails_are_never_claimed_again():
    queue_pair()
    sending.send_pending()
    OutboundEmail.objects.update(claimed_at=timezone.now() - timedelta(days=1))
    assert sending.claim() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database that serves several connections"
)
def test_two_senders_running_at_once_never_send_the_same_email_twice(settings):
    use_mail_backend(settings, "tests.mail.SlowLocmemBackend")
    for n in range(15):
        queue_pair(reference=f"TEST-2026-{n:04d}")
    mail.outbox = []
    barrier = threading.Barrier(4)

    def sender():
        try:
            barrier.wait()
            sending.send_pending(limit=10)
            sending.send_pending(limit=10)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 30
    assert len(set(subjects)) == 30
    assert not OutboundEmail.objects.filter(sent_at=None).exists()


@pytest.mark.django_db
def test_if_recording_a_sent_email_fails_once_it_is_retried_not_resent(monkeypatch, mailoutbox):
    from django.db import OperationalError

    queue_pair()
    real_record = sending._record_sent
    failures = []

    def flaky_record(email, now):
        if not failures:
            failures.append(email.pk)
            raise OperationalError("database is locked")
        real_record(email, now)

    monkeypatch.setattr(sending, "_record_sent", flaky_record)
    results = sending.send_pending()
    assert [error for _, error in results] == [None, None]
    assert len(mailoutbox) == 2
    assert not OutboundEmail.objects.filter(sent_at=None).exists()
    make_due()
    OutboundEmail.objects.update(claimed_at=timezone.now() - timedelta(days=1))
    sending.send_pending()
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_an_email_still_failing_after_24_hours_is_marked_failed(mail_server_down):
    mail_server_down(TimeoutError("timed out"))
    queue_pair(reference="TEST-2026-0010")
    sending.send_pending()
    first_failure = OutboundEmail.objects.first().failing_since
    assert first_failure is not None
    OutboundEmail.objects.update(failing_since=timezone.now() - timedelta(hours=23, minutes=59))
    make_due()
    sending.send_pending()
    assert not OutboundEmail.objects.exclude(failed_at=None).exists()
    OutboundEmail.objects.update(failing_since=timezone.now() - timedelta(hours=24, minutes=1))
    make_due()
    out, err = run("send_pending_emails")
    assert OutboundEmail.objects.filter(failed_at=None).count() == 0
    assert err.count("Failed after 3 attempts: TimeoutError: timed out") == 2
    make_due()
    assert sending.claim() == []


@pytest.mark.django_db
def test_send_pending_emails_now_does_not_wait_for_the_next_try(mail_server_down, settings):
    mail_server_down(ConnectionRefusedError(111, "Connection refused"), on_open=True)
    queue_pair(reference="TEST-2026-0011")
    sending.send_pending()
    use_mail_backend(settings, LOCMEM)  # the outage is over
    assert run("send_pending_emails") == ("", "")  # next try is a minute away
    out, err = run("send_pending_emails", "--now")
    assert out.count("Sent ") == 2 and "TEST-2026-0011" in out
    assert err == ""
    assert len(mail.outbox) == 2
    assert not OutboundEmail.objects.filter(sent_at=None).exists()


@pytest.mark.django_db
def test_send_pending_emails_now_leaves_failed_emails_to_the_admin(mail_server_down, settings):
    mail_server_down(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}))
    queue_pair()
    sending.send_pending()
    use_mail_backend(settings, LOCMEM)
    run("send_pending_emails", "--now")
    assert mail.outbox == []
    assert OutboundEmail.objects.exclude(failed_at=None).count() == 2


@pytest.mark.django_db
def test_queued_emails_go_to_the_worker_once_committed_and_are_sent_once(
    django_capture_on_commit_callbacks, run_worker, mailoutbox
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_pair(reference="TEST-2026-0012")
    assert not DBTaskResult.objects.exists()  # nothing is queued before the commit
    [handing_on] = callbacks
    handing_on()
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "outbox.sending.send_emails"
    run_worker()
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == ["amina.khan@example.org", TEAM]
    assert run("send_pending_emails", "--now") == ("", "")
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_an_email_carries_the_headers_it_was_queued_with(mailoutbox):
    about = Group.objects.create(name="A subscriber")
    sending.queue(
        OutboundEmail(
            about=about,
            kind="issue",
            to="reader@example.org",
            subject="The July issue",
            text="The July issue is out.",
            html="<p>The July issue is out.</p>",
            headers={
                "List-Unsubscribe": "<https://prevent.example.gov.uk/unsubscribe/abc/>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    )
    sending.send_pending()
    [message] = mailoutbox
    sent = message.message()
    assert sent["List-Unsubscribe"] == "<https://prevent.example.gov.uk/unsubscribe/abc/>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_a_long_list_unsubscribe_link_is_sent_on_one_line_not_as_encoded_words(mailoutbox):
    # Python's email folds a header at 78 characters; a link with no space to fold at becomes
    # RFC 2047 encoded words, which Gmail does not decode in List-Unsubscribe.
    link = "https://prevent.example.gov.uk/newsletters/unsubscribe/" + "Wz" * 60 + ":1abc:xyz/"
    value = f"<{link}>, <mailto:{TEAM}?subject=Unsubscribe>"
    about = Group.objects.create(name="A subscriber")
    sending.queue(
        OutboundEmail(
            about=about,
            kind="issue",
            to="reader@example.org",
            subject="The July issue",
            text="The July issue is out.",
            html="<p>The July issue is out.</p>",
            headers={"List-Unsubscribe": value},
        )
    )
    sending.send_pending()
    [message] = mailoutbox
    for sent_with in (policy.default, policy.SMTP):  # SMTP: as the SMTP backend sends it
        raw = message.message(policy=sent_with).as_bytes()
        assert b"=?utf-8?" not in raw
        assert f"List-Unsubscribe: {value}{sent_with.linesep}".encode() in raw
        assert message_from_bytes(raw, policy=policy.default)["List-Unsubscribe"] == value


@pytest.mark.django_db
def test_a_header_with_a_line_break_fails_its_email_rather_than_adding_headers(mailoutbox):
    about = Group.objects.create(name="A subscriber")
    [email] = sending.queue(
        OutboundEmail(
            about=about,
            kind="issue",
            to="reader@example.org",
            subject="The July issue",
            text="…",
            html="<p>…</p>",
            headers={"List-Unsubscribe": "<https://example.org/>\r\nBcc: victim@example.com"},
        )
    )
    sending.send_pending()
    assert mailoutbox == []
    email.refresh_from_db()
    assert email.failed_at is not None and email.sent_at is None


LONG_LINK = "https://prevent.example.gov.uk/newsletters/unsubscribe/" + "Wz" * 30 + ":1abc:xyz/"


@pytest.mark.django_db
def test_plain_text_is_wrapped_at_78_characters_but_never_inside_a_link(mailoutbox):
    # RFC 5322: lines of at most 78 characters. A link longer than that stays whole, on a line
    # of its own, so that mail programs still find it.
    paragraph = (
        "Thank you for asking for a Workshop to Raise Awareness of Prevent for your staff: "
        "we will be in touch within five working days to agree a date, a place and the number "
        "of people who will come."
    )
    text = (
        f"{paragraph}\n\nShort line.\n"
        f"Unsubscribe: {LONG_LINK}\n"
        "   - A sub-heading of the section, long enough to wrap onto a second line: "
        "https://prevent.example.gov.uk/newsletters/july-2023/#prevent-news\n"
    )
    sending.queue(make_outbound_email(text=text, html="<p>Thanks.</p>"))
    sending.send_pending()
    [message] = mailoutbox
    sent = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    body = sent.get_body(("plain",)).get_content()
    lines = body.splitlines()
    assert all(len(line) <= 78 for line in lines if line != LONG_LINK), lines
    assert LONG_LINK in lines
    assert "Unsubscribe:" in lines
    assert "https://prevent.example.gov.uk/newsletters/july-2023/#prevent-news" in body
    # Nothing lost or reordered: the words are the same, and short lines stay as they were.
    assert body.split() == text.split()
    assert "\n\nShort line.\n" in body
    # The continuation of an indented list item keeps its indent.
    [item] = [i for i, line in enumerate(lines) if line.startswith("   - A sub-heading")]
    assert lines[item + 1].startswith("     ")
