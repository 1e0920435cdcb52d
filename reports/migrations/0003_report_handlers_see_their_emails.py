"""Report handlers see the emails about reports in the outbox (and only those: outbox.admin shows
an email to whoever may see what it is about)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Report handlers"


def add_permission(apps, schema_editor):
    # Permissions are normally created after all migrations run; create the outbox's now so the
    # group can be given its view permission on a fresh database.
    app_config = apps.get_app_config("outbox")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="outbox", codename="view_outboundemail")
    )


def remove_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="outbox", codename="view_outboundemail"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("reports", "0002_report_handlers_group"),
    ]

    operations = [migrations.RunPython(add_permission, remove_permission)]
