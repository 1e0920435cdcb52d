"""Content editors also edit the topics and the audience pages ("For parents and carers"...).

In the style of newsletters' 0003 and 0005, which made the group and gave it the help routes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
CODENAMES = [
    f"{action}_{model}"
    for model in ("topic", "audience")
    for action in ("add", "change", "delete", "view")
]


def permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="resources", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    # As in newsletters' 0003: the permissions of a new model are made after all migrations
    # have run unless made now.
    resources = apps.get_app_config("resources")
    resources.models_module = True
    create_permissions(resources, apps=apps, verbosity=0)
    resources.models_module = None

    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    assert permissions(apps).count() == len(CODENAMES), "missing topic or audience permissions"
    group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("resources", "0005_topics_and_audiences"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
