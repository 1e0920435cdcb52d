import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from PIL import ExifTags, Image

from blocks import images
from resources.models import TeamMember
from tests import factories

pytestmark = pytest.mark.django_db

BAD_UPLOADS = {
    "not an image": (factories.not_an_image, "is not a picture Pillow can read"),
    "over 40 megapixels": (factories.huge_png, "8,000 × 5,001 pixels (40.1 megapixels)"),
    "over 10 MB": (factories.oversize_file, "The file is 10.1 MB. Images can be at most 10 MB"),
    "decompression bomb": (factories.bomb_png, "claims to be an enormous picture"),
}


def add_team_member(client, photo, **fields):
    data = {
        "name": "Kiran Malik",
        "slug": "kiran-malik",
        "role": "Prevent Engagement Officer",
        "photo_alt": "Kiran Malik smiling",
        "order": 0,
        "photo": photo,
    }
    return client.post(reverse("admin:resources_teammember_add"), data | fields)


@pytest.mark.parametrize("make_upload, message", BAD_UPLOADS.values(), ids=BAD_UPLOADS)
def test_bad_upload_is_refused_with_its_message_next_to_the_field(
    editor_client, make_upload, message
):
    response = add_team_member(editor_client, make_upload())

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["photo"]
    assert message in errors["photo"][0]
    assert message.replace("×", "&times;") in response.text or message in response.text
    assert not TeamMember.objects.exists()


@pytest.mark.parametrize("make_upload, message", BAD_UPLOADS.values(), ids=BAD_UPLOADS)
def test_model_validation_refuses_bad_uploads_too(make_upload, message):
    member = TeamMember(name="Kiran", slug="kiran", role="Officer", photo_alt="Kiran")
    member.photo = make_upload()

    with pytest.raises(ValidationError) as caught:
        member.full_clean()

    assert message in caught.value.message_dict["photo"][0]


def test_gif_is_refused_by_type_saying_which_formats_are_taken_and_how_to_get_one():
    gif = factories.upload(factories.image_bytes((10, 10), "GIF", mode="P", color=1), "a.gif")

    with pytest.raises(ValidationError) as caught:
        images.open_checked(gif)

    [message] = caught.value.messages
    assert message.startswith("This is a GIF image. Upload a JPEG, PNG, WebP or HEIC image.")
    assert "On an iPhone" in message
    assert message.endswith(".")


def test_iphone_heic_photo_is_stored_as_a_jpeg_without_metadata_with_renditions(editor_client):
    # Orientation 6: held on its side. pillow-heif turns it upright as it opens it.
    photo = factories.heic_upload((1200, 800), exif=factories.exif_with_gps(orientation=6))
    assert b"PhoneCo" in photo.read()
    photo.seek(0)

    response = add_team_member(editor_client, photo)

    assert response.status_code == 302
    member = TeamMember.objects.get()
    assert member.photo.name.endswith(".jpg")
    with default_storage.open(member.photo.name) as stored:
        raw = stored.read()
    stored_image = Image.open(io.BytesIO(raw))
    assert stored_image.format == "JPEG"
    assert dict(stored_image.getexif()) == {}
    assert b"PhoneCo" not in raw and b"Exif" not in raw
    assert stored_image.size == (800, 1200)
    assert (member.photo_width, member.photo_height) == (800, 1200)
    for width in (160, 320, 640):
        assert default_storage.exists(images.rendition_name(member.photo.name, width, "webp"))


def test_the_file_chooser_offers_heic_photos():
    assert images.ImageFormField().widget_attrs(images.ImageFormField.widget())["accept"] == (
        "image/jpeg,image/png,image/webp,image/heic,image/heif"
    )


