# "Audience" is the audience pages' word (Audience): a help route's group is the part of the
# "Worried about someone?" page it appears in. A rename only: the data stays.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0006_content_editors_edit_topics_and_audiences"),
    ]

    operations = [
        migrations.RenameField(model_name="helproute", old_name="audience", new_name="part"),
        migrations.AlterField(
            model_name="helproute",
            name="part",
            field=models.CharField(
                choices=[
                    ("public", "Family, friends and the public"),
                    ("professionals", "Professionals"),
                    ("suspicious", "Suspicious activity"),
                    ("online", "Terrorist or extremist content online"),
                    ("safeguarding", "Children's and adults' safeguarding"),
                ],
                help_text="The part of the page it appears in.",
                max_length=20,
                verbose_name="part of the page",
            ),
        ),
    ]
