"""Training coordinators record sessions and read feedback, as they handle requests."""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = [
    "view_session",
    "add_session",
    "change_session",
    "delete_session",
    "view_attendance",
    "add_attendance",
    "change_attendance",
    "delete_attendance",
    "view_feedback",
    "change_feedback",
    "delete_feedback",
]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("training", "0011_sessions_and_feedback"),
    ]

    operations = [grant_permissions("Training coordinators", "training", CODENAMES)]
