"""Content editors also edit the "Worried about someone?" page's ways to get help.

In newsletters, next to the migration that made the group (0003), for the same reason.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
CODENAMES = [f"{action}_helproute" for action in ("add", "change", "delete", "view")]


def permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="resources", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    # As in 0003: the permissions of a new model are made after all migrations have run
    # unless made now.
    resources = apps.get_app_config("resources")
    resources.models_module = True
    create_permissions(resources, apps=apps, verbosity=0)
    resources.models_module = None

    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    assert permissions(apps).count() == len(CODENAMES), "missing help route permissions"
    group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0004_section_headings_from_h3"),
        ("resources", "0004_help_routes"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
