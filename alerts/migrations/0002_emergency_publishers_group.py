"""The "Emergency publishers" role puts a banner live; content editors draft banners."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Emergency publishers"
CONTENT_EDITORS = "Content editors"
PUBLISHERS_PERMISSIONS = [
    "view_banner",
    "add_banner",
    "change_banner",
    "delete_banner",
    "publish_banner",
]
EDITORS_PERMISSIONS = ["view_banner", "add_banner", "change_banner", "delete_banner"]


def permissions(apps, codenames):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="alerts", codename__in=codenames
    )


def grant(apps, schema_editor):
    # The permissions of new models are made after all migrations have run unless made now,
    # which a fresh database needs.
    app_config = apps.get_app_config("alerts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    for name, codenames in ((GROUP, PUBLISHERS_PERMISSIONS), (CONTENT_EDITORS, EDITORS_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        found = permissions(apps, codenames)
        assert found.count() == len(codenames), "missing banner permissions"
        group.permissions.add(*found)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=GROUP).delete()
    for editors in Group.objects.filter(name=CONTENT_EDITORS):
        editors.permissions.remove(*permissions(apps, EDITORS_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("alerts", "0001_banner"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
