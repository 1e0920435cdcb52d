"""The "Newsletter subscriber managers" role: the subscriber list (personal data) and the emails
about it. Content editors may send an issue (a Mailing) without seeing any address.

FormerSubscriber is viewed only as a count on the subscriber list: it has no admin page.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Newsletter subscriber managers"
PERMISSIONS = {
    "newsletters": [
        "view_subscriber",
        "add_subscriber",
        "change_subscriber",
        "delete_subscriber",
        "view_delivery",
        "view_mailing",
        "view_formersubscriber",
    ],
    "outbox": ["view_outboundemail"],
}
CONTENT_EDITORS = "Content editors"
EDITORS_PERMISSIONS = ["add_mailing", "view_mailing"]


def permissions(apps, app_label, codenames):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )


def grant(apps, schema_editor):
    # As in 0003: the permissions of new models are made after all migrations have run unless
    # made now, which a fresh database needs.
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    managers, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codenames in PERMISSIONS.items():
        found = permissions(apps, app_label, codenames)
        assert found.count() == len(codenames), f"missing permissions in {app_label}"
        managers.permissions.add(*found)

    editors, _ = Group.objects.get_or_create(name=CONTENT_EDITORS)
    found = permissions(apps, "newsletters", EDITORS_PERMISSIONS)
    assert found.count() == len(EDITORS_PERMISSIONS), "missing mailing permissions"
    editors.permissions.add(*found)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=GROUP).delete()
    for editors in Group.objects.filter(name=CONTENT_EDITORS):
        editors.permissions.remove(*permissions(apps, "newsletters", EDITORS_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletters", "0006_subscribers"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
