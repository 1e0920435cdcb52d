# "Audience" is the audience pages' word (resources.Audience): who a workshop or a requested
# session is for is "who it is for". Renames only: the data stays.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0008_submission_fields"),
    ]

    operations = [
        migrations.RenameField(
            model_name="workshop", old_name="audiences", new_name="who_it_is_for"
        ),
        migrations.RenameField(
            model_name="trainingrequest", old_name="audience", new_name="who_it_is_for"
        ),
        migrations.AlterField(
            model_name="trainingrequest",
            name="who_it_is_for",
            field=models.TextField(max_length=2000, verbose_name="who the training is for"),
        ),
    ]
