"""Once built the search index for the content that existed; it needed a second copy of every
model's search rules for historical models. It is kept, doing nothing, so that migration history
stays valid: the index is filled by saves and by ``manage.py rebuild_search_index``, which the
upgrade notes in docs/deployment.md ask for."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_index_and_log"),
        ("newsletters", "0008_section_topics"),
        ("training", "0007_topics_and_audiences"),
        ("resources", "0005_topics_and_audiences"),
    ]

    operations = []
