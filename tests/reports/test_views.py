import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from outbox.models import OutboundEmail
from reports import views
from reports.models import Report, ReportPhoto
from tests.factories import (
    bomb_png,
    exif_with_gps,
    heic_upload,
    image_bytes,
    jpeg_upload,
    report_form_data,
    upload,
)
from tests.training.pages import parse

pytestmark = pytest.mark.django_db

URL = "/report/"
DONE = "/report/sent/"


def send(client, photos=(), **overrides):
    data = report_form_data(**overrides)
    if photos:
        data["photos"] = list(photos)
    return client.post(URL, data)


def test_the_form_says_reports_can_be_anonymous_and_what_an_email_address_is_for(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Report extremist leaflets, stickers or graffiti – Westminster" in html
    assert html.count("<h1") == 1
    assert "you can send this report anonymously" in html
    assert "we will send you an acknowledgement with your reference number" in html
    assert "we can ask you a question if we need to" in html
    assert f'href="{reverse("privacy")}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input type="file" name="photos"[^>]*multiple', html)
    assert 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif"' in html
    # Each visitor's own form: never stored in a shared cache, and no cookie until it is sent.
    assert "private" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_a_report_with_a_photo_is_saved_and_its_reference_shown_to_the_sender(client, settings):
    photo = jpeg_upload((1200, 800), exif=exif_with_gps())
    response = send(client, [photo], postcode="sw1a 1aa")
    assert response.status_code == 302 and response["Location"] == DONE
    report = Report.objects.get()
    year = timezone.localdate().year
    assert report.reference == f"REP-{year}-0001"
    assert (report.postcode, report.kind, report.status) == ("SW1A 1AA", "sticker", "new")
    assert report.place == "Lamp post outside 10 Example Street"
    [saved] = report.photos.all()
    stored = settings.PRIVATE_MEDIA_ROOT / saved.image.name
    # The stored file is a new encoding: no EXIF at all, so no GPS position or camera.
    image = Image.open(stored)
    assert image.format == "JPEG" and image.size == (1200, 800)
    assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert b"PhoneCo" not in stored.read_bytes()
    # Its preview for the admin, also without metadata, is kept beside it in the private store.
    preview = Image.open(settings.PRIVATE_MEDIA_ROOT / saved.preview_name)
    assert preview.format == "JPEG" and preview.size == (480, 320)
    assert not preview.getexif()
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))

    done = client.get(DONE)
    assert done.status_code == 200
    html = done.content.decode()
    assert f"<strong>{report.reference}</strong>" in html
    assert "We will email a confirmation to <strong>sam.patel@example.org</strong>" in html


def test_an_iphone_photo_is_kept_as_a_jpeg_in_the_private_store(client, settings):
    response = send(client, [heic_upload((1200, 800), exif=exif_with_gps())])
    assert response.status_code == 302 and response["Location"] == DONE
    [saved] = Report.objects.get().photos.all()
    assert saved.image.name.endswith(".jpg")
    stored = settings.PRIVATE_MEDIA_ROOT / saved.image.name
    image = Image.open(stored)
    assert image.format == "JPEG" and image.size == (1200, 800) == (saved.width, saved.height)
    assert not image.getexif() and b"PhoneCo" not in stored.read_bytes()


def test_references_count_up_each_year_apart_from_training_requests(client, settings):
    settings.REPORT_RATE_LIMIT = 10
    for _ in range(3):
        assert send(client).status_code == 302
    year = timezone.localdate().year
    assert sorted(Report.objects.values_list("reference", flat=True)) == [
        f"REP-{year}-0001",
        f"REP-{year}-0002",
        f"REP-{year}-0003",
    ]


def test_only_the_browser_that_sent_it_sees_the_confirmation(client):
    send(client)
    other = Client()
    response = other.get(DONE)
    assert response.status_code == 302 and response["Location"] == URL
    assert Report.objects.get().reference not in other.get(URL).content.decode()


def test_an_anonymous_report_says_no_one_will_contact_the_sender(client):
    send(client, contact_name="", email="")
    report = Report.objects.get()
    assert (report.contact_name, report.email) == ("", "")
    html = client.get(DONE).content.decode()
    assert "You did not give an email address, so we will not contact you" in html
    assert report.reference in html


def test_errors_are_shown_next_to_each_question_and_what_was_typed_is_kept(client):
    response = send(client, place="", description="Keep this", seen_on_2="26")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Report extremist leaflets" in html
    page = parse(response)
    assert ("#id_place", "Enter where you saw it") in page.summary_links
    assert ("#id_seen_on_2", "Date you saw it year must include 4 numbers") in page.summary_links
    assert re.search(r">\s*Keep this</textarea>", html)
    assert not Report.objects.exists()


def test_a_png_that_is_really_html_gets_an_error_next_to_the_photos_and_nothing_is_saved(
    client, settings
):
    html_file = upload(b"<html><script>alert(1)</script></html>", "photo.png", "image/png")
    response = send(client, [html_file], description="Keep this")
    assert response.status_code == 200
    html = response.content.decode()
    assert "photo.png is not a photo we can open" in html
    assert re.search(r'id="id_photos_1_error"', html)
    assert "Choose your photos again: they were not kept" in html
    assert re.search(r">\s*Keep this</textarea>", html)
    assert "<script>alert(1)" not in html
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()
    assert not settings.PRIVATE_MEDIA_ROOT.exists() or not any(
        settings.PRIVATE_MEDIA_ROOT.rglob("*.*")
    )


def test_a_pixel_bomb_is_refused_without_a_failure(client):
    response = send(client, [bomb_png()])
    assert response.status_code == 200
    assert "bomb.png is far over 40 megapixels" in response.content.decode()


