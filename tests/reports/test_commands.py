import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.models import Report, ReportPhoto, StatusChange
from tests.factories import make_report, make_report_photo

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def purge(*args):
    out = io.StringIO()
    call_command("purge_old_reports", *args, stdout=out)
    return out.getvalue()


def test_reports_past_the_retention_period_go_with_their_photos_and_files(
    settings, django_capture_on_commit_callbacks
):
    settings.REPORT_RETENTION_DAYS = 365
    old = make_report(reference="REP-2025-0001", received_at=days_ago(366))
    old_photos = [make_report_photo(old) for _ in range(2)]
    StatusChange.objects.create(report=old, status="closed")
    kept = make_report(reference="REP-2026-0001", received_at=days_ago(364))
    kept_photo = make_report_photo(kept)
    with django_capture_on_commit_callbacks(execute=True):
        output = purge()
    assert output.strip() == ("Deleted 1 report received more than 365 days ago, and its 2 photos.")
    assert list(Report.objects.values_list("reference", flat=True)) == ["REP-2026-0001"]
    assert list(ReportPhoto.objects.all()) == [kept_photo]
    assert not StatusChange.objects.exists()
    for photo in old_photos:
        assert not (settings.PRIVATE_MEDIA_ROOT / photo.image.name).exists()
    assert (settings.PRIVATE_MEDIA_ROOT / kept_photo.image.name).exists()


def test_the_retention_period_comes_from_the_setting(settings):
    settings.REPORT_RETENTION_DAYS = 30
    make_report(received_at=days_ago(31))
    make_report(received_at=days_ago(29))
    assert purge().startswith("Deleted 1 report received more than 30 days ago")
    assert Report.objects.count() == 1


def test_a_dry_run_deletes_nothing(settings):
    settings.REPORT_RETENTION_DAYS = 365
    make_report_photo(make_report(received_at=days_ago(400)))
    make_report(received_at=days_ago(500))
    assert purge("--dry-run").strip() == ("Would delete 2 reports received more than 365 days ago.")
    assert Report.objects.count() == 2 and ReportPhoto.objects.count() == 1


def test_nothing_to_purge_says_so():
    make_report()
    assert (
        purge().strip() == "Deleted 0 reports received more than 365 days ago, and their 0 photos."
    )
