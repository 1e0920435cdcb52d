"""Content editors record that a qualified translator has checked a page in a language (the
admin's "Checked translations"); until they do, the page says its translation is unchecked.

In newsletters, next to the migration that made the group (0003), for the same reason.
"""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = [
    "add_translationcheck",
    "change_translationcheck",
    "delete_translationcheck",
    "view_translationcheck",
]


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0010_subscriber_update_labels"),
        ("prevent_site", "0004_translation_check"),
    ]

    operations = [grant_permissions("Content editors", "prevent_site", CODENAMES)]
