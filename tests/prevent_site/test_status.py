"""The admin's status page and the warnings at the top of the admin's home page."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blocks import reviews
from outbox.models import WorkerHeartbeat
from tests.factories import make_outbound_email, make_report, make_training_request
from tests.newsletters.mailing_support import make_subscriber

pytestmark = pytest.mark.django_db

STATUS = "/admin/status/"


def worker_seen(minutes_ago):
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"seen_at": moment})


def rows(html):
    """The page's table rows as lists of cell texts, tags and spaces collapsed."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        found.append([" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in cells])
    return found


def test_status_page_shows_the_emails_worker_jobs_and_this_months_figures(editor_client):
    now = timezone.now()
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    request = make_training_request(received_at=month_start)
    make_outbound_email(request)
    make_outbound_email(request)
    make_outbound_email(request, failed_at=now, last_error="SMTPRecipientsRefused")
    make_outbound_email(request, sent_at=now)
    make_outbound_email(request, sent_at=now - timedelta(days=2))
    worker_seen(minutes_ago=2)
    call_command("purge", stdout=StringIO())
    call_command("purge", "--dry-run", stdout=StringIO())  # not a run: no change

    make_training_request(received_at=now)
    make_training_request(received_at=month_start - timedelta(days=1))
    make_report()
    make_report(received_at=month_start - timedelta(days=1))
    make_subscriber()
    make_subscriber()
    make_subscriber(confirmed=False)

    response = editor_client.get(STATUS)
    assert response.status_code == 200
    table = rows(response.text)
    assert ["Waiting to be sent", "2"] in table
    assert ["Given up on", "1"] in table
    assert ["Sent today", "1"] in table
    [seen] = [row for row in table if row[0] == "Worker last seen"]
    assert seen[1].endswith("(2 minutes ago)")
    [purge] = [row for row in table if row[0] == "purge"]
    assert purge[1] == "Daily"
    assert "Logged searches kept more than 90 days: deleted 0." in purge[3]
    assert ["purge_front_caches", "After each release", "Never", ""] in table
    assert ["Training requests", "2"] in table
    assert ["Reports", "1"] in table
    assert ["Newsletter subscribers confirmed", "2"] in table
    assert "The worker that sends emails" not in response.text
    assert "1 email has been given up on" in response.text


def test_each_scheduled_command_records_what_it_did(editor_client):
    for command in (
        "send_pending_emails",
        "purge",
        "purge_front_caches",
        "send_review_reminders",
        "send_feedback_links",
    ):
        call_command(command, stdout=StringIO())
    table = rows(editor_client.get(STATUS).text)
    summaries = {row[0]: row[3] for row in table if len(row) == 4}
    assert summaries == {
        "Job": "What it did",
        "send_pending_emails": "Nothing to send.",
        "purge": (
            "Rate-limit counts kept more than 1 hour: deleted 0. "
            "Reports kept more than 12 months: deleted 0. "
            "Training requests kept more than 12 months: deleted 0. "
            "Feedback responses kept more than 24 months: deleted 0. "
            "Unconfirmed sign-ups kept more than 7 days: deleted 0. "
            "Logged searches kept more than 90 days: deleted 0."
        ),
        "purge_front_caches": "No front cache to purge (FRONT_CACHE_URLS is empty).",
        # The migration made the privacy notice due at once.
        "send_review_reminders": "Emailed prevent@westminster.gov.uk: 0 overdue, 1 due by "
        f"{reviews.add_months(timezone.localdate(), 1):%-d %B %Y}.",
        "send_feedback_links": "Queued 0 feedback link emails.",
    }


def test_admin_home_warns_within_five_minutes_of_the_worker_stopping(editor_client):
    worker_seen(minutes_ago=4)
    index = editor_client.get(reverse("admin:index")).text
    assert "has not been seen" not in index
    assert f'href="{STATUS}"' in index

    worker_seen(minutes_ago=6)
    index = editor_client.get(reverse("admin:index")).text
    [warning] = re.findall(r'<li class="warning">(.*?)</li>', index, re.S)
    assert warning.startswith("The worker that sends emails has not been seen for 6 minutes")
    # What to do, and where to see more.
    assert "restart the prevent-worker service" in warning
    assert f'<a href="{STATUS}">See the site status</a>' in warning


def test_admin_home_warns_when_emails_are_late(editor_client):
    worker_seen(minutes_ago=1)
    make_outbound_email(next_attempt_at=timezone.now() - timedelta(minutes=40))
    index = editor_client.get(reverse("admin:index")).text
    assert "Emails have not been sent for 40 minutes: the worker may have stopped." in index


def test_status_page_shows_the_worker_checks_that_monitoring_reads(editor_client, client):
    worker_seen(minutes_ago=12)
    table = rows(editor_client.get(STATUS).text)
    assert ["/readyz/worker", "worker", "not seen for 12 minutes"] in table
    assert ["/readyz/worker", "outbox", "ok"] in table
    assert client.get("/readyz/worker").json()["checks"] == {
        "worker": "not seen for 12 minutes",
        "outbox": "ok",
    }


def test_only_staff_see_the_status_page(client, django_user_model):
    response = client.get(STATUS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(django_user_model.objects.create_user("resident", password="x" * 12))
    response = client.get(STATUS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
