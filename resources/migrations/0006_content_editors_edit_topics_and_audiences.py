"""Content editors also edit the topics and the audience pages ("For parents and carers"...).

In the style of newsletters' 0003 and 0005, which made the group and gave it the help routes.
"""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = [
    "add_topic",
    "change_topic",
    "delete_topic",
    "view_topic",
    "add_audience",
    "change_audience",
    "delete_audience",
    "view_audience",
]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("resources", "0005_topics_and_audiences"),
    ]

    operations = [grant_permissions("Content editors", "resources", CODENAMES)]
