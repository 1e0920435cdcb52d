"""Content editors change the pages' introductions in each language (the admin's "Page
introductions"). They neither add nor delete them: the migrations make one for each page.

In newsletters, next to the migration that made the group (0003), for the same reason.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
CODENAMES = [f"{action}_pageintroduction" for action in ("change", "view")]


def permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="prevent_site", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    # The permissions of a new model are made after all migrations have run unless made now.
    site = apps.get_app_config("prevent_site")
    site.models_module = True
    create_permissions(site, apps=apps, verbosity=0)
    site.models_module = None

    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    assert permissions(apps).count() == len(CODENAMES), "missing page introduction permissions"
    group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0011_content_editors_mark_checked_translations"),
        ("prevent_site", "0005_page_introductions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
