"""Build the search index for the content that exists already; saves keep it current after."""

from django.db import migrations


def build_index(apps, schema_editor):
    from search import index

    index.rebuild(apps, using=schema_editor.connection.alias)


def empty_index(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.using(schema_editor.connection.alias).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_index_and_log"),
        ("newsletters", "0008_section_topics"),
        ("training", "0007_topics_and_audiences"),
        ("resources", "0005_topics_and_audiences"),
    ]

    operations = [migrations.RunPython(build_index, empty_index)]
