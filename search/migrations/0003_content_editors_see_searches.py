"""Content editors may see what people search for (the admin's "Searches"), and nothing more:
the log is read-only for everyone."""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = ["view_searchlog"]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_index_existing_content"),
        ("newsletters", "0003_content_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [grant_permissions("Content editors", "search", CODENAMES)]
