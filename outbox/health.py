"""Whether the email worker runs and keeps up, for /readyz/worker and the admin's home page.

An idle worker writes nothing, so it is given something to do: the ``heartbeat`` task notes
the time and queues itself again a minute later. Only a worker that is taking tasks off the
queue can run it, so a recent heartbeat proves the emails would be sent. ``send_pending_emails``
(cron, every minute) queues a heartbeat whenever none is waiting, which starts the beat on a
new install and restarts it if a run ever failed to queue the next. The waiting beat's id is
kept on the heartbeat row and read back through the task API; finished beats are forgotten with
every other finished task by django-tasks-db's ``prune_db_task_results`` (a daily timer).
"""

from datetime import timedelta

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import ngettext

from .models import OutboundEmail, WorkerHeartbeat

BEAT_EVERY = timedelta(minutes=1)
SILENT_AFTER = timedelta(minutes=5)
OVERDUE_AFTER = timedelta(minutes=15)


def _beat_waiting():
    row = WorkerHeartbeat.objects.first()
    if row is None or not row.next_beat:
        return False
    try:
        return heartbeat.get_result(row.next_beat).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


def _queue_beat(**options):
    result = heartbeat.using(**options).enqueue()
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"next_beat": result.id})


@task
def heartbeat():
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"seen_at": now})
    # Another beat already waiting (queued by cron) carries on instead: never two at once.
    if not _beat_waiting():
        _queue_beat(run_after=now + BEAT_EVERY)


def ensure_heartbeat():
    """Queue a heartbeat for the worker unless one is already waiting."""
    if not _beat_waiting():
        _queue_beat()


def worker_last_seen():
    beat = WorkerHeartbeat.objects.first()
    return beat.seen_at if beat else None


def minutes(delta):
    count = int(delta.total_seconds() // 60)
    return ngettext("%d minute", "%d minutes", count) % count


def worker_silence():
    """How long the worker has been silent beyond SILENT_AFTER (a timedelta), None if it has
    been seen since, or the string "never"."""
    seen = worker_last_seen()
    if seen is None:
        return "never"
    silence = timezone.now() - seen
    return silence if silence > SILENT_AFTER else None


def outbox_delay():
    """How long past its time the email waiting longest is, if more than OVERDUE_AFTER."""
    oldest = OutboundEmail.objects.waiting().order_by("next_attempt_at").first()
    if oldest is None:
        return None
    delay = timezone.now() - oldest.next_attempt_at
    return delay if delay > OVERDUE_AFTER else None


def worker_problem():
    silence = worker_silence()
    if silence == "never":
        return "never seen"
    return f"not seen for {minutes(silence)}" if silence else None


def outbox_problem():
    delay = outbox_delay()
    return f"oldest waiting email is {minutes(delay)} late" if delay else None


def restart_step():
    """What to do about a stopped worker, and whom to tell (ADMINS, who get the error reports)."""
    who = " or ".join(settings.ADMINS)
    return (
        "Whoever looks after the site's servers should restart the prevent-worker service "
        "(systemctl restart prevent-worker): "
        + (f"tell {who} if that is not you." if who else "tell them if that is not you.")
    )


def warnings():
    found = []
    delay = outbox_delay()
    if delay:
        found.append(
            f"Emails have not been sent for {minutes(delay)}: the worker may have stopped. "
            + restart_step()
        )
    silence = worker_silence()
    if silence == "never":
        found.append(
            "The worker that sends emails has never been seen: it may not be running, so "
            "emails wait. " + restart_step()
        )
    elif silence:
        found.append(
            f"The worker that sends emails has not been seen for {minutes(silence)}, so "
            "emails wait. " + restart_step()
        )
    given_up = OutboundEmail.objects.given_up().count()
    if given_up:
        found.append(
            ngettext(
                "%d email has been given up on: see Outbound emails.",
                "%d emails have been given up on: see Outbound emails.",
                given_up,
            )
            % given_up
        )
    return found


# --- Figures for the admin's status page (blocks/status.py) ----------------------------


def waiting_count(today):
    return OutboundEmail.objects.waiting().count()


def given_up_count(today):
    return OutboundEmail.objects.given_up().count()


def sent_since_count(today):
    return OutboundEmail.objects.filter(sent_at__gte=today).count()


def worker_last_seen_words(today):
    seen = worker_last_seen()
    if seen is None:
        return "Never"
    return f"{date_format(timezone.localtime(seen), 'j F Y, H:i')} ({timesince(seen)} ago)"
