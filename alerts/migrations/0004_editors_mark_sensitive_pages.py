"""Content editors mark pages as sensitive (and unmark them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_EDITORS = "Content editors"
CODENAMES = [
    "view_sensitivepage",
    "add_sensitivepage",
    "change_sensitivepage",
    "delete_sensitivepage",
]


def permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="alerts", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    # As in 0002: a fresh database has no permissions for a new model until they are made.
    app_config = apps.get_app_config("alerts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name=CONTENT_EDITORS)
    found = permissions(apps)
    assert found.count() == len(CODENAMES), "missing sensitive page permissions"
    editors.permissions.add(*found)


def revoke(apps, schema_editor):
    for editors in apps.get_model("auth", "Group").objects.filter(name=CONTENT_EDITORS):
        editors.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("alerts", "0003_sensitive_page")]

    operations = [migrations.RunPython(grant, revoke)]
