"""A section's text now uses headings of level 3 and 4 only, under the section's own h2.

The editor used to offer level 2 there too. It no longer reads an h2 as a heading (it would
turn one into a paragraph at the next save), so level 2 headings already stored become level 3.
"""

import re

from django.db import migrations

LEVEL_2 = re.compile(r"<(/?)h2(\s[^>]*)?>", re.IGNORECASE)


def move_section_headings_down(apps, schema_editor):
    Section = apps.get_model("newsletters", "Section")
    for section in Section.objects.filter(body__icontains="<h2").only("pk", "body"):
        body = LEVEL_2.sub(r"<\1h3>", section.body)
        Section.objects.filter(pk=section.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0003_content_editors_group")]

    operations = [migrations.RunPython(move_section_headings_down, migrations.RunPython.noop)]
