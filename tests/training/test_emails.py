import smtplib
import socket
import time
from email import message_from_bytes, policy

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox import sending
from outbox.models import OutboundEmail
from tests.factories import make_training_request, make_workshop, request_form_data
from tests.mail import html_part, use_mail_backend
from training import emails
from training.models import TrainingRequest

pytestmark = pytest.mark.django_db

URL = "/training/request/"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks, run_worker):
    """Send the form, then let the worker do its work."""

    def submit(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, request_form_data(**overrides))
        assert response.status_code == 302
        run_worker()
        return response

    return submit


def test_emails_come_from_the_team_by_name_and_not_from_the_inbox_they_go_to(
    submit, mailoutbox, settings
):
    # Mail from an address to itself is what spam filters count against once a relay is involved.
    settings.DEFAULT_FROM_EMAIL = "Westminster Prevent team <website@example.org>"
    submit()
    team, requester = sorted(mailoutbox, key=lambda m: m.to != ["prevent@westminster.gov.uk"])
    assert team.to == ["prevent@westminster.gov.uk"]
    for message in (team, requester):
        sent = message_from_bytes(message.message().as_bytes(), policy=policy.default)
        assert sent["From"].addresses[0].display_name == "Westminster Prevent team"
        assert sent["From"].addresses[0].addr_spec == "website@example.org"
    assert team.reply_to == ["amina.khan@example.org"]
    assert requester.reply_to == ["prevent@westminster.gov.uk"]


def test_a_request_sends_the_team_every_detail_with_reply_to_the_requester(
    submit, mailoutbox, settings
):
    settings.TEAM_EMAIL = "prevent@westminster.gov.uk"
    settings.SITE_URL = "https://prevent.example.gov.uk"
    wrap = make_workshop(title="Workshop to Raise Awareness of Prevent", short_name="WRAP")
    submit(
        workshop=wrap.slug,
        preferred_date_2_0="",
        preferred_date_2_1="",
        preferred_date_2_2="",
    )
    saved = TrainingRequest.objects.get()
    assert len(mailoutbox) == 2
    team = next(m for m in mailoutbox if m.to == ["prevent@westminster.gov.uk"])
    assert team.reply_to == ["amina.khan@example.org"]
    assert team.from_email == settings.DEFAULT_FROM_EMAIL
    assert saved.reference in team.subject
    assert "St Mary's Primary School" in team.subject
    admin_link = "https://prevent.example.gov.uk" + reverse(
        "admin:training_trainingrequest_change", args=[saved.pk]
    )
    for text in [
        saved.reference,
        "Workshop to Raise Awareness of Prevent",
        "St Mary's Primary School",
        "School",
        "Amina Khan",
        "Designated safeguarding lead",
        "amina.khan@example.org",
        "020 7946 0000",
        "Teaching and support staff",
        "25",
        "In person",
        "1 Example Street, London W2 1AA",
        saved.preferred_date_1.strftime("%-d %B %Y"),
        "Step-free access please",
        "We would like the session after school.",
        admin_link,
    ]:
        assert text in team.body, text
    html = html_part(team)
    assert "St Mary&#x27;s Primary School" in html
    assert f'href="{admin_link}"' in html


def test_the_requester_gets_an_acknowledgement_with_the_reference(submit, mailoutbox):
    submit(message="Please call me on Tuesday")
    saved = TrainingRequest.objects.get()
    acknowledgement = next(m for m in mailoutbox if m.to == ["amina.khan@example.org"])
    assert saved.reference in acknowledgement.subject
    assert saved.reference in acknowledgement.body
    assert saved.reference in html_part(acknowledgement)
    assert "What happens next" in acknowledgement.body
    assert acknowledgement.reply_to == ["prevent@westminster.gov.uk"]
    # Whatever was typed is not sent to the address that was typed.
    assert "Please call me on Tuesday" not in acknowledgement.body
    assert "St Mary" not in acknowledgement.body


def test_emails_are_handed_to_the_worker_after_commit_and_sent_by_it(
    client, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, request_form_data())
    saved = TrainingRequest.objects.get()
    assert mailoutbox == []
    assert OutboundEmail.objects.filter(sent_at=None).count() == 2
    assert saved.team_emailed_at is None and saved.requester_emailed_at is None
    assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "outbox.sending.send_emails"
    assert mailoutbox == []  # the request itself sends nothing
    run_worker()
    assert len(mailoutbox) == 2
    saved.refresh_from_db()
    assert saved.team_emailed_at is not None and saved.requester_emailed_at is not None
    assert OutboundEmail.objects.filter(sent_at=None).count() == 0


def test_line_breaks_in_a_name_or_organisation_cannot_add_email_headers(mailoutbox):
    # The form refuses line breaks; this request could only come from elsewhere (the admin,
    # an import). Its emails must still be safe.
    training_request = make_training_request(
        reference="TRAIN-2026-0001",
        organisation="Evil Corp\r\nBcc: victim@example.com",
        contact_name="Mallory\nX-Injected: yes",
        email="mallory@example.com",
    )
    queued = emails.queue_emails(training_request)
    for email in queued:
        assert "\n" not in email.subject and "\r" not in email.subject
    sending.send_pending()
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        # Parsed as a mail server would: long headers are folded, which is not injection.
        parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
        assert parsed["Bcc"] is None
        assert parsed["X-Injected"] is None
        assert "\n" not in str(parsed["Subject"])
    team = next(m for m in mailoutbox if m.to == ["prevent@westminster.gov.uk"])
    assert "Evil Corp Bcc: victim@example.com" in team.subject


