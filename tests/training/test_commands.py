import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from outbox.models import OutboundEmail
from prevent_site.models import RecentSubmission
from tests.factories import make_training_request
from training import emails
from training.models import TrainingRequest


def run(command, *args):
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def queue_request(**overrides):
    training_request = make_training_request(**overrides)
    return training_request, emails.queue_emails(training_request)


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
    assert set(OutboundEmail.objects.all()) == set(recent.emails.all())


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
