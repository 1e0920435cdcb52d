"""Request bodies over the limit are refused with 413 before Django reads them."""

import io
import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from PIL import Image

from blocks.bodysize import BodySizeMiddleware, body_limit
from resources.models import TeamMember
from tests.factories import request_form_data, upload
from tests.prevent_site.test_site import parse
from training.models import TrainingRequest

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
REQUEST_FORM = "/training/request/"


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it was read."""

    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1, /):
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readline(self, size=-1, /):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def multipart(**fields):
    return encode_multipart(BOUNDARY, fields)


def send(client, path, body, **headers):
    """POST ``body`` as a browser would, and return (response, how much of it was read)."""
    stream = CountingStream(body)
    environ = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    response = client.generic("POST", path, **environ | {"wsgi.input": stream} | headers)
    return response, stream.bytes_read


def test_two_megabyte_post_to_the_request_form_is_refused_unread_and_nothing_is_saved(client):
    body = multipart(**request_form_data(), attachment=upload(b"\0" * (2 * MB), "big.pdf"))

    response, bytes_read = send(client, REQUEST_FORM, body)

    assert response.status_code == 413
    assert bytes_read == 0
    assert not TrainingRequest.objects.exists()
    page = parse(response)
    assert page.title.startswith("What you sent is too large")
    assert page.h1s == 1 and page.breadcrumbs
    assert "This page takes at most 1.0\xa0MB." in response.text
    assert f'href="{REQUEST_FORM}"' in response.text


def test_request_form_under_the_limit_is_still_sent(client):
    body = multipart(**request_form_data(), padding="x" * (MB - 20_000))

    response, _ = send(client, REQUEST_FORM, body)

    assert response.status_code == 302
    assert TrainingRequest.objects.count() == 1


def test_body_without_a_length_is_refused_unread(client):
    body = multipart(**request_form_data(), attachment=upload(b"\0" * (2 * MB), "big.pdf"))

    response, bytes_read = send(
        client, REQUEST_FORM, body, CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked"
    )

    assert response.status_code == 411
    assert bytes_read == 0
    assert not TrainingRequest.objects.exists()


def test_admin_sign_in_takes_no_big_body_from_a_visitor(client):
    body = multipart(username="x", password="y", padding="x" * (2 * MB))

    response, bytes_read = send(client, reverse("admin:login"), body)

    assert response.status_code == 413
    assert bytes_read == 0


def noise_png(width=1200, height=800):
    """A PNG of random pixels, which does not compress: about 2.8 MB."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_editor_still_uploads_a_photo_of_a_few_megabytes(editor_client):
    photo = noise_png()
    assert len(photo) > 2 * MB
    body = multipart(
        name="Kiran Malik",
        slug="kiran-malik",
        role="Prevent Engagement Officer",
        photo_alt="Kiran Malik smiling",
        order=0,
        photo=upload(photo, "kiran.png", "image/png"),
    )

    response, _ = send(editor_client, reverse("admin:resources_teammember_add"), body)

    assert response.status_code == 302
    assert TeamMember.objects.get().photo


def form_view(request):
    return HttpResponse("read")


@body_limit(3 * MB)
def photos_form_view(request):
    return HttpResponse("read")


def request_of(rf, size):
    request = rf.post("/report/", data=b"x" * size, content_type="application/octet-stream")
    request.user = AnonymousUser()
    return request


def test_a_view_may_declare_a_bigger_limit(rf, settings):
    settings.REQUEST_BODY_LIMIT = MB
    middleware = BodySizeMiddleware(form_view)

    assert middleware.process_view(request_of(rf, 2 * MB), photos_form_view, (), {}) is None
    assert middleware.process_view(request_of(rf, 2 * MB), form_view, (), {}).status_code == 413
    refused = middleware.process_view(request_of(rf, 3 * MB + 1), photos_form_view, (), {})
    assert refused.status_code == 413
    assert "3.0\xa0MB" in refused.text


def test_signed_in_staff_may_send_up_to_the_staff_limit_anywhere(rf, settings, content_editor):
    settings.REQUEST_BODY_LIMIT = MB
    settings.STAFF_REQUEST_BODY_LIMIT = 3 * MB
    middleware = BodySizeMiddleware(form_view)
    within, over = request_of(rf, 3 * MB), request_of(rf, 3 * MB + 1)
    within.user = over.user = content_editor

    assert middleware.process_view(within, form_view, (), {}) is None
    assert middleware.process_view(over, form_view, (), {}).status_code == 413
