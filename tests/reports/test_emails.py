from email import message_from_bytes, policy

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox import sending
from outbox.models import OutboundEmail
from reports import emails
from reports.models import Report
from tests.factories import (
    jpeg_upload,
    make_report,
    make_training_request,
    report_form_data,
)
from tests.mail import html_part, use_mail_backend
from training import emails as training_emails

pytestmark = pytest.mark.django_db

URL = "/report/"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks, run_worker):
    """Send the form, then let the worker do its work."""

    def submit(photos=(), **overrides):
        data = report_form_data(**overrides)
        if photos:
            data["photos"] = list(photos)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, data)
        assert response.status_code == 302
        run_worker()
        return Report.objects.get(reference=client.get("/report/sent/").context["report"].reference)

    return submit


def test_the_team_gets_the_report_its_reference_and_a_link_to_it_in_the_admin(
    submit, mailoutbox, settings
):
    settings.TEAM_EMAIL = "prevent@westminster.gov.uk"
    settings.SITE_URL = "https://prevent.example.gov.uk"
    report = submit(
        [jpeg_upload((100, 100)), jpeg_upload((100, 100))],
        kind="other",
        kind_other="Banner on a bridge",
        postcode="sw1a 1aa",
        still_there="not-sure",
        description="It says 'Join us' & shows a symbol",
    )
    team = next(m for m in mailoutbox if m.to == ["prevent@westminster.gov.uk"])
    assert team.reply_to == ["sam.patel@example.org"]
    assert team.from_email == settings.DEFAULT_FROM_EMAIL
    assert report.reference in team.subject
    admin_link = "https://prevent.example.gov.uk" + reverse(
        "admin:reports_report_change", args=[report.pk]
    )
    for text in [
        report.reference,
        "Something else: Banner on a bridge",
        "It says 'Join us' & shows a symbol",
        "Lamp post outside 10 Example Street",
        "SW1A 1AA",
        report.seen_on.strftime("%-d %B %Y"),
        "Still there: Not sure",
        "Photos: 2 (in the admin only)",
        "Sam Patel",
        "sam.patel@example.org",
        admin_link,
    ]:
        assert text in team.body, text
    html = html_part(team)
    assert "It says &#x27;Join us&#x27; &amp; shows a symbol" in html
    assert f'href="{admin_link}"' in html
    # The photos stay in the private store: never attached, never linked outside the admin.
    assert team.attachments == []


def test_the_reporter_gets_an_acknowledgement_with_the_reference_and_none_of_their_words(
    submit, mailoutbox
):
    report = submit(
        description="Words only the team should read",
        place="A place only the team should read",
        contact_name="Mallory",
        kind="other",
        kind_other="A thing only the team should read",
    )
    acknowledgement = next(m for m in mailoutbox if m.to == ["sam.patel@example.org"])
    assert report.reference in acknowledgement.subject
    assert report.reference in acknowledgement.body
    assert report.reference in html_part(acknowledgement)
    assert acknowledgement.reply_to == ["prevent@westminster.gov.uk"]
    assert "What happens next" in acknowledgement.body
    for typed in ["Words only", "A place only", "Mallory", "A thing only", "Lamp post"]:
        assert typed not in acknowledgement.body
        assert typed not in html_part(acknowledgement)
        assert typed not in acknowledgement.subject


def test_an_anonymous_report_sends_the_team_alone_with_no_one_to_reply_to(submit, mailoutbox):
    submit(contact_name="", email="")
    [team] = mailoutbox
    assert team.to == ["prevent@westminster.gov.uk"]
    assert team.reply_to == []
    assert "Sent anonymously: there is no one to reply to." in team.body


def test_emails_are_queued_with_the_report_and_sent_by_the_worker_after_commit(
    client, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, report_form_data())
    report = Report.objects.get()
    assert mailoutbox == []
    assert report.emails.filter(sent_at=None).count() == 2
    assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "outbox.sending.send_emails"
    assert mailoutbox == []  # the request itself sends nothing
    run_worker()
    assert len(mailoutbox) == 2
    assert report.emails.filter(sent_at=None).count() == 0


def test_twenty_reports_with_the_mail_server_down_are_all_saved_then_sent_once(
    client, mail_server_down, settings, django_capture_on_commit_callbacks, mailoutbox, run_worker
):
    settings.REPORT_RATE_LIMIT = 100
    mail_server_down(ConnectionRefusedError(111, "Connection refused"), on_open=True)
    for n in range(20):
        # Every other reporter is anonymous: their report sends the team's email only.
        email = f"reporter{n}@example.org" if n % 2 else ""
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, report_form_data(description=f"Report {n}", email=email))
        assert response.status_code == 302
    run_worker()
    assert Report.objects.count() == 20
    assert OutboundEmail.objects.filter(sent_at=None).count() == 30
    assert mailoutbox == []

    use_mail_backend(settings, LOCMEM)
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_emails")
    call_command("send_pending_emails")
    run_worker()
    assert len(mailoutbox) == 30
    team = [m for m in mailoutbox if m.to == [settings.TEAM_EMAIL]]
    assert len(team) == 20
    assert len({m.subject for m in team}) == 20
    acknowledged = sorted(m.to[0] for m in mailoutbox if m.to != [settings.TEAM_EMAIL])
    assert acknowledged == sorted(f"reporter{n}@example.org" for n in range(1, 20, 2))
    assert not OutboundEmail.objects.filter(sent_at=None).exists()


def test_line_breaks_in_saved_text_cannot_add_email_headers(mailoutbox):
    # The form refuses line breaks in one-line answers; a place may hold them, and the
    # subject is built from it.
    report = make_report(
        place="Evil Street\r\nBcc: victim@example.com",
        contact_name="Mallory\nX-Injected: yes",
        email="mallory@example.com",
    )
    for email in emails.queue_emails(report):
        assert "\n" not in email.subject and "\r" not in email.subject
    sending.send_pending()
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
        assert parsed["Bcc"] is None and parsed["X-Injected"] is None


def test_deleting_a_report_deletes_its_emails(handler_client):
    report = make_report(email="sam@example.org")
    emails.queue_emails(report)
    assert OutboundEmail.objects.count() == 2
    report.delete()
    assert not OutboundEmail.objects.exists()


OUTBOX = reverse("admin:outbox_outboundemail_changelist")


def test_report_handlers_see_emails_about_reports_and_not_about_training(
    handler_client, coordinator_client
):
    report = make_report(reference="REP-2026-0099")
    emails.queue_emails(report)
    training_emails.queue_emails(make_training_request(reference="TRAIN-2026-0098"))
    handler_view = handler_client.get(OUTBOX).content.decode()
    assert "REP-2026-0099" in handler_view and "TRAIN-2026-0098" not in handler_view
    coordinator_view = coordinator_client.get(OUTBOX).content.decode()
    assert "TRAIN-2026-0098" in coordinator_view and "REP-2026-0099" not in coordinator_view
    # And on the report's own page, the emails about it.
    page = handler_client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert "To the team" in page.content.decode()
