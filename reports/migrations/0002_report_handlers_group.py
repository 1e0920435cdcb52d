"""The group whose members may see reports from the public (personal data) in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Report handlers"
PERMISSIONS = [
    "view_report",
    "change_report",
    "delete_report",
    "view_reportphoto",
    "view_statuschange",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now so the
    # group can be given them on a fresh database.
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="reports", codename__in=PERMISSIONS
    )
    assert permissions.count() == len(PERMISSIONS), "missing report permissions"
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