def test_truncated_jpeg_is_refused_as_damaged():
    content = factories.image_bytes((800, 600), color="red")
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        images.open_checked(factories.upload(content[: len(content) // 2]))


def test_upload_loses_its_exif_and_gps_and_is_turned_upright(editor_client):
    # Orientation 6: the camera was held on its side; the picture is 1200 × 800 as stored.
    photo = factories.jpeg_upload(exif=factories.exif_with_gps(orientation=6))
    assert Image.open(io.BytesIO(photo.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    photo.seek(0)

    response = add_team_member(editor_client, photo)

    assert response.status_code == 302
    member = TeamMember.objects.get()
    with default_storage.open(member.photo.name) as stored:
        raw = stored.read()
    stored_image = Image.open(io.BytesIO(raw))
    assert dict(stored_image.getexif()) == {}
    assert b"PhoneCo" not in raw and b"Exif" not in raw
    assert stored_image.size == (800, 1200)
    assert (member.photo_width, member.photo_height) == (800, 1200)


def test_renditions_exist_in_webp_and_jpeg_at_each_width(editor_client):
    add_team_member(editor_client, factories.jpeg_upload((1200, 800)))
    member = TeamMember.objects.get()

    for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
        for width in (160, 320, 640):
            name = images.rendition_name(member.photo.name, width, extension)
            with default_storage.open(name) as stored:
                rendition = Image.open(stored)
                assert rendition.format == image_format
                assert rendition.size == (width, round(800 * width / 1200))
                assert dict(rendition.getexif()) == {}


def test_small_image_is_never_enlarged():
    assert images.rendition_widths(200) == [160, 200]
    assert images.rendition_widths(100) == [100]
    assert images.rendition_widths(640) == [160, 320, 640]
    assert images.rendition_widths(3000) == [160, 320, 640]


def test_transparent_png_keeps_transparency_in_webp_and_sits_on_white_in_jpeg():
    png = factories.upload(
        factories.image_bytes((400, 400), "PNG", mode="RGBA", color=(0, 0, 0, 0)),
        "logo.png",
        "image/png",
    )
    member = TeamMember.objects.create(
        name="Logo", slug="logo", role="Partner", photo=png, photo_decorative=True
    )

    assert member.photo.name.endswith(".png")
    with default_storage.open(images.rendition_name(member.photo.name, 320, "webp")) as f:
        assert Image.open(f).convert("RGBA").getpixel((5, 5))[3] == 0
    with default_storage.open(images.rendition_name(member.photo.name, 320, "jpg")) as f:
        assert Image.open(f).getpixel((5, 5)) == (255, 255, 255)


def test_saving_again_without_a_new_upload_keeps_the_stored_file(editor_client):
    member = TeamMember.objects.create(
        name="Kiran", slug="kiran", role="Officer", photo_alt="Kiran", photo=factories.jpeg_upload()
    )
    name = member.photo.name

    member.role = "Senior officer"
    member.save()

    member.refresh_from_db()
    assert member.photo.name == name


def test_photo_needs_a_description_unless_decorative(editor_client):
    response = add_team_member(editor_client, factories.jpeg_upload(), photo_alt="")

    assert response.status_code == 200
    assert "Describe the image" in response.context["adminform"].form.errors["photo_alt"][0]

    response = add_team_member(
        editor_client, factories.jpeg_upload(), photo_alt="", photo_decorative="on"
    )
    assert response.status_code == 302


def render_picture(member):
    template = Template(
        "{% load images %}{% picture m.photo alt=m.photo_alt decorative=m.photo_decorative "
        'sizes="64px" classes="app-avatar" %}'
    )
    return template.render(Context({"m": member}))


def test_picture_tag_offers_webp_with_a_jpeg_fallback():
    member = TeamMember.objects.create(
        name="Kiran",
        slug="kiran",
        role="Officer",
        photo_alt="Kiran smiling",
        photo=factories.jpeg_upload((1200, 800)),
    )

    html = render_picture(member)

    stem = member.photo.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
    assert '<source type="image/webp"' in html
    assert f"/media/team/renditions/{stem}-160w.webp 160w" in html
    assert f"/media/team/renditions/{stem}-640w.jpg 640w" in html
    assert f'src="/media/team/renditions/{stem}-640w.jpg"' in html
    assert 'width="640" height="427"' in html
    assert 'alt="Kiran smiling"' in html
    assert 'sizes="64px"' in html


def test_decorative_picture_has_empty_alt():
    member = TeamMember.objects.create(
        name="Kiran",
        slug="kiran",
        role="Officer",
        photo_alt="Not read out",
        photo_decorative=True,
        photo=factories.jpeg_upload(),
    )

    assert 'alt=""' in render_picture(member)


def test_team_page_shows_the_photo_renditions(client):
    TeamMember.objects.create(
        name="Kiran",
        slug="kiran",
        role="Officer",
        photo_alt="Kiran smiling",
        photo=factories.jpeg_upload(),
    )

    response = client.get(reverse("resources:team"))

    assert "<picture>" in response.text
    assert 'alt="Kiran smiling"' in response.text


def test_phone_jpeg_with_extra_pictures_is_accepted_and_stored_as_jpeg():
    import io

    from PIL import Image

    from blocks import images

    buffer = io.BytesIO()
    first, second = Image.new("RGB", (800, 600), "teal"), Image.new("RGB", (800, 600), "navy")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    buffer.seek(0)
    assert Image.open(buffer).format == "MPO"
    buffer.seek(0)
    image, content, extension = images.clean_upload(buffer)
    assert extension == "jpg"
    stored = Image.open(io.BytesIO(content))
    assert stored.format == "JPEG" and stored.size == (800, 600)


# --- Nothing of a replaced or deleted image stays in storage ---------------------------------


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def files_of(name, width):
    """The stored original ``name`` and all its renditions."""
    return sorted(
        [name]
        + [
            images.rendition_name(name, w, extension)
            for w in images.rendition_widths(width)
            for extension in ("webp", "jpg")
        ]
    )


def change_team_member(client, member, **fields):
    data = {
        "name": member.name,
        "slug": member.slug,
        "role": member.role,
        "photo_alt": member.photo_alt,
        "order": member.order,
        **fields,
    }
    return client.post(reverse("admin:resources_teammember_change", args=[member.pk]), data)


def test_replacing_a_photo_deletes_the_old_one_and_its_renditions(
    editor_client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_team_member(editor_client, factories.jpeg_upload((1200, 800), name="old.jpg"))
    member = TeamMember.objects.get()
    old = member.photo.name
    assert stored_files(settings) == files_of(old, 1200) and len(files_of(old, 1200)) == 7

    with django_capture_on_commit_callbacks(execute=True):
        response = change_team_member(
            editor_client, member, photo=factories.jpeg_upload((300, 300), name="new.jpg")
        )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.photo.name != old
    assert stored_files(settings) == files_of(member.photo.name, 300)


def test_removing_a_photo_in_the_admin_deletes_it_and_its_renditions(
    editor_client, settings, django_capture_on_commit_callbacks
):
    member = TeamMember.objects.create(
        name="Kiran", slug="kiran", role="Officer", photo_alt="Kiran", photo=factories.jpeg_upload()
    )
    assert stored_files(settings)

    with django_capture_on_commit_callbacks(execute=True):
        response = change_team_member(editor_client, member, **{"photo-clear": "on"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.photo
    assert stored_files(settings) == []


def test_deleting_a_team_member_deletes_their_photo_and_its_renditions(
    editor_client, settings, django_capture_on_commit_callbacks
):
    kept = TeamMember.objects.create(
        name="Sam", slug="sam", role="Officer", photo_alt="Sam", photo=factories.jpeg_upload()
    )
    member = TeamMember.objects.create(
        name="Kiran", slug="kiran", role="Officer", photo_alt="Kiran", photo=factories.jpeg_upload()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:resources_teammember_delete", args=[member.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert stored_files(settings) == files_of(kept.photo.name, 1200)


def test_deleting_an_issue_deletes_its_images_and_its_sections_images(
    settings, django_capture_on_commit_callbacks
):
    issue = factories.make_issue(cover_image=factories.jpeg_upload(), cover_image_alt="Cover")
    factories.make_section(issue, image=factories.jpeg_upload(), image_alt="Leaflet")
    assert len(stored_files(settings)) == 14

    with django_capture_on_commit_callbacks(execute=True):
        issue.delete()

    assert stored_files(settings) == []


def test_a_deletion_that_is_rolled_back_keeps_the_files(settings):
    member = TeamMember.objects.create(
        name="Kiran", slug="kiran", role="Officer", photo_alt="Kiran", photo=factories.jpeg_upload()
    )
    before = stored_files(settings)

    with pytest.raises(RuntimeError), transaction.atomic():
        member.delete()
        raise RuntimeError

    assert stored_files(settings) == before == files_of(member.photo.name, 1200)
