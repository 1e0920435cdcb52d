"""Training coordinators record sessions and read feedback, as they handle requests."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Training coordinators"
PERMISSIONS = [
    *(f"{action}_session" for action in ("view", "add", "change", "delete")),
    *(f"{action}_attendance" for action in ("view", "add", "change", "delete")),
    "view_feedback",
    "change_feedback",
    "delete_feedback",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("training")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="training", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="training", codename__in=PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("training", "0011_sessions_and_feedback"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
