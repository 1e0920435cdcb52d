"""Content editors change the pages' introductions in each language (the admin's "Page
introductions"). They neither add nor delete them: the migrations make one for each page.

In newsletters, next to the migration that made the group (0003), for the same reason.
"""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = ["change_pageintroduction", "view_pageintroduction"]


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0011_content_editors_mark_checked_translations"),
        ("prevent_site", "0005_page_introductions"),
    ]

    operations = [grant_permissions("Content editors", "prevent_site", CODENAMES)]
