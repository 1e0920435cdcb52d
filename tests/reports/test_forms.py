import datetime
import io

import pytest
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from PIL import Image

from blocks.images import HOW_TO_GET_A_PHOTO
from reports.forms import ReportForm
from tests.factories import (
    bomb_png,
    exif_with_gps,
    heic_upload,
    huge_png,
    image_bytes,
    jpeg_upload,
    oversize_file,
    report_form_data,
    upload,
)

pytestmark = pytest.mark.django_db


def form_with(photos=(), **overrides):
    return ReportForm(report_form_data(**overrides), MultiValueDict({"photos": list(photos)}))


def errors(form, field):
    form.is_valid()
    return form.errors.get(field, [])


def test_a_complete_report_is_valid_and_the_postcode_is_written_one_way():
    form = form_with(postcode="sw1a 1aa")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postcode"] == "SW1A 1AA"
    assert form.cleaned_data["photos"] == []


def test_only_what_was_seen_where_when_and_what_it_shows_are_needed():
    form = form_with(postcode="", contact_name="", email="", kind_other="")
    assert form.is_valid(), form.errors
    empty = ReportForm({}, MultiValueDict())
    assert not empty.is_valid()
    assert empty.errors == {
        "kind": ["Select what you saw"],
        "description": ["Enter what it says or shows"],
        "place": ["Enter where you saw it"],
        "seen_on": ["Enter the date you saw it"],
        "still_there": ["Select whether it is still there"],
    }


def test_something_else_needs_saying_what_it_was():
    assert errors(form_with(kind="other", kind_other=""), "kind_other") == [
        "Enter what it was, as you selected ‘something else’"
    ]
    assert form_with(kind="other", kind_other="A banner").is_valid()


@pytest.mark.parametrize("postcode", ["SW1A", "75001", "W2 1AA W2 1AA", "<b>W2</b>"])
def test_a_postcode_that_is_not_a_uk_one_is_refused(postcode):
    assert errors(form_with(postcode=postcode), "postcode") == [
        "Enter a real UK postcode, like SW1A 1AA, or leave it empty"
    ]


def date_parts(date):
    return {"seen_on_0": str(date.day), "seen_on_1": str(date.month), "seen_on_2": str(date.year)}


def test_the_date_seen_cannot_be_in_the_future():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert errors(form_with(**date_parts(tomorrow)), "seen_on") == [
        "Date you saw it must be today or in the past"
    ]
    assert form_with(**date_parts(timezone.localdate())).is_valid()


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("31", "2", "2026", "Date you saw it must be a real date"),
        ("", "2", "2026", "Date you saw it must include a day"),
        ("1", "2", "26", "Date you saw it year must include 4 numbers"),
        ("1", "2", "0000", "Date you saw it must be a real date"),
        ("x", "y", "zzzz", "Date you saw it must be a real date"),
    ],
)
def test_a_date_that_is_not_real_says_what_is_wrong(day, month, year, message):
    form = form_with(seen_on_0=day, seen_on_1=month, seen_on_2=year)
    assert message in errors(form, "seen_on")


def test_an_email_address_gets_the_usual_checks():
    assert errors(form_with(email="not an address"), "email") == [
        "Enter an email address in the correct format, like name@example.com"
    ]


@pytest.mark.parametrize(
    "field, value",
    [
        ("email", "sam@example.org\r\nBcc: victim@example.com"),
        ("email", "sam@example.org\nX-Injected: yes"),
        ("contact_name", "Sam\r\nBcc: victim@example.com"),
        ("kind_other", "A banner\r\nX-Injected: yes"),
        ("description", "NUL \x00 in the middle"),
        ("place", "Escape \x1b[31m codes"),
    ],
)
def test_line_breaks_and_control_characters_are_refused_where_they_could_do_harm(field, value):
    overrides = {"kind": "other", "kind_other": "A banner"} if field == "kind_other" else {}
    form = form_with(**{**overrides, field: value})
    assert not form.is_valid()
    assert field in form.errors


def test_ten_thousand_characters_of_description_get_an_error_not_a_failure():
    form = form_with(description="x" * 10_000)
    assert errors(form, "description") == ["What it says or shows must be 5000 characters or fewer"]


def stored_image(photo):
    return Image.open(io.BytesIO(photo.content))


def test_photos_are_checked_and_re_encoded_without_any_metadata():
    gps_jpeg = jpeg_upload((1200, 800), exif=exif_with_gps(orientation=6))
    png = upload(image_bytes((300, 200), "PNG"), "sign.png", "image/png")
    webp = upload(image_bytes((300, 200), "WEBP"), "wall.webp", "image/webp")
    form = form_with([gps_jpeg, png, webp])
    assert form.is_valid(), form.errors
    jpeg, png, webp = form.cleaned_data["photos"]
    assert [p.extension for p in (jpeg, png, webp)] == ["jpg", "png", "webp"]
    # Turned upright from the EXIF orientation, then every piece of EXIF dropped.
    assert (jpeg.width, jpeg.height) == (800, 1200)
    for photo in (jpeg, png, webp):
        image = stored_image(photo)
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)  # GPS
        assert "exif" not in image.info and "xmp" not in image.info


