"""Report photos are served to report handlers only: anyone else gets 404, whatever the URL."""

import io
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from PIL import Image

from tests.factories import make_report, make_report_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return make_report_photo(make_report(), size=(640, 480))


def test_a_report_handler_sees_the_photo(handler_client, photo):
    response = handler_client.get(photo.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.size == (640, 480)


def test_a_report_handler_sees_a_small_preview_of_the_photo(handler_client):
    photo = make_report_photo(make_report(), size=(3000, 2000))
    response = handler_client.get(photo.get_preview_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG" and image.size == (480, 320)
    assert not image.getexif()
    # Kept with the photo, in the private store.
    assert photo.image.storage.exists(photo.preview_name)
    assert photo.preview_name.startswith("reports/")


def test_a_small_photo_is_its_own_size_in_the_preview(handler_client):
    photo = make_report_photo(make_report(), size=(300, 200))
    response = handler_client.get(photo.get_preview_url())
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (300, 200)


def test_a_photo_stored_without_a_preview_is_shown_whole_instead(handler_client, photo):
    photo.image.storage.delete(photo.preview_name)
    response = handler_client.get(photo.get_preview_url())
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (640, 480)


@pytest.mark.parametrize("who", ["client", "editor_client", "coordinator_client"])
def test_only_report_handlers_see_the_preview(request, photo, who):
    response = request.getfixturevalue(who).get(photo.get_preview_url())
    assert response.status_code == 404
    assert b"\xff\xd8" not in response.content


def test_a_superuser_sees_the_photo(admin_client, photo):
    assert admin_client.get(photo.get_absolute_url()).status_code == 200


def test_an_anonymous_visitor_gets_404(client, photo):
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 404
    assert b"\xff\xd8" not in response.content


def test_a_content_editor_gets_404(editor_client, photo):
    assert editor_client.get(photo.get_absolute_url()).status_code == 404


def test_a_training_coordinator_gets_404(coordinator_client, photo):
    assert coordinator_client.get(photo.get_absolute_url()).status_code == 404


def test_staff_given_every_report_permission_outside_the_group_get_404(django_user_model, photo):
    user = django_user_model.objects.create_user("helpful-admin", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="reports"))
    staff = Client()
    staff.force_login(user)
    assert staff.get(photo.get_absolute_url()).status_code == 404


def test_a_former_handler_no_longer_staff_gets_404(report_handler, photo):
    report_handler.is_staff = False
    report_handler.save()
    former = Client()
    former.force_login(report_handler)
    assert former.get(photo.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "/report/photos/{random}/",
        "/report/photos/not-a-key/",
        "/report/photos/{key}/../",
        "/media/reports/{hex}.jpg",
        "/private-media/reports/{hex}.jpg",
        "/reports/{hex}.jpg",
    ],
)
def test_no_address_serves_the_photo_to_others(client, handler_client, photo, address):
    url = address.format(random=uuid.uuid4(), key=photo.key, hex=photo.key.hex)
    assert client.get(url).status_code == 404
    if "{key}" not in address:
        # Not there at all, for a handler either: the photo exists at one address only.
        assert handler_client.get(url).status_code == 404


def test_a_photo_whose_file_is_gone_is_404_not_an_error(handler_client, photo):
    photo.image.storage.delete(photo.image.name)
    assert handler_client.get(photo.get_absolute_url()).status_code == 404


def test_only_reading_is_allowed(handler_client, photo):
    assert handler_client.post(photo.get_absolute_url()).status_code == 405
