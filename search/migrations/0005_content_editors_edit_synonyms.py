"""Content editors may edit the search's synonyms, from the admin's "Searches" page."""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = ["view_synonym", "add_synonym", "change_synonym", "delete_synonym"]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_synonyms_words_and_pages"),
        ("newsletters", "0003_content_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [grant_permissions("Content editors", "search", CODENAMES)]