def test_an_iphone_heic_photo_is_taken_as_a_jpeg_without_any_metadata():
    form = form_with([heic_upload((1200, 800), exif=exif_with_gps(orientation=6))])
    assert form.is_valid(), form.errors
    [photo] = form.cleaned_data["photos"]
    assert photo.extension == "jpg"
    image = stored_image(photo)
    assert image.format == "JPEG" and image.size == (800, 1200)
    assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
    assert b"PhoneCo" not in photo.content


def test_more_than_three_photos_are_refused():
    form = form_with([jpeg_upload((50, 50)) for _ in range(4)])
    assert errors(form, "photos") == ["You chose 4 photos. Choose up to 3"]


def test_a_png_that_is_really_html_is_refused_and_everything_typed_is_kept():
    html = upload(b"<html><script>alert(1)</script></html>", "photo.png", "image/png")
    form = form_with([html], description="Keep this", place="And this")
    assert errors(form, "photos") == [
        "photo.png is not a photo we can open, or it is damaged. Choose a JPEG, PNG, WebP or "
        "HEIC photo. " + HOW_TO_GET_A_PHOTO
    ]
    # What was typed goes back into the page; only the file input starts empty.
    assert form["description"].value() == "Keep this" and form["place"].value() == "And this"
    assert "Choose your photos again: they were not kept" in form["photos"].help_text


def test_a_pixel_bomb_is_refused_without_being_opened():
    assert errors(form_with([bomb_png()]), "photos") == [
        "bomb.png is far over 40 megapixels. Choose a smaller JPEG, PNG, WebP or HEIC photo"
    ]


def test_a_photo_over_40_megapixels_is_refused():
    assert errors(form_with([huge_png()]), "photos") == [
        "huge.png is 40.1 megapixels. Each photo must be 40 megapixels or less: make it "
        "smaller and choose it again"
    ]


def test_a_photo_over_10_mb_is_refused():
    [message] = errors(form_with([oversize_file()]), "photos")
    assert message.startswith("big.jpg is 10.0") and message.endswith(
        "Each photo must be 10 MB or smaller"
    )


def test_a_gif_is_refused_by_name_saying_which_formats_are_taken_and_how_to_get_one():
    gif = upload(image_bytes((20, 20), "GIF", mode="P"), "moving.gif", "image/gif")
    assert errors(form_with([gif]), "photos") == [
        "moving.gif is a GIF file. Choose a JPEG, PNG, WebP or HEIC photo. " + HOW_TO_GET_A_PHOTO
    ]
    assert HOW_TO_GET_A_PHOTO.startswith("On an iPhone") and HOW_TO_GET_A_PHOTO.endswith(".")


def test_each_refused_photo_gets_its_own_message():
    bad = upload(b"not an image", "one.jpg")
    worse = upload(b"<svg/>", "two.png", "image/png")
    assert len(errors(form_with([bad, jpeg_upload((50, 50)), worse]), "photos")) == 2


def test_a_photo_name_cannot_inject_markup_or_run_long():
    evil = upload(b"nope", "<img src=x onerror=alert(1)>" + "a" * 300 + ".png", "image/png")
    [message] = errors(form_with([evil]), "photos")
    assert message.startswith("<img src=x onerror=alert(1)>")  # escaped when the page shows it
    name = message.split(" is not a photo")[0]
    assert len(name) <= 60 and name.endswith("…")


def test_good_photos_must_be_chosen_again_when_something_else_is_wrong():
    form = form_with([jpeg_upload((50, 50))], place="")
    assert not form.is_valid()
    assert "photos" not in form.errors
    assert "Choose your photos again: they were not kept" in form["photos"].help_text
    # Without photos there is nothing to choose again.
    without_photos = form_with([], place="")
    assert not without_photos.is_valid()
    assert "not kept" not in without_photos["photos"].help_text


def test_a_refused_photo_is_explained_in_arabic_on_the_arabic_form():
    html = upload(b"<html><script>alert(1)</script></html>", "photo.png", "image/png")
    with translation.override("ar"):
        form = form_with([html])
        assert errors(form, "photos") == [
            "photo.png ليس صورة يمكننا فتحها، أو أنه تالف. اختر صورة بصيغة JPEG أو PNG أو WebP "
            "أو HEIC. على هاتف iPhone أو Android، التقط لقطة شاشة للصورة واختر لقطة الشاشة. "
            "وعلى الكمبيوتر، افتح الصورة واحفظها بصيغة JPEG."
        ]


def test_a_photo_too_big_is_explained_in_bengali_on_the_bengali_form(settings):
    with translation.override("bn"):
        form = form_with([oversize_file()])
        [message] = errors(form, "photos")
    assert "প্রতিটি ছবি ১০ MB বা তার কম হতে হবে" in message


def test_the_honeypot_answers_in_arabic_on_the_arabic_form(settings):
    with translation.override("ar"):
        form = form_with(website="http://spam.example")
        assert form.non_field_errors() == [
            f"تعذّر إرسال بلاغك لأنه يبدو آليًا. إذا كنت شخصًا حقيقيًا، فراسل {settings.TEAM_EMAIL} "
            "وأخبرنا بما رأيته وأين ومتى."
        ]
