"""The group whose members may see training requests (personal data) in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Training coordinators"
PERMISSIONS = [
    "view_trainingrequest",
    "change_trainingrequest",
    "delete_trainingrequest",
    "view_outboundemail",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now so the
    # group can be given them on a fresh database.
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


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("training", "0002_training_request_outbox"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
