"""The page cache: anonymous pages come from the shared cache, and edits show at once."""

import gzip
import time
from html.parser import HTMLParser

import brotli
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from prevent_site import pagecache
from prevent_site.publishing import Status
from resources.models import ResourceLink
from tests.factories import (
    future,
    make_issue,
    make_link,
    make_section,
    make_workshop,
)
from training.models import TrainingRequest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "prevent_cache",
    }
}


@pytest.fixture(params=["memory", "database"])
def shared_cache(request, settings):
    """Run a test on an in-memory cache and on the database cache production uses by default."""
    if request.param == "database":
        settings.CACHES = DATABASE_CACHE
    return request.param


def built(client, url, **extra):
    """(response, whether the page was built rather than served from the cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import pagecache_urls

    before = next(pagecache_urls.calls)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    after = next(pagecache_urls.calls)
    view_ran = after - before > 1
    page_queries = [q for q in queries.captured_queries if "prevent_cache" not in q["sql"]]
    return response, view_ran or bool(page_queries)


class FormData(HTMLParser):
    """The values an admin change form would post back as it is."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.data[name] = attrs.get("value", "on")
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def admin_form(admin_client, url):
    parser = FormData()
    parser.feed(admin_client.get(url).content.decode())
    return parser.data


# --- What is cached, and how fresh it stays ------------------------------------------------------


def test_anonymous_page_is_served_from_the_cache_without_queries(
    client, shared_cache, django_assert_num_queries
):
    make_workshop(title="Cached workshop")
    first, first_built = built(client, "/training/")
    again, again_built = built(client, "/training/")
    assert first_built and not again_built
    assert again.content == first.content
    assert "Cached workshop" in again.content.decode()
    if shared_cache == "memory":
        with django_assert_num_queries(0):
            client.get("/training/")


def test_editing_an_item_in_the_admin_shows_on_the_next_request(client, admin_client, shared_cache):
    link = make_link(title="Old title")
    assert "Old title" in client.get("/resources/").content.decode()
    url = reverse("admin:resources_resourcelink_change", args=[link.pk])
    data = admin_form(admin_client, url)
    data["title"] = "New title"
    assert admin_client.post(url, data).status_code == 302
    page = client.get("/resources/").content.decode()
    assert "New title" in page and "Old title" not in page