def test_three_photos_of_every_format_are_kept_and_four_are_refused(client):
    photos = [
        jpeg_upload((400, 300)),
        upload(image_bytes((300, 200), "PNG"), "b.png", "image/png"),
        upload(image_bytes((200, 100), "WEBP"), "c.webp", "image/webp"),
    ]
    assert send(client, photos).status_code == 302
    names = sorted(p.image.name.rsplit(".", 1)[1] for p in ReportPhoto.objects.all())
    assert names == ["jpg", "png", "webp"]
    response = send(client, [jpeg_upload((50, 50)) for _ in range(4)])
    assert "You chose 4 photos. Choose up to 3" in response.content.decode()
    assert Report.objects.count() == 1


TEXT_FIELDS = ["kind_other", "description", "place", "contact_name"]


def test_script_in_every_text_field_is_stored_as_typed_and_never_run(client, handler_client):
    script = "<script>alert(1)</script>"
    overrides = {field: f"{script} {field}" for field in TEXT_FIELDS}
    response = send(client, kind="other", **overrides)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.description == f"{script} description"
    pages = [
        client.get(DONE),
        handler_client.get(reverse("admin:reports_report_change", args=[report.pk])),
        handler_client.get(reverse("admin:reports_report_changelist")),
    ]
    for page in pages:
        assert page.status_code == 200
        assert script not in page.content.decode()
    for email in OutboundEmail.objects.all():
        assert script not in email.html


def test_script_in_a_field_with_an_error_is_shown_escaped(client):
    response = send(client, place="", description="<script>alert(1)</script>")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


@pytest.mark.parametrize(
    "field, value",
    [
        ("email", "sam@example.org\r\nBcc: victim@example.com"),
        ("contact_name", "Sam\r\nBcc: victim@example.com"),
        ("contact_name", "Sam\nX-Injected: yes"),
    ],
)
def test_line_breaks_in_the_email_or_name_are_refused_not_sent(client, field, value):
    response = send(client, **{field: value})
    assert response.status_code == 200
    assert field in parse(response).inputs.get(f"id_{field}", {}).get("aria-describedby", "")
    assert not Report.objects.exists() and not OutboundEmail.objects.exists()


def test_ten_thousand_characters_of_description_get_an_error(client):
    response = send(client, description="x" * 10_000)
    assert response.status_code == 200
    assert "What it says or shows must be 5000 characters or fewer" in response.content.decode()
    assert not Report.objects.exists()


def test_sending_the_same_report_twice_saves_it_once(client, django_capture_on_commit_callbacks):
    html = client.get(URL).content.decode()
    token = re.search(r'<input type="hidden" name="form_token" value="([^"]+)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, form_token=token)
        again = send(client, form_token=token, description="Changed before sending again")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == DONE
    [report] = Report.objects.all()
    assert report.reference in client.get(DONE).content.decode()
    assert "Changed before sending again" not in report.description
    assert OutboundEmail.objects.count() == 2  # the team's email and one acknowledgement
    # A fresh form is a new report.
    new_token = re.search(r'name="form_token" value="([^"]+)"', client.get(URL).text).group(1)
    assert new_token != token
    send(client, form_token=new_token)
    assert Report.objects.count() == 2


def test_the_honeypot_stops_robots(client):
    response = send(client, website="http://spam.example")
    assert response.status_code == 200
    assert "looks automated" in response.content.decode()
    assert not Report.objects.exists() and not OutboundEmail.objects.exists()


def test_thirty_reports_in_a_minute_reach_the_team_only_up_to_the_limit(
    client, settings, django_capture_on_commit_callbacks, run_worker, mailoutbox
):
    settings.REPORT_RATE_LIMIT = 5
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            statuses.append(send(client, description=f"Report {n}").status_code)
    assert statuses == [302] * 5 + [429] * 25
    refused = send(client)
    assert "You have sent 5 reports in the last hour, which is our limit" in (
        refused.content.decode()
    )
    run_worker()
    assert Report.objects.count() == 5
    team = [m for m in mailoutbox if m.to == [settings.TEAM_EMAIL]]
    assert len(team) == 5


def test_the_report_limit_is_counted_apart_from_training_requests(client, settings):
    from tests.factories import request_form_data

    settings.REPORT_RATE_LIMIT = 1
    settings.TRAINING_REQUEST_RATE_LIMIT = 1
    assert client.post("/training/request/", request_form_data()).status_code == 302
    assert send(client).status_code == 302
    assert send(client).status_code == 429


def test_a_body_larger_than_three_photos_is_refused_before_it_is_read(client):
    response = client.post(
        URL,
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(views.BODY_LIMIT + 1),
    )
    assert response.status_code == 413


def test_the_form_takes_a_body_larger_than_other_forms(client, settings):
    # Random pixels do not compress: a PNG of a few megabytes, over the 1 MB other forms take.
    noisy = Image.effect_noise((1600, 1200), 100).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    assert buffer.tell() > settings.REQUEST_BODY_LIMIT
    response = send(client, [upload(buffer.getvalue(), "noisy.png", "image/png")])
    assert response.status_code == 302
    assert ReportPhoto.objects.get().width == 1600


def test_if_saving_fails_after_a_photo_is_written_no_file_is_left(client, settings, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.emails, "queue_emails", fail)
    client.raise_request_exception = False
    response = send(client, [jpeg_upload((100, 100))])
    assert response.status_code == 500
    assert not Report.objects.exists()
    assert not any(settings.PRIVATE_MEDIA_ROOT.rglob("*.*"))


def test_the_confirmation_page_is_never_cached_and_reads_only(client):
    send(client)
    response = client.get(DONE)
    assert "no-store" in response["Cache-Control"]
    assert client.post(DONE).status_code == 405
