import smtplib
from email import message_from_bytes, policy

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_training_request, make_workshop, request_form_data
from tests.mail import use_mail_backend
from training import emails
from training.models import OutboundEmail, TrainingRequest

pytestmark = pytest.mark.django_db

URL = "/training/request/"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def submit(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, request_form_data(**overrides))
    assert response.status_code == 302
    return response


def html_part(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def test_a_request_sends_the_team_every_detail_with_reply_to_the_requester(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.TEAM_EMAIL = "prevent@westminster.gov.uk"
    settings.SITE_URL = "https://prevent.example.gov.uk"
    wrap = make_workshop(title="Workshop to Raise Awareness of Prevent", short_name="WRAP")
    submit(
        client,
        django_capture_on_commit_callbacks,
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


def test_the_requester_gets_an_acknowledgement_with_the_reference(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, message="Please call me on Tuesday")
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


def test_emails_go_only_after_the_request_is_committed_and_are_marked_sent(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, request_form_data())
    saved = TrainingRequest.objects.get()
    assert mailoutbox == []
    assert OutboundEmail.objects.filter(sent_at=None).count() == 2
    assert saved.team_emailed_at is None and saved.requester_emailed_at is None
    assert len(callbacks) == 1
    callbacks[0]()
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
    emails.send_now([email.pk for email in queued])
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        # Parsed as a mail server would: long headers are folded, which is not injection.
        parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
        assert parsed["Bcc"] is None
        assert parsed["X-Injected"] is None
        assert "\n" not in str(parsed["Subject"])
    team = next(m for m in mailoutbox if m.to == ["prevent@westminster.gov.uk"])
    assert "Evil Corp Bcc: victim@example.com" in team.subject


def test_header_safe_makes_one_line_without_control_characters():
    assert emails.header_safe("a\r\nb\tc\x00d\x85e") == "a b c d e"
    assert len(emails.header_safe("x" * 1000)) == 250


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
    mailoutbox,
    error,
    on_open,
):
    mail_server_down(error, on_open=on_open)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, request_form_data(), follow=True)
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
    emails.send_pending()
    emails.send_pending()
    saved.refresh_from_db()
    if emails.is_permanent(error):
        # The server refused the address for good: trying again would fail the same way.
        assert mailoutbox == []
        assert OutboundEmail.objects.exclude(failed_at=None).count() == 2
        return
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["prevent@westminster.gov.uk", "amina.khan@example.org"]
    )
    assert saved.team_emailed_at is not None and saved.requester_emailed_at is not None


def test_twenty_requests_with_the_mail_server_down_are_all_sent_once_later(
    client, mail_server_down, settings, django_capture_on_commit_callbacks, mailoutbox
):
    from django.core.management import call_command

    settings.TRAINING_REQUEST_RATE_LIMIT = 100
    mail_server_down(ConnectionRefusedError(111, "Connection refused"), on_open=True)
    for n in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, request_form_data(organisation=f"Organisation {n}"))
        assert response.status_code == 302
    assert TrainingRequest.objects.count() == 20
    assert OutboundEmail.objects.filter(sent_at=None).count() == 40

    use_mail_backend(settings, LOCMEM)
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_emails")
    call_command("send_pending_emails")
    assert len(mailoutbox) == 40
    subjects = [m.subject for m in mailoutbox]
    assert len(set(subjects)) == 40
    assert not TrainingRequest.objects.filter(team_emailed_at=None).exists()
    assert not TrainingRequest.objects.filter(requester_emailed_at=None).exists()


def test_an_invalid_reply_to_is_left_out_and_the_team_still_gets_the_email(mailoutbox):
    # Saved before the form refused quoted addresses: Django's EmailField accepts this one.
    training_request = make_training_request(email='"a\x0bb"@example.org')
    emails.send_now([email.pk for email in emails.queue_emails(training_request)])
    team = next(m for m in mailoutbox if m.to == ["prevent@westminster.gov.uk"])
    assert team.reply_to == []
    training_request.refresh_from_db()
    assert training_request.team_emailed_at is not None
