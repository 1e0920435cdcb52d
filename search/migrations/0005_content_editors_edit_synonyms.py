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
    # Through the table that joins them: unapplied with the apps below it, the group's
    # Permission and this state's are not the same class.
    apps.get_model("auth", "Group").permissions.through.objects.filter(
        group__name=GROUP,
        permission__content_type__app_label="search",
        permission__codename__in=CODENAMES,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_synonyms_words_and_pages"),
        ("newsletters", "0003_content_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
