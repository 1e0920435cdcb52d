import pytest
from django.core.exceptions import ValidationError

from reports import postcodes
from reports.models import Report
from tests.factories import make_report, make_report_photo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, written",
    [
        ("sw1a 1aa", "SW1A 1AA"),
        ("SW1A1AA", "SW1A 1AA"),
        ("  w2   1aa ", "W2 1AA"),
        ("ec1v 9ln", "EC1V 9LN"),
        ("m1 1ae", "M1 1AE"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_postcodes_are_written_one_way(typed, written):
    assert postcodes.normalise(typed) == written


@pytest.mark.parametrize(
    "typed", ["SW1A", "1AA", "SW1A 1AAA", "SW1A 1CI", "W2 1AA; DROP TABLE", "75001", "ZZ"]
)
def test_anything_but_a_uk_postcode_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        postcodes.normalise(typed)
    assert error.value.messages == ["Enter a real UK postcode, like SW1A 1AA, or leave it empty"]


def test_the_postcode_district_is_its_first_part():
    assert postcodes.district("SW1A 1AA") == "SW1A"
    assert postcodes.district("") == ""


def test_a_report_names_itself_without_personal_data():
    report = make_report(
        reference="REP-2026-0007",
        kind=Report.Kind.LEAFLET,
        place="Outside Sam's house",
        contact_name="Sam Patel",
        email="sam@example.org",
    )
    # The admin's history keeps this text after the report itself is deleted.
    assert str(report) == "REP-2026-0007 (leaflet)"


def test_something_else_is_shown_with_what_it_was():
    report = make_report(kind=Report.Kind.OTHER, kind_other="Banner on a bridge")
    assert report.what_was_seen == "Something else: Banner on a bridge"
    assert make_report(kind=Report.Kind.GRAFFITI).what_was_seen == "Graffiti"


def test_photos_are_kept_in_the_private_store_not_with_public_uploads(settings):
    photo = make_report_photo(make_report())
    stored = settings.PRIVATE_MEDIA_ROOT / photo.image.name
    assert stored.is_file()
    assert photo.image.name == f"reports/{photo.key.hex}.jpg"
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


def test_deleting_a_report_deletes_its_photo_files_once_committed(
    settings, django_capture_on_commit_callbacks
):
    report = make_report()
    photos = [make_report_photo(report) for _ in range(2)]
    files = [settings.PRIVATE_MEDIA_ROOT / photo.image.name for photo in photos]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report.delete()
    # Not before the deletion is committed: a rolled-back deletion keeps its photos.
    assert all(file.exists() for file in files)
    for callback in callbacks:
        callback()
    assert not any(file.exists() for file in files)
