"""Training's emails, reference counters and rate-limit rows survive their move to the outbox and
prevent_site (training/migrations/0006_…), and going back."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.test import RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from blocks import ratelimit
from blocks.models import RecentSubmission, ReferenceCounter
from outbox import sending
from outbox.models import OutboundEmail
from training.models import TrainingRequest

BEFORE = [
    ("training", "0005_outbox_gives_up_after_a_day"),
    ("outbox", None),
    ("prevent_site", None),
]
ALICE = "198.51.100.23"


@pytest.fixture
def migrate_to(transactional_db):
    """Migrate the test database to these targets and return the apps of that state; the
    database is migrated back to the latest state afterwards."""
    executor = MigrationExecutor(connection)

    def migrate_to(targets):
        executor.loader.build_graph()
        executor.migrate(targets)
        ContentType.objects.clear_cache()
        return executor.loader.project_state([t for t in targets if t[1]]).apps

    yield migrate_to
    migrate_to(executor.loader.graph.leaf_nodes())


def old_state(apps):
    """What the tables held before the move: a request whose team email went and whose
    acknowledgement waits (with its task queued), the year's counter, a rate-limit row, and a
    group given the outbox's permission."""
    now = timezone.now()
    training_request = apps.get_model("training", "TrainingRequest").objects.create(
        reference=f"WRAP-{timezone.localdate().year}-0041",
        organisation="St Mary's Primary School",
        sector="school",
        contact_name="Amina Khan",
        email="amina.khan@example.org",
        audience="Teaching staff",
        participants=25,
        delivery="online",
        consent=True,
        team_emailed_at=now - timedelta(minutes=5),
    )
    Email = apps.get_model("training", "OutboundEmail")
    common = {"request": training_request, "text": "Text", "html": "<p>Text</p>"}
    team = Email.objects.create(
        kind="team",
        to="prevent@westminster.gov.uk",
        reply_to="amina.khan@example.org",
        subject=f"Training request {training_request.reference}",
        sent_at=training_request.team_emailed_at,
        attempts=1,
        **common,
    )
    acknowledgement = Email.objects.create(
        kind="requester",
        to="amina.khan@example.org",
        reply_to="prevent@westminster.gov.uk",
        subject=f"We have received your training request {training_request.reference}",
        attempts=1,
        last_error="TimeoutError: timed out",
        failing_since=now - timedelta(minutes=3),
        next_attempt_at=now - timedelta(minutes=1),
        **common,
    )
    apps.get_model("training", "ReferenceCounter").objects.create(
        year=timezone.localdate().year, last_number=41
    )
    apps.get_model("training", "RecentSubmission").objects.create(
        client=ratelimit.client_key(RequestFactory().post("/", REMOTE_ADDR=ALICE)),
        created_at=now - timedelta(minutes=10),
    )
    # The worker's retry of the acknowledgement, queued under the task's old name.
    retry = sending.send_emails.enqueue([acknowledgement.pk])
    DBTaskResult.objects.filter(pk=retry.id).update(task_path="training.emails.send_emails")
    # The permission as migrate made it then. A flush by an earlier test in the run recreates
    # content types and permissions for today's models only, so it may have to be made here.
    email_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="training", model="outboundemail"
    )
    view_email, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=email_type,
        codename="view_outboundemail",
        defaults={"name": "Can view outbound email"},
    )
    group = apps.get_model("auth", "Group").objects.create(name="Readers of the outbox")
    group.permissions.add(view_email)
    return training_request, team, acknowledgement