def test_deleting_an_item_in_the_admin_removes_it_on_the_next_request(
    client, admin_client, shared_cache
):
    workshop = make_workshop(title="Retired workshop")
    assert "Retired workshop" in client.get("/training/").content.decode()
    url = reverse("admin:training_workshop_delete", args=[workshop.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert "Retired workshop" not in client.get("/training/").content.decode()


def test_linking_an_item_to_a_section_shows_on_the_issue_page(client, shared_cache):
    issue = make_issue()
    section = make_section(issue)
    workshop = make_workshop(title="Linked later")
    assert "Linked later" not in client.get(issue.get_absolute_url()).content.decode()
    section.workshops.add(workshop)
    assert "Linked later" in client.get(issue.get_absolute_url()).content.decode()


def test_publishing_a_draft_shows_it_on_every_cached_page_that_lists_it(client):
    workshop = make_workshop(title="Draft workshop", status=Status.DRAFT)
    for url in ("/", "/training/"):
        assert "Draft workshop" not in client.get(url).content.decode()
    workshop.status = Status.PUBLISHED
    workshop.save()
    for url in ("/", "/training/"):
        assert "Draft workshop" in client.get(url).content.decode()


def test_an_admin_form_refreshes_pages_even_when_no_model_signal_fires(client, admin_client):
    link = make_link(title="Before bulk edit")
    client.get("/resources/")
    ResourceLink.objects.filter(pk=link.pk).update(title="After bulk edit")  # no signals
    assert "Before bulk edit" in client.get("/resources/").content.decode()
    url = reverse("admin:resources_resourcelink_changelist")
    admin_client.post(url, {"action": "", "index": "0"})
    assert "After bulk edit" in client.get("/resources/").content.decode()


def test_the_generation_is_set_again_when_the_edit_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        make_workshop()
        during = cache.get(pagecache.GENERATION_KEY)
    assert pagecache.bump_generation in callbacks
    for callback in callbacks:
        callback()
    assert cache.get(pagecache.GENERATION_KEY) != during


def test_a_training_request_does_not_empty_the_cache():
    cache.set(pagecache.GENERATION_KEY, "unchanged")
    TrainingRequest.objects.create(
        reference="WRAP-TEST-1",
        organisation="A school",
        sector=TrainingRequest.Sector.SCHOOL,
        contact_name="A teacher",
        email="teacher@example.org",
        audience="Staff",
        participants=20,
        delivery=TrainingRequest.Delivery.ONLINE,
    )
    assert cache.get(pagecache.GENERATION_KEY) == "unchanged"


def test_every_public_content_model_refreshes_the_cache_and_training_requests_do_not():
    from django.apps import apps

    models = {model._meta.label for model in pagecache.content_models()}
    everything = {
        model._meta.label
        for label in ("newsletters", "training", "resources")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    assert everything - models == {
        "training.TrainingRequest",
        "training.ReferenceCounter",
        "training.RecentSubmission",
        "training.OutboundEmail",
    }
    assert {
        "newsletters.Issue",
        "newsletters.Section",
        "training.Workshop",
        "training.Testimonial",
        "training.Event",
        "training.CommunityProject",
        "resources.TeamMember",
        "resources.Contact",
        "resources.ResourceLink",
        "resources.FundingScheme",
        "newsletters.Section_workshops",
    } <= models
    assert "training.TrainingRequest" not in models


def test_a_scheduled_issue_appears_when_its_time_passes_without_any_save(client, settings):
    settings.PAGE_CACHE_SECONDS = 1  # 60 in production: see prevent_site/pagecache.py
    make_issue(title="Scheduled issue", publish_at=future(days=1.5 / 86400))
    fresh = Client()
    assert "Scheduled issue" not in fresh.get("/newsletters/").content.decode()
    time.sleep(2)
    assert "Scheduled issue" in fresh.get("/newsletters/").content.decode()


def test_a_page_stored_by_one_server_is_served_by_another_sharing_the_cache(settings):
    settings.CACHES = DATABASE_CACHE
    make_workshop(title="Shared workshop")
    one, other = Client(), Client()
    _, built_by_one = built(one, "/training/")
    response, built_by_other = built(other, "/training/")
    assert built_by_one and not built_by_other
    assert "Shared workshop" in response.content.decode()


def test_pages_are_built_without_the_cache_when_it_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    make_workshop(title="Still served")
    response = Client().get("/training/")
    assert response.status_code == 200
    assert "Still served" in response.content.decode()


# --- What is never cached ------------------------------------------------------------------------


@pytest.mark.urls("tests.pagecache_urls")
@pytest.mark.parametrize(
    "url",
    [
        "/sets-cookie/",
        "/form/",
        "/private/",
        "/never-cache/",
        "/varies/",
        "/missing/",
        "/admin/counted/",
    ],
)
def test_pages_that_must_not_be_shared_are_built_every_time(client, url):
    built(client, url)
    _, again = built(client, url)
    assert again, f"{url} was served from the cache"


def test_the_training_request_form_is_never_cached_nor_compressed(client):
    url = reverse("training:request")
    first, first_built = built(client, url, headers={"Accept-Encoding": "gzip, br"})
    again, again_built = built(client, url, headers={"Accept-Encoding": "gzip, br"})
    assert first_built and again_built
    assert b"csrfmiddlewaretoken" in again.content
    assert "Content-Encoding" not in again
    assert "csrftoken" in again.cookies


def test_sending_a_training_request_leaves_cached_pages_alone(client):
    from tests.factories import request_form_data

    make_workshop()
    client.get("/training/")
    generation = cache.get(pagecache.GENERATION_KEY)
    response = client.post(reverse("training:request"), request_form_data())
    assert response.status_code == 302
    assert cache.get(pagecache.GENERATION_KEY) == generation
    _, rebuilt = built(Client(), "/training/")
    assert not rebuilt


@pytest.mark.urls("tests.pagecache_urls")
def test_the_counting_view_itself_is_cached(client):
    _, first = built(client, "/counted/")
    _, again = built(client, "/counted/")
    assert first and not again


@pytest.mark.urls("tests.pagecache_urls")
@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_requests_with_a_session_or_messages_cookie_bypass_the_cache(client, cookie):
    built(client, "/counted/")
    client.cookies[cookie] = "something"
    _, again = built(client, "/counted/")
    assert again
    del client.cookies[cookie]
    _, anonymous = built(client, "/counted/")
    assert not anonymous, "the signed-in request must not have replaced the shared page"


@pytest.mark.urls("tests.pagecache_urls")
def test_signed_in_staff_get_pages_built_for_them(admin_client):
    built(admin_client, "/counted/")
    _, again = built(admin_client, "/counted/")
    assert again


@pytest.mark.urls("tests.pagecache_urls")
def test_post_is_never_answered_from_the_cache(client):
    client.get("/counted/")
    first = client.post("/counted/").content
    assert client.post("/counted/").content != first


@pytest.mark.urls("tests.pagecache_urls")
def test_head_is_answered_from_the_cache(client):
    built(client, "/counted/")
    from tests import pagecache_urls

    before = next(pagecache_urls.calls)
    response = client.head("/counted/")
    assert response.status_code == 200
    assert next(pagecache_urls.calls) == before + 1


# --- Conditional requests and compression --------------------------------------------------------


def test_pages_carry_an_etag_and_answer_a_conditional_request_with_304(client):
    first = client.get("/training/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache"
    not_modified = client.get("/training/", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    make_workshop(title="Something new")
    changed = client.get("/training/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_etag_stays_the_same_while_the_page_does(client):
    etag = client.get("/privacy/")["ETag"]
    make_workshop()  # new generation; the privacy notice is unchanged
    assert client.get("/privacy/", headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("cached", [False, True], ids=["built", "from-cache"])
def test_pages_are_sent_compressed_in_the_best_encoding_the_browser_takes(client, cached):
    plain = client.get("/training/").content
    if not cached:
        make_workshop()  # the next requests build the page again
        plain = client.get("/training/").content
    br = client.get("/training/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(br.content) == plain
    gz = client.get("/training/", headers={"Accept-Encoding": "gzip"})
    assert gz["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.content) == plain
    assert int(gz["Content-Length"]) == len(gz.content) < len(plain) / 2
    assert "Accept-Encoding" in br["Vary"]


@pytest.mark.urls("tests.pagecache_urls")
def test_pages_with_a_csrf_token_are_never_compressed(client):
    """BREACH: a compressed page holding a secret leaks it, byte by byte, to an observer."""
    response = client.get("/form/", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response
    assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.urls("tests.pagecache_urls")
def test_pages_for_a_signed_in_request_are_never_compressed(admin_client):
    response = admin_client.get("/counted/", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response


@pytest.mark.urls("tests.pagecache_urls")
def test_anonymous_pages_that_are_not_cached_are_still_gzipped(client):
    response = client.get("/varies/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_refresh_cached_pages_command_makes_every_page_fresh(client):
    from django.core.management import call_command

    link = make_link(title="Before SQL")
    client.get("/resources/")
    ResourceLink.objects.filter(pk=link.pk).update(title="After SQL")  # no signals
    call_command("refresh_cached_pages", verbosity=0)
    assert "After SQL" in client.get("/resources/").content.decode()
