"""One retention rule: each period is a setting, `manage.py purge` deletes what is past it, and
the privacy notice, the forms and the emails say the same periods."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from blocks.models import RecentSubmission
from blocks.retention import period_words
from newsletters.models import Subscriber
from newsletters.subscriptions import confirmation_email
from outbox import sending
from outbox.models import OutboundEmail
from reports.models import Report, ReportPhoto, StatusChange
from search.models import SearchLog
from tests.factories import make_report, make_report_photo, make_training_request
from tests.newsletters.test_subscribe import make_subscriber
from training import emails
from training.models import TrainingRequest

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def purge(*args):
    out = io.StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue().splitlines()


def line(lines, start):
    [found] = [text for text in lines if text.startswith(start)]
    return found


def queue_request(**overrides):
    training_request = make_training_request(**overrides)
    emails.queue_emails(training_request)
    return training_request


def test_training_requests_past_their_period_go_with_their_emails(settings):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 365
    queue_request(received_at=days_ago(366))
    queue_request(received_at=days_ago(900))
    recent = queue_request(received_at=days_ago(364))
    assert line(purge(), "Training requests") == (
        "Training requests kept more than 12 months: deleted 2, with 4 outbound emails."
    )
    assert list(TrainingRequest.objects.all()) == [recent]
    assert set(OutboundEmail.objects.all()) == set(recent.emails.all())


def test_the_period_comes_from_the_setting_and_a_dry_run_deletes_nothing(settings):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 30
    queue_request(received_at=days_ago(31))
    queue_request(received_at=days_ago(29))
    assert line(purge("--dry-run"), "Training requests") == (
        "Training requests kept more than 30 days: would delete 1."
    )
    assert TrainingRequest.objects.count() == 2
    assert line(purge(), "Training requests") == (
        "Training requests kept more than 30 days: deleted 1, with 2 outbound emails."
    )
    assert TrainingRequest.objects.count() == 1


def test_reports_past_their_period_go_with_their_photos_files_and_history(
    settings, django_capture_on_commit_callbacks
):
    settings.REPORT_RETENTION_DAYS = 365
    old = make_report(reference="REP-2025-0001", received_at=days_ago(366))
    old_photos = [make_report_photo(old) for _ in range(2)]
    StatusChange.objects.create(report=old, status="closed")
    kept = make_report(reference="REP-2026-0001", received_at=days_ago(364))
    kept_photo = make_report_photo(kept)
    with django_capture_on_commit_callbacks(execute=True):
        lines = purge()
    assert line(lines, "Reports") == (
        "Reports kept more than 12 months: deleted 1, with 2 report photos, 1 status change."
    )
    assert list(Report.objects.values_list("reference", flat=True)) == ["REP-2026-0001"]
    assert list(ReportPhoto.objects.all()) == [kept_photo]
    assert not StatusChange.objects.exists()
    for photo in old_photos:
        assert not (settings.PRIVATE_MEDIA_ROOT / photo.image.name).exists()
    assert (settings.PRIVATE_MEDIA_ROOT / kept_photo.image.name).exists()


def signed_up(email, days, status=Subscriber.Status.PENDING):
    subscriber = make_subscriber(email, status=status, created_at=days_ago(days))
    sending.queue(confirmation_email(subscriber))
    return subscriber


def test_sign_ups_not_confirmed_while_their_link_works_go_with_their_emails():
    signed_up("old@example.org", 7.1)
    signed_up("older@example.org", 30)
    waiting = signed_up("waiting@example.org", 6.9)
    subscribed = signed_up("subscribed@example.org", 400, status=Subscriber.Status.CONFIRMED)
    assert line(purge(), "Unconfirmed sign-ups") == (
        "Unconfirmed sign-ups kept more than 7 days: deleted 2, with 2 outbound emails."
    )
    assert set(Subscriber.objects.all()) == {waiting, subscribed}
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {
        "waiting@example.org",
        "subscribed@example.org",
    }


def test_signing_up_again_while_waiting_keeps_the_sign_up_for_the_period_from_then(
    client, monkeypatch
):
    waiting = make_subscriber(status=Subscriber.Status.PENDING, created_at=days_ago(6))
    client.post("/newsletters/subscribe/", {"email": waiting.email})
    three_days_on = timezone.now() + timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: three_days_on)
    assert line(purge(), "Unconfirmed sign-ups").endswith("deleted 0.")
    assert Subscriber.objects.get() == waiting


def test_searches_logged_past_their_period_go():
    for term, days in [("recent", 89), ("old", 91), ("older", 200)]:
        SearchLog.objects.create(term=term, results=0, created_at=days_ago(days))
    assert line(purge(), "Logged searches") == "Logged searches kept more than 90 days: deleted 2."
    assert list(SearchLog.objects.values_list("term", flat=True)) == ["recent"]


def test_rate_limit_counts_older_than_an_hour_go():
    RecentSubmission.objects.create(client="a" * 64, created_at=timezone.now() - timedelta(hours=2))
    fresh = RecentSubmission.objects.create(client="b" * 64)
    assert (
        line(purge(), "Rate-limit counts") == "Rate-limit counts kept more than 1 hour: deleted 1."
    )
    assert list(RecentSubmission.objects.all()) == [fresh]


def test_periods_read_as_the_privacy_notice_says_them():
    assert [period_words(days) for days in (365, 730, 90, 7, 1)] == [
        "12 months",
        "24 months",
        "90 days",
        "7 days",
        "1 day",
    ]


def test_changing_a_period_changes_the_privacy_notice_the_form_and_the_email(client, settings):
    settings.TRAINING_REQUEST_RETENTION_DAYS = 90
    privacy = client.get("/privacy/").text
    assert "We delete training requests, and the emails about them, automatically 90 days" in (
        privacy
    )
    form = client.get("/training/request/").text
    assert "delete them after 90 days" in form
    [_, acknowledgement] = emails.queue_emails(make_training_request())
    assert "We will delete the request after 90 days" in acknowledgement.text
    assert "We will delete the request after 90 days" in acknowledgement.html


def test_every_period_is_said_where_the_privacy_notice_says_it(client, settings):
    settings.REPORT_RETENTION_DAYS = 30
    settings.NEWSLETTER_CONFIRM_DAYS = 3
    settings.SEARCH_LOG_RETENTION_DAYS = 14
    privacy = client.get("/privacy/").text
    assert "photos and the emails about them, automatically 30 days" in privacy
    assert "not confirmed within 3 days" in privacy
    assert "for 14 days, then delete them" in privacy
    assert "delete the report after 30 days" in client.get("/report/").text
