"""Content editors may edit the search's synonyms, from the admin's "Searches" page."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
CODENAMES = ["view_synonym", "add_synonym", "change_synonym", "delete_synonym"]


def grant(apps, schema_editor):
    # Permissions of a new model are made after all migrations have run unless made now.
    search = apps.get_app_config("search")
    search.models_module = True
    create_permissions(search, apps=apps, verbosity=0)
    search.models_module = None

    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="search", codename__in=CODENAMES
    )
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="search", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_synonyms_words_and_pages"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
