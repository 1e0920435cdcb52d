"""Report handlers see the emails about reports in the outbox (and only those: outbox.admin shows
an email to whoever may see what it is about)."""

from django.db import migrations

from blocks.grants import grant_permissions

CODENAMES = ["view_outboundemail"]


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("reports", "0002_report_handlers_group"),
    ]

    operations = [grant_permissions("Report handlers", "outbox", CODENAMES)]
