"""Content editors mark pages as sensitive (and unmark them)."""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = [
    "view_sensitivepage",
    "add_sensitivepage",
    "change_sensitivepage",
    "delete_sensitivepage",
]


class Migration(migrations.Migration):
    dependencies = [("alerts", "0003_sensitive_page")]

    operations = [grant_permissions("Content editors", "alerts", CODENAMES)]
