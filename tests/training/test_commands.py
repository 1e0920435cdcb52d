import smtplib
import subprocess
import sys
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from tests.factories import make_training_request
from tests.mail import use_mail_backend
from training import emails
from training.models import OutboundEmail, RecentSubmission, TrainingRequest

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def run(command, *args):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def queue_request(**overrides):
    training_request = make_training_request(**overrides)
    return training_request, emails.queue_emails(training_request)


@pytest.mark.django_db
def test_send_pending_emails_sends_each_waiting_email_once_and_says_so(mailoutbox):
    training_request, _ = queue_request(reference="TRAIN-2026-0007")
    out, err = run("send_pending_emails")
    assert len(mailoutbox) == 2
    assert out.count("Sent ") == 2
    assert "TRAIN-2026-0007" in out and "prevent@westminster.gov.uk" in out
    assert err == ""
    assert run("send_pending_emails") == ("", "")
    assert len(mailoutbox) == 2
    training_request.refresh_from_db()
    assert training_request.team_emailed_at and training_request.requester_emailed_at


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
    queue_request(reference="TRAIN-2026-0008")
    run("send_pending_emails")
    assert run("send_pending_emails") == ("", "")  # not due again yet
    make_due()
    out, err = run("send_pending_emails")
    assert out == ""
    assert err.count("Waiting (next try at ") == 2
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in err
    assert "TRAIN-2026-0008" in err
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {2}