@pytest.mark.parametrize(
    ("error", "on_open"),
    [
        (smtplib.SMTPException("451 try again later"), False),
        (smtplib.SMTPRecipientsRefused({"prevent@westminster.gov.uk": (550, b"no")}), False),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (TimeoutError("timed out"), False),
    ],
)
def test_when_sending_fails_the_request_is_kept_and_the_confirmation_shown(
    client,
    mail_server_down,
    settings,
    django_capture_on_commit_callbacks,
    run_worker,
    mailoutbox,
    error,
    on_open,
):
    mail_server_down(error, on_open=on_open)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, request_form_data(), follow=True)
    run_worker()
    saved = TrainingRequest.objects.get()
    assert response.status_code == 200
    assert saved.reference in response.content.decode()
    assert "govuk-panel--confirmation" in response.content.decode()
    assert saved.team_emailed_at is None and saved.requester_emailed_at is None
    unsent = OutboundEmail.objects.filter(sent_at=None)
    assert unsent.count() == 2
    for email in unsent:
        assert email.attempts == 1
        assert type(error).__name__ in email.last_error
        assert email.claimed_at is None

    use_mail_backend(settings, LOCMEM)
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    sending.send_pending()
    sending.send_pending()
    saved.refresh_from_db()
    if sending.is_permanent(error):
        # The server refused the address for good: trying again would fail the same way.
        assert mailoutbox == []
        assert OutboundEmail.objects.exclude(failed_at=None).count() == 2
        return
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["prevent@westminster.gov.uk", "amina.khan@example.org"]
    )
    assert saved.team_emailed_at is not None and saved.requester_emailed_at is not None


def test_twenty_requests_with_the_mail_server_down_are_all_sent_once_later(
    client, mail_server_down, settings, django_capture_on_commit_callbacks, mailoutbox, run_worker
):
    from django.core.management import call_command

    settings.TRAINING_REQUEST_RATE_LIMIT = 100
    mail_server_down(ConnectionRefusedError(111, "Connection refused"), on_open=True)
    for n in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, request_form_data(organisation=f"Organisation {n}"))
        assert response.status_code == 302
    run_worker()
    assert TrainingRequest.objects.count() == 20
    assert OutboundEmail.objects.filter(sent_at=None).count() == 40

    use_mail_backend(settings, LOCMEM)
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_emails")
    call_command("send_pending_emails")
    assert len(mailoutbox) == 40
    subjects = [m.subject for m in mailoutbox]
    assert len(set(subjects)) == 40
    for saved in TrainingRequest.objects.all():
        assert saved.team_emailed_at is not None and saved.requester_emailed_at is not None


def test_an_invalid_reply_to_is_left_out_and_the_team_still_gets_the_email(mailoutbox):
    # Saved before the form refused quoted addresses: Django's EmailField accepts this one.
    training_request = make_training_request(email='"a\x0bb"@example.org')
    emails.queue_emails(training_request)
    sending.send_pending()
    team = next(m for m in mailoutbox if m.to == ["prevent@westminster.gov.uk"])
    assert team.reply_to == []
    training_request.refresh_from_db()
    assert training_request.team_emailed_at is not None


@pytest.fixture
def silent_mail_server(settings):
    """A mail server that accepts the connection and never says a word."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.getsockname()[1], "timeout": 3},
            }
        }
        yield server


def test_with_a_mail_server_that_never_answers_the_form_still_answers_at_once(
    client, silent_mail_server, django_capture_on_commit_callbacks, run_worker
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, request_form_data())
    assert time.monotonic() - started < 1
    assert response.status_code == 302
    saved = TrainingRequest.objects.get()
    assert saved.emails.filter(sent_at=None).count() == 2
    # The worker is the one that waits for the server, and keeps the emails for later.
    run_worker()
    for email in OutboundEmail.objects.all():
        assert email.attempts == 1 and email.sent_at is None and email.failed_at is None
        assert "timed out" in email.last_error


def test_the_worker_tries_again_at_the_next_try_after_a_temporary_failure(
    submit, mail_server_down, settings, mailoutbox, run_worker
):
    mail_server_down(ConnectionRefusedError(111, "Connection refused"), on_open=True)
    submit()
    assert OutboundEmail.objects.filter(attempts=1, sent_at=None).count() == 2
    retry = DBTaskResult.objects.get(status="READY")
    next_try = OutboundEmail.objects.first().next_attempt_at
    assert retry.run_after == next_try
    run_worker()  # not due yet: nothing happens
    assert OutboundEmail.objects.filter(attempts=1).count() == 2

    use_mail_backend(settings, LOCMEM)
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == [
        "amina.khan@example.org",
        "prevent@westminster.gov.uk",
    ]
    assert not DBTaskResult.objects.filter(status="READY").exists()
