"""The worker's heartbeat, and what the outbox tells /readyz and the admin's home page."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox import health
from outbox.models import WorkerHeartbeat
from tests.factories import make_outbound_email

pytestmark = pytest.mark.django_db


def queued_beats():
    return DBTaskResult.objects.filter(
        task_path="outbox.health.heartbeat", status=TaskResultStatus.READY
    )


def test_send_pending_emails_starts_one_heartbeat_and_the_worker_keeps_it_going(run_worker):
    assert health.worker_last_seen() is None
    call_command("send_pending_emails")
    call_command("send_pending_emails")
    assert queued_beats().count() == 1

    before = timezone.now()
    run_worker()
    seen = health.worker_last_seen()
    assert seen >= before
    # The next beat waits a minute, and there is still only one.
    [beat] = queued_beats()
    assert beat.run_after >= seen + timedelta(minutes=1)

    # A minute on, the worker beats again.
    queued_beats().update(run_after=timezone.now())
    run_worker()
    assert health.worker_last_seen() > seen
    assert queued_beats().count() == 1


def test_heartbeat_does_not_queue_another_when_one_is_waiting(run_worker):
    call_command("send_pending_emails")
    run_worker()  # the beat queues the next, a minute on
    queued_beats().update(run_after=timezone.now())
    health.heartbeat.enqueue()  # a second beat, ready at once too
    run_worker()
    assert queued_beats().count() == 1


def test_finished_beats_are_forgotten_by_the_daily_prune(run_worker):
    call_command("send_pending_emails")
    run_worker()
    finished = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    assert finished.count() == 1
    finished.update(finished_at=timezone.now() - timedelta(days=8))
    queued_beats().update(run_after=timezone.now())
    run_worker()
    # As deploy/systemd/prevent-prune-db-task-results.service runs it.
    call_command("prune_db_task_results", "--min-age-days", "7", verbosity=0)
    assert finished.count() == 1  # the new one only
    assert queued_beats().count() == 1


def test_a_beat_that_failed_is_replaced_by_the_next_send_pending_emails(run_worker):
    call_command("send_pending_emails")
    queued_beats().update(status=TaskResultStatus.FAILED)
    call_command("send_pending_emails")
    assert queued_beats().count() == 1


RESTART = (
    "Whoever looks after the site's servers should restart the prevent-worker service "
    "(systemctl restart prevent-worker)"
)


def test_warnings_say_in_plain_words_what_is_wrong_and_what_to_do(settings):
    settings.ADMINS = []
    now = timezone.now()
    WorkerHeartbeat.objects.create(seen_at=now)
    assert health.warnings() == []

    WorkerHeartbeat.objects.update(seen_at=now - timedelta(minutes=12))
    assert health.warnings() == [
        "The worker that sends emails has not been seen for 12 minutes, so emails wait. "
        f"{RESTART}: tell them if that is not you.",
    ]
    WorkerHeartbeat.objects.all().delete()
    assert health.warnings() == [
        "The worker that sends emails has never been seen: it may not be running, so emails "
        f"wait. {RESTART}: tell them if that is not you.",
    ]


def test_warnings_name_who_to_tell_when_admins_are_set(settings):
    settings.ADMINS = ["Web team <web-team@westminster.gov.uk>", "ops@westminster.gov.uk"]
    WorkerHeartbeat.objects.create(seen_at=timezone.now() - timedelta(minutes=12))
    make_outbound_email(next_attempt_at=timezone.now() - timedelta(minutes=40))
    assert health.warnings() == [
        "Emails have not been sent for 40 minutes: the worker may have stopped. "
        f"{RESTART}: tell Web team <web-team@westminster.gov.uk> or ops@westminster.gov.uk "
        "if that is not you.",
        "The worker that sends emails has not been seen for 12 minutes, so emails wait. "
        f"{RESTART}: tell Web team <web-team@westminster.gov.uk> or ops@westminster.gov.uk "
        "if that is not you.",
    ]