@pytest.mark.django_db
def test_each_failure_waits_longer_up_to_an_hour(mail_server_down):
    mail_server_down(TimeoutError("timed out"))
    queue_request()
    waits = []
    for _ in range(9):
        make_due()
        before = timezone.now()
        emails.send_pending()
        email = OutboundEmail.objects.first()
        waits.append(round((email.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert not OutboundEmail.objects.exclude(failed_at=None).exists()


@pytest.mark.django_db
def test_a_long_mail_server_outage_never_gives_up_on_an_email(mail_server_down, settings):
    mail_server_down(TimeoutError("timed out"))
    queue_request(reference="TRAIN-2026-0009")
    # A day and more of hourly retries while the server stays down.
    for _ in range(30):
        make_due()
        emails.send_pending()
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
    queue_request()
    emails.send_pending()
    for email in OutboundEmail.objects.all():
        assert email.failed_at is not None and email.attempts == 1
        assert type(error).__name__ in email.last_error
    make_due()
    assert emails.claim() == []


@pytest.mark.django_db
def test_an_email_that_failed_at_its_first_try_says_1_attempt(mail_server_down):
    mail_server_down(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}))
    queue_request()
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
    assert not emails.is_permanent(error)


@pytest.mark.django_db
def test_emails_that_keep_failing_do_not_hold_up_new_ones(mail_server_down, settings, mailoutbox):
    mail_server_down(smtplib.SMTPRecipientsRefused({"x": (450, b"Mailbox busy")}))
    for n in range(30):
        queue_request(reference=f"TRAIN-2026-{n:04d}")
    emails.send_pending()
    emails.send_pending()
    assert OutboundEmail.objects.filter(attempts=1).count() == 60
    use_mail_backend(settings, LOCMEM)
    queue_request(reference="TRAIN-2026-0999")
    run("send_pending_emails")
    assert len([m for m in mailoutbox if "0999" in m.subject]) == 2


@pytest.mark.django_db
def test_a_claimed_email_cannot_be_claimed_again():
    queue_request()
    first = emails.claim()
    assert len(first) == 2
    assert emails.claim() == []  # a second sender running now gets nothing
    assert emails.claim(ids=[e.pk for e in first]) == []


@pytest.mark.django_db
def test_a_claim_left_by_a_sender_that_died_is_taken_over_later(mailoutbox):
    queue_request()
    emails.claim()  # this sender "dies" without sending
    OutboundEmail.objects.update(
        claimed_at=timezone.now() - emails.STALE_CLAIM - timedelta(seconds=1)
    )
    run("send_pending_emails")
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_a_sender_that_lost_its_claim_does_not_mark_the_new_claim(mailoutbox):
    queue_request()
    [old, _] = emails.claim()
    OutboundEmail.objects.update(
        claimed_at=timezone.now() - emails.STALE_CLAIM - timedelta(seconds=1)
    )
    [new, _] = emails.claim()
    emails.send_claimed([old])  # the slow first sender finishes at last
    new.refresh_from_db()
    assert new.sent_at is None and new.claim_token != old.claim_token


@pytest.mark.django_db
def test_sent_emails_are_never_claimed_again():
    queue_request()
    emails.send_pending()
    OutboundEmail.objects.update(claimed_at=timezone.now() - timedelta(days=1))
    assert emails.claim() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database that serves several connections"
)
def test_two_senders_running_at_once_never_send_the_same_email_twice(settings):
    use_mail_backend(settings, "tests.mail.SlowLocmemBackend")
    for n in range(15):
        queue_request(reference=f"TRAIN-2026-{n:04d}")
    mail.outbox = []
    barrier = threading.Barrier(4)

    def sender():
        try:
            barrier.wait()
            emails.send_pending(limit=10)
            emails.send_pending(limit=10)
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a database that serves several connections"
)
def test_references_stay_unique_when_requests_arrive_at_once():
    from django.db import transaction

    references = []
    barrier = threading.Barrier(8)

    def submit():
        try:
            barrier.wait()
            with transaction.atomic():
                training_request = TrainingRequest(
                    organisation="Org",
                    sector="school",
                    contact_name="A",
                    email="a@example.org",
                    audience="Staff",
                    participants=5,
                    delivery="online",
                )
                training_request.assign_reference()
                training_request.save()
            references.append(training_request.reference)
        finally:
            connections.close_all()

    # The first round races to create the year's counter, the second to increment it.
    for _ in range(2):
        threads = [threading.Thread(target=submit) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    year = timezone.localdate().year
    assert sorted(references) == [f"TRAIN-{year}-{n:04d}" for n in range(1, 17)]


@pytest.mark.django_db
def test_purge_old_requests_deletes_only_requests_past_retention_with_their_emails(settings):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 365
    now = timezone.now()
    old, _ = queue_request(received_at=now - timedelta(days=366))
    older, _ = queue_request(received_at=now - timedelta(days=900))
    recent, _ = queue_request(received_at=now - timedelta(days=364))
    out, _ = run("purge_old_requests")
    assert out == (
        "Deleted 2 training requests received more than 365 days ago, and their 4 emails.\n"
    )
    assert list(TrainingRequest.objects.all()) == [recent]
    assert OutboundEmail.objects.count() == 2
    assert not OutboundEmail.objects.exclude(request=recent).exists()


@pytest.mark.django_db
def test_purge_also_forgets_rate_limit_rows_older_than_an_hour():
    old = RecentSubmission.objects.create(
        client="a" * 64, created_at=timezone.now() - timedelta(hours=2)
    )
    fresh = RecentSubmission.objects.create(client="b" * 64)
    run("purge_old_requests")
    assert list(RecentSubmission.objects.all()) == [fresh]
    assert not RecentSubmission.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_purge_follows_the_retention_setting_and_can_be_tried_first(settings):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 30
    queue_request(received_at=timezone.now() - timedelta(days=31))
    out, _ = run("purge_old_requests", "--dry-run")
    assert out == "Would delete 1 training request received more than 30 days ago.\n"
    assert TrainingRequest.objects.count() == 1
    out, _ = run("purge_old_requests")
    assert out == "Deleted 1 training request received more than 30 days ago, and its 2 emails.\n"
    assert TrainingRequest.objects.count() == 0


@pytest.mark.django_db
def test_purge_counts_read_right_for_one_day_and_one_email(settings):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 1
    training_request, [team, _] = queue_request(received_at=timezone.now() - timedelta(days=2))
    team.delete()
    out, _ = run("purge_old_requests")
    assert out == "Deleted 1 training request received more than 1 day ago, and its 1 email.\n"


def test_rate_limit_and_retention_are_read_from_the_environment():
    code = (
        "import prevent_site.settings as s;"
        "print(s.TRAINING_REQUEST_RATE_LIMIT, s.TRAINING_REQUEST_RETENTION_DAYS)"
    )
    env = {
        "SECRET_KEY": "test",
        "TRAINING_REQUEST_RATE_LIMIT": "12",
        "TRAINING_REQUEST_RETENTION_DAYS": "90",
        "PATH": "/usr/bin:/bin",
    }
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["12", "90"]


@pytest.mark.django_db
def test_if_recording_a_sent_email_fails_once_it_is_retried_not_resent(monkeypatch, mailoutbox):
    from django.db import OperationalError

    queue_request()
    real_record = emails._record_sent
    failures = []

    def flaky_record(email, now):
        if not failures:
            failures.append(email.pk)
            raise OperationalError("database is locked")
        real_record(email, now)

    monkeypatch.setattr(emails, "_record_sent", flaky_record)
    results = emails.send_pending()
    assert [error for _, error in results] == [None, None]
    assert len(mailoutbox) == 2
    assert not OutboundEmail.objects.filter(sent_at=None).exists()
    make_due()
    OutboundEmail.objects.update(claimed_at=timezone.now() - timedelta(days=1))
    emails.send_pending()
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_an_email_still_failing_after_24_hours_is_marked_failed(mail_server_down):
    mail_server_down(TimeoutError("timed out"))
    queue_request(reference="TRAIN-2026-0010")
    emails.send_pending()
    first_failure = OutboundEmail.objects.first().failing_since
    assert first_failure is not None
    OutboundEmail.objects.update(failing_since=timezone.now() - timedelta(hours=23, minutes=59))
    make_due()
    emails.send_pending()
    assert not OutboundEmail.objects.exclude(failed_at=None).exists()
    OutboundEmail.objects.update(failing_since=timezone.now() - timedelta(hours=24, minutes=1))
    make_due()
    out, err = run("send_pending_emails")
    assert OutboundEmail.objects.filter(failed_at=None).count() == 0
    assert err.count("Failed after 3 attempts: TimeoutError: timed out") == 2
    make_due()
    assert emails.claim() == []


@pytest.mark.django_db
def test_send_pending_emails_now_does_not_wait_for_the_next_try(mail_server_down, settings):
    mail_server_down(ConnectionRefusedError(111, "Connection refused"), on_open=True)
    queue_request(reference="TRAIN-2026-0011")
    emails.send_pending()
    use_mail_backend(settings, LOCMEM)  # the outage is over
    assert run("send_pending_emails") == ("", "")  # next try is a minute away
    out, err = run("send_pending_emails", "--now")
    assert out.count("Sent ") == 2 and "TRAIN-2026-0011" in out
    assert err == ""
    assert len(mail.outbox) == 2
    assert not OutboundEmail.objects.filter(sent_at=None).exists()


@pytest.mark.django_db
def test_send_pending_emails_now_leaves_failed_emails_to_the_admin(mail_server_down, settings):
    mail_server_down(smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}))
    queue_request()
    emails.send_pending()
    use_mail_backend(settings, LOCMEM)
    run("send_pending_emails", "--now")
    assert mail.outbox == []
    assert OutboundEmail.objects.exclude(failed_at=None).count() == 2
