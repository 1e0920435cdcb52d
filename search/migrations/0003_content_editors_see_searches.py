"""Content editors may see what people search for (the admin's "Searches"), and nothing more:
the log is read-only for everyone."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
CODENAME = "view_searchlog"


def grant(apps, schema_editor):
    # Permissions of a new model are made after all migrations have run unless made now.
    search = apps.get_app_config("search")
    search.models_module = True
    create_permissions(search, apps=apps, verbosity=0)
    search.models_module = None

    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="search", codename=CODENAME
    )
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="search", codename=CODENAME
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_index_existing_content"),
        ("newsletters", "0003_content_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
