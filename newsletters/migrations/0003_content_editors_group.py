"""The "Content editors" role: everything about the site's content, nothing about the personal
data in training requests (that is the "Training coordinators" role, made in training).

Lives in newsletters because it is the app allowed to depend on all the others.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
CONTENT_MODELS = {
    "newsletters": ["issue", "section"],
    "training": ["workshop", "testimonial", "event", "communityproject"],
    "resources": ["teammember", "contact", "resourcelink", "fundingscheme"],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations have run; make them now so that this
    # migration works on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, models in CONTENT_MODELS.items():
        codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        assert permissions.count() == len(codenames), f"missing permissions in {app_label}"
        group.permissions.add(*permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletters", "0002_image_renditions"),
        ("resources", "0002_photo_renditions"),
        ("training", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