def test_emails_counters_and_rate_limits_survive_the_move_and_each_email_goes_once(
    migrate_to, mailoutbox, settings, run_worker
):
    settings.TRAINING_REQUEST_RATE_LIMIT = 1
    old_request, old_team, old_acknowledgement = old_state(migrate_to(BEFORE))

    # With the tables send_pending_emails and the worker now write to (their last runs, the
    # worker's heartbeat), which came later and do not touch what moved; and training's later
    # migrations, so that its model here matches its table.
    migrate_to(
        [
            *MigrationLoader(connection).graph.leaf_nodes("training"),
            ("prevent_site", "0002_job_run"),
            ("outbox", "0003_heartbeat_next_beat"),
        ]
    )

    training_request = TrainingRequest.objects.get(pk=old_request.pk)
    team, acknowledgement = training_request.emails.order_by("pk")
    assert (team.pk, acknowledgement.pk) == (old_team.pk, old_acknowledgement.pk)
    assert (team.kind, team.to, team.subject) == ("team", old_team.to, old_team.subject)
    assert team.sent_at == old_team.sent_at and team.about == training_request
    assert acknowledgement.kind == "requester" and acknowledgement.sent_at is None
    assert acknowledgement.last_error == "TimeoutError: timed out"
    assert acknowledgement.failing_since == old_acknowledgement.failing_since
    assert training_request.team_emailed_at == old_request.team_emailed_at
    assert training_request.requester_emailed_at is None

    # The year's count goes on from where it was, in the training series.
    year = timezone.localdate().year
    counter = ReferenceCounter.objects.get(series="training", year=year)
    assert counter.last_number == 41
    later = TrainingRequest(received_at=timezone.now())
    later.assign_reference()
    assert later.reference == f"TRAIN-{year}-0042"

    # The client who sent the request is still held to the hourly limit.
    [row] = RecentSubmission.objects.all()
    assert row.scope == "training-request"
    alice = RequestFactory().post("/", REMOTE_ADDR=ALICE)
    assert not ratelimit.allow_submission(alice, "training-request", 1)

    # The group given the outbox's permission still has it.
    readers = Group.objects.get(name="Readers of the outbox")
    assert list(readers.permissions.values_list("content_type__app_label", "codename")) == [
        ("outbox", "view_outboundemail")
    ]

    # The queued retry runs under the task's new name and sends the acknowledgement, once.
    [task] = DBTaskResult.objects.filter(status="READY")
    assert task.task_path == "outbox.sending.send_emails"
    run_worker()
    call_command("send_pending_emails", "--now")
    run_worker()
    assert [m.to for m in mailoutbox] == [["amina.khan@example.org"]]
    acknowledgement.refresh_from_db()
    assert acknowledgement.sent_at is not None

    # New emails are numbered after the ones that moved (PostgreSQL's sequence was moved on).
    [new, _] = sending.queue(
        *[
            OutboundEmail(about=training_request, kind=kind, to="x@example.org", subject="New")
            for kind in ("team", "requester")
        ]
    )
    assert new.pk > acknowledgement.pk
    OutboundEmail.objects.filter(subject="New").delete()

    # And back again: the old tables hold it all, with the request's own record of its emails.
    old = migrate_to(BEFORE)
    restored = old.get_model("training", "TrainingRequest").objects.get(pk=old_request.pk)
    assert restored.team_emailed_at == old_request.team_emailed_at
    assert restored.requester_emailed_at == acknowledgement.sent_at
    assert sorted(old.get_model("training", "OutboundEmail").objects.values_list("pk", "kind")) == [
        (old_team.pk, "team"),
        (old_acknowledgement.pk, "requester"),
    ]
    [counter] = old.get_model("training", "ReferenceCounter").objects.all()
    assert (counter.year, counter.last_number) == (year, 42)  # 42 went to TRAIN-…-0042
    assert old.get_model("training", "RecentSubmission").objects.count() == 1


def test_groups_keep_the_outbox_permission_when_the_outbox_made_its_own_first(migrate_to):
    # On a new database another app's migration (a group for report handlers, say) may make the
    # outbox's content type and permissions before training's emails move there.
    old = migrate_to(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    outbox_type = ContentType.objects.create(app_label="outbox", model="outboundemail")
    Permission.objects.create(
        content_type=outbox_type, codename="view_outboundemail", name="Can view outbound email"
    )
    group = old.get_model("auth", "Group").objects.create(name="Readers of the outbox")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="view_outboundemail")
    )

    migrate_to([("training", "0006_emails_references_and_rate_limit_move_out")])

    readers = Group.objects.get(name="Readers of the outbox")
    assert list(readers.permissions.values_list("content_type__app_label", "codename")) == [
        ("outbox", "view_outboundemail")
    ]
    assert not ContentType.objects.filter(app_label="training", model="outboundemail").exists()
