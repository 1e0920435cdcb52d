"""Every page answers 405 to the methods it does not take, instead of treating them as a GET
or (Django's form views) as a POST without data."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse, translate_url

from newsletters.models import Subscriber
from reports.models import Report
from tests.factories import request_form_data
from tests.prevent_site.test_site import crawl
from training.models import Event, TrainingRequest

pytestmark = pytest.mark.django_db

REQUEST_FORM = "/training/request/"
REPORT_FORM = "/report/"
SUBSCRIBE_FORM = "/newsletters/subscribe/"
ADMIN_LOGIN = "/admin/login/"
SITE_METHODS = {"GET", "HEAD", "POST", "OPTIONS"}


def allowed(response):
    return {method.strip() for method in response["Allow"].split(",")}


@pytest.mark.parametrize("path", [REQUEST_FORM, REPORT_FORM, SUBSCRIBE_FORM, ADMIN_LOGIN])
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_forms_answer_405_to_put_patch_and_delete(client, path, method):
    body = urlencode(request_form_data())

    response = getattr(client, method)(path, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 405
    assert allowed(response) == SITE_METHODS
    assert not TrainingRequest.objects.exists() and not Report.objects.exists()
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("path", [REQUEST_FORM, REPORT_FORM, SUBSCRIBE_FORM, ADMIN_LOGIN])
def test_forms_still_answer_get_head_and_options(client, path):
    page = client.get(path)
    assert page.status_code == 200 and "<form" in page.text
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    options = client.options(path)
    assert options.status_code == 200
    # What OPTIONS offers is what the form takes: no PUT.
    assert allowed(options) == SITE_METHODS


def test_request_form_still_takes_a_post(client):
    response = client.post(REQUEST_FORM, request_form_data())

    assert response.status_code == 302
    assert TrainingRequest.objects.count() == 1


def test_admin_login_still_takes_a_post(client, content_editor):
    content_editor.set_password("kettle-harbour-lantern-42")
    content_editor.save()

    response = client.post(
        ADMIN_LOGIN,
        {"username": content_editor.username, "password": "kettle-harbour-lantern-42"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_every_public_page_answers_405_to_methods_it_does_not_take(client):
    call_command("load_initial_content", verbosity=0)
    paths = {path.split("?")[0] for path, (response, _page) in crawl(client).items()}
    paths |= {
        reverse("newsletters:issue-feed"),
        reverse("sitemap"),
        reverse("robots-txt"),
        reverse("favicon"),
        reverse("training:request-done"),
        reverse("reports:done"),
        reverse("newsletters:subscribe-done"),
        reverse("reports:photo", args=["00000000-0000-0000-0000-000000000000"]),
        reverse("training:event-ics", args=[Event.objects.first().slug]),
    }

    takes_post = {REQUEST_FORM, REPORT_FORM, SUBSCRIBE_FORM}
    # The report and training request forms in each language they are offered in.
    takes_post |= {
        translate_url(form, code)
        for form in (REPORT_FORM, REQUEST_FORM)
        for code, _name in settings.LANGUAGES
    }
    refused = {}
    for path in sorted(paths):
        for method in ["put", "patch", "delete"] + ([] if path in takes_post else ["post"]):
            status = getattr(client, method)(path).status_code
            if status != 405:
                refused[f"{method.upper()} {path}"] = status
    assert refused == {}
