"""Content editors also edit the "Worried about someone?" page's ways to get help.

In newsletters, next to the migration that made the group (0003), for the same reason.
"""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = ["add_helproute", "change_helproute", "delete_helproute", "view_helproute"]


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0004_section_headings_from_h3"),
        ("resources", "0004_help_routes"),
    ]

    operations = [grant_permissions("Content editors", "resources", CODENAMES)]
