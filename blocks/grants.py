"""Giving one of the team's roles (a group: "Content editors", "Training coordinators"...) the
permissions of an app's models, in a migration: ``operations = [grant_permissions(...)]``."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_permissions(group, app_label, codenames):
    """A migration operation that gives ``group`` (made if it does not exist yet) the
    permissions ``codenames`` ("change_helproute"...) of ``app_label``'s models, and takes them
    away again when the migration is unapplied."""
    codenames = list(codenames)

    def grant(apps, schema_editor):
        # Django makes a new model's permissions only after every migration has run: make this
        # app's now, so that a fresh database can give them here.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

        found = apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        assert found.count() == len(codenames), f"missing {app_label} permissions: {codenames}"
        role, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group)
        role.permissions.add(*found)

    def revoke(apps, schema_editor):
        # Through the table that joins them: unapplied together with the migrations above it,
        # the group's Permission and this state's are not the same class.
        apps.get_model("auth", "Group").permissions.through.objects.filter(
            group__name=group,
            permission__content_type__app_label=app_label,
            permission__codename__in=codenames,
        ).delete()

    return migrations.RunPython(grant, revoke)
