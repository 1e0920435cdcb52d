"""A resident reports a sticker with a photo from a phone; the form and its confirmation are
accessible, empty, with errors and sent, and fit a 320 px screen."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Report
from tests import factories
from tests.browser.test_accessibility import axe_violations

# django_db: the test database must exist for loaded_site. On SQLite the live server shares the
# test's transaction, so a report sent here is rolled back after the test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 375, "height": 812}
NARROW = 320


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "sticker.jpg"
    path.write_bytes(factories.image_bytes((1200, 900), exif=factories.exif_with_gps()))
    return path


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_report_a_sticker_with_a_photo_on_a_phone(page, loaded_site, photo, settings):
    page.set_viewport_size(PHONE)
    page.goto(loaded_site.url + "/")
    page.get_by_role("main").get_by_role("link", name="Find out where to get help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worried about someone?")
    page.get_by_role("link", name="Report extremist leaflets, stickers or graffiti").first.click()
    page.wait_for_url(loaded_site.url + "/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report extremist leaflets, stickers or graffiti"
    )
    assert axe_violations(page) == ""

    page.get_by_label("Sticker").check()
    page.get_by_label("What does it say or show?").fill("A sticker with a hate slogan")
    page.get_by_label("Where did you see it?").fill("Lamp post outside 10 Example Street")
    page.get_by_label("Postcode (optional)").fill("w2 1aa")
    seen = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_label("Day").fill(str(seen.day))
    page.get_by_label("Month").fill(str(seen.month))
    page.get_by_label("Year").fill(str(seen.year))
    page.get_by_role("group", name="Is it still there?").get_by_label("Yes").check()
    page.get_by_label("Choose up to 3 photos (optional)").set_input_files(photo)
    page.get_by_role("button", name="Send report").click()

    page.wait_for_url(loaded_site.url + "/report/sent/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    expect(page.locator(".govuk-panel__body")).to_contain_text(re.compile(r"REP-\d{4}-\d{4}"))
    assert axe_violations(page) == ""
    assert fits(page, PHONE["width"])
    report = Report.objects.get()
    assert (report.postcode, report.seen_on) == ("W2 1AA", seen)
    [stored] = report.photos.all()
    assert b"PhoneCo" not in (settings.PRIVATE_MEDIA_ROOT / stored.image.name).read_bytes()


@pytest.mark.parametrize("width", [NARROW, 1280])
def test_the_form_with_errors_has_no_wcag_a_or_aa_violations(page, loaded_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(loaded_site.url + "/report/")
    assert axe_violations(page) == ""
    assert fits(page, width)
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: Report extremist leaflets")
    assert axe_violations(page) == ""
    assert fits(page, width)


def test_a_file_that_is_not_a_photo_is_explained_next_to_the_field(page, loaded_site, tmp_path):
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.set_viewport_size({"width": NARROW, "height": 900})
    page.goto(loaded_site.url + "/report/")
    page.get_by_label("What does it say or show?").fill("Keep what I typed")
    page.get_by_label("Choose up to 3 photos (optional)").set_input_files(fake)
    page.get_by_role("button", name="Send report").click()

    error = page.locator("#id_photos_1_error")
    expect(error).to_contain_text("photo.png is not a photo we can open")
    expect(page.get_by_label("What does it say or show?")).to_have_value("Keep what I typed")
    expect(page.locator("#id_photos_hint")).to_contain_text(
        "Choose your photos again: they were not kept"
    )
    assert axe_violations(page) == ""
    assert fits(page, NARROW)
