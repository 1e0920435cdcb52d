"""Training's outbox, reference counters and rate-limit rows move, rows and all, to the outbox app
and to prevent_site, where every public form uses them.

Each email keeps its id (the worker's queued tasks and the admin's links name it) and is now about
its request through a generic relation; tasks queued for the old task path are pointed at the new
one. The yearly counter becomes the "training" series, rate-limit rows the "training-request"
scope. Each moved model's content type moves too, so the permissions given to groups stay given.
A request's team_emailed_at and requester_emailed_at are read from its emails from now on.
Reversible: going back copies everything back.
"""

from django.core.management.color import no_style
from django.db import migrations

SERIES = "training"
SCOPE = "training-request"
OLD_TASK = "training.emails.send_emails"
NEW_TASK = "outbox.sending.send_emails"
EMAIL_FIELDS = [
    "kind",
    "to",
    "reply_to",
    "subject",
    "text",
    "html",
    "created_at",
    "claimed_at",
    "claim_token",
    "sent_at",
    "attempts",
    "last_error",
    "next_attempt_at",
    "failing_since",
    "failed_at",
]
SENT_FIELDS = {"team": "team_emailed_at", "requester": "requester_emailed_at"}
MOVED = {"outboundemail": "outbox", "referencecounter": "prevent_site", "recentsubmission": "prevent_site"}


def reset_sequence(schema_editor, model):
    # Rows were written with their old ids: PostgreSQL's next id must come after them.
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def move_content_type(apps, model, from_app, to_app):
    """Relabel the model's content type, keeping its permissions and whoever was given them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label=from_app, model=model).first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label=to_app, model=model).first()
    if new is None:
        old.app_label = to_app
        old.save(update_fields=["app_label"])
        return
    # Another migration made the new app's permissions first: give their holders those.
    for permission in Permission.objects.filter(content_type=old):
        replacement = Permission.objects.filter(
            content_type=new, codename=permission.codename
        ).first()
        if replacement is not None:
            replacement.group_set.add(*permission.group_set.all())
            replacement.user_set.add(*permission.user_set.all())
    old.delete()


def move_out(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldEmail = apps.get_model("training", "OutboundEmail")
    Email = apps.get_model("outbox", "OutboundEmail")
    if OldEmail.objects.exists():
        request_type, _ = ContentType.objects.get_or_create(
            app_label="training", model="trainingrequest"
        )
        Email.objects.bulk_create(
            [
                Email(
                    id=old.id,
                    content_type=request_type,
                    object_id=old.request_id,
                    **{field: getattr(old, field) for field in EMAIL_FIELDS},
                )
                for old in OldEmail.objects.order_by("pk")
            ],
            batch_size=500,
        )
        reset_sequence(schema_editor, Email)

    Counter = apps.get_model("prevent_site", "ReferenceCounter")
    Counter.objects.bulk_create(
        Counter(series=SERIES, year=old.year, last_number=old.last_number)
        for old in apps.get_model("training", "ReferenceCounter").objects.all()
    )
    Submission = apps.get_model("prevent_site", "RecentSubmission")
    Submission.objects.bulk_create(
        Submission(scope=SCOPE, client=old.client, created_at=old.created_at)
        for old in apps.get_model("training", "RecentSubmission").objects.all()
    )
    Task = apps.get_model("django_tasks_database", "DBTaskResult")
    Task.objects.filter(task_path=OLD_TASK, status="READY").update(task_path=NEW_TASK)
    for model, app in MOVED.items():
        move_content_type(apps, model, "training", app)


def move_back(apps, schema_editor):
    for model, app in MOVED.items():
        move_content_type(apps, model, app, "training")
    ContentType = apps.get_model("contenttypes", "ContentType")
    TrainingRequest = apps.get_model("training", "TrainingRequest")
    OldEmail = apps.get_model("training", "OutboundEmail")
    request_type = ContentType.objects.filter(app_label="training", model="trainingrequest").first()
    emails = apps.get_model("outbox", "OutboundEmail").objects.filter(
        content_type=request_type, object_id__in=TrainingRequest.objects.values("pk")
    )
    OldEmail.objects.bulk_create(
        [
            OldEmail(
                id=email.id,
                request_id=email.object_id,
                **{field: getattr(email, field) for field in EMAIL_FIELDS},
            )
            for email in emails.order_by("pk")
        ],
        batch_size=500,
    )
    reset_sequence(schema_editor, OldEmail)
    for email in emails.exclude(sent_at=None):
        if field := SENT_FIELDS.get(email.kind):
            TrainingRequest.objects.filter(pk=email.object_id).update(**{field: email.sent_at})
    emails.delete()

    counters = apps.get_model("prevent_site", "ReferenceCounter").objects.filter(series=SERIES)
    apps.get_model("training", "ReferenceCounter").objects.bulk_create(
        apps.get_model("training", "ReferenceCounter")(year=c.year, last_number=c.last_number)
        for c in counters
    )
    counters.delete()
    submissions = apps.get_model("prevent_site", "RecentSubmission").objects.filter(scope=SCOPE)
    apps.get_model("training", "RecentSubmission").objects.bulk_create(
        apps.get_model("training", "RecentSubmission")(client=s.client, created_at=s.created_at)
        for s in submissions
    )
    submissions.delete()
    Task = apps.get_model("django_tasks_database", "DBTaskResult")
    Task.objects.filter(task_path=NEW_TASK, status="READY").update(task_path=OLD_TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("outbox", "0001_initial"),
        ("prevent_site", "0001_initial"),
        ("training", "0005_outbox_gives_up_after_a_day"),
    ]

    operations = [
        migrations.RunPython(move_out, move_back),
        migrations.DeleteModel(name="OutboundEmail"),
        migrations.DeleteModel(name="RecentSubmission"),
        migrations.DeleteModel(name="ReferenceCounter"),
        migrations.RemoveField(model_name="trainingrequest", name="requester_emailed_at"),
        migrations.RemoveField(model_name="trainingrequest", name="team_emailed_at"),
    ]
