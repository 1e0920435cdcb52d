"""A funding scheme's page says its application window from its dates, so "how to apply" no
longer repeats it: the sentence the July 2023 content typed there ("Applications are open
from…") would read as open long after the scheme closed.
"""

from django.db import migrations, models

TYPED_WINDOW = (
    "Applications are open from 21 June 2023 until 15 August 2023. Applications received after "
    "this date will not be considered."
)
WITHOUT_DATES = "Applications received after the closing date will not be considered."


def drop_typed_window(apps, schema_editor):
    FundingScheme = apps.get_model("resources", "FundingScheme")
    for scheme in FundingScheme.objects.filter(how_to_apply__contains=TYPED_WINDOW):
        scheme.how_to_apply = scheme.how_to_apply.replace(TYPED_WINDOW, WITHOUT_DATES)
        scheme.save(update_fields=["how_to_apply"])


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_photo_renditions")]

    operations = [
        migrations.AlterField(
            model_name="fundingscheme",
            name="how_to_apply",
            field=models.TextField(
                blank=True,
                help_text="How to apply, and where. Leave the dates out: the page says when "
                "applications open and close, from the dates above.",
            ),
        ),
        migrations.RunPython(drop_typed_window, migrations.RunPython.noop),
    ]
