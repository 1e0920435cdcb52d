"""The page cache: anonymous pages come from the shared cache, and edits show at once."""

import gzip
import secrets
import time

import brotli
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bench.harness import AdminForm
from prevent_site import pagecache
from prevent_site.publishing import Status
from resources.models import Audience, ResourceLink
from tests.factories import (
    future,
    make_issue,
    make_link,
    make_section,
    make_topic,
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

    from tests.prevent_site import pagecache_urls

    before = next(pagecache_urls.calls)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    after = next(pagecache_urls.calls)
    view_ran = after - before > 1
    page_queries = [q for q in queries.captured_queries if "prevent_cache" not in q["sql"]]
    return response, view_ran or bool(page_queries)


def admin_form(admin_client, url):
    parser = AdminForm()
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


def test_tagging_an_item_or_renaming_a_topic_shows_on_the_topic_pages(client):
    topic = make_topic(name="Online safety")
    workshop = make_workshop(title="Tagged later")
    assert "Tagged later" not in client.get(topic.get_absolute_url()).content.decode()
    assert "Online safety" not in client.get("/topics/").content.decode()  # nothing on it yet
    workshop.topics.add(topic)
    assert "Tagged later" in client.get(topic.get_absolute_url()).content.decode()
    assert "Online safety" in client.get("/topics/").content.decode()
    topic.name = "Staying safe online"
    topic.save()
    assert "Staying safe online" in client.get("/topics/").content.decode()
    assert "Staying safe online" in client.get(workshop.get_absolute_url()).content.decode()


def test_editing_an_audience_page_refreshes_cached_pages():
    cache.set(pagecache.GENERATION_KEY, "unchanged")
    Audience.objects.create(name="Parents and carers", slug="parents-and-carers", introduction=".")
    assert cache.get(pagecache.GENERATION_KEY) != "unchanged"


def test_an_admin_form_refreshes_pages_even_when_no_model_signal_fires(client, admin_client):
    link = make_link(title="Before bulk edit")
    client.get("/resources/")
    ResourceLink.objects.filter(pk=link.pk).update(title="After bulk edit")  # no signals
    assert "Before bulk edit" in client.get("/resources/").content.decode()
    url = reverse("admin:resources_resourcelink_changelist")
    admin_client.post(url, {"action": "", "index": "0"})
    assert "After bulk edit" in client.get("/resources/").content.decode()


@pytest.mark.parametrize("request_kind", ["failed sign-in", "OPTIONS", "POST over plain HTTP"])
def test_visitors_who_are_not_staff_cannot_empty_the_cache_through_the_admin(
    settings, request_kind
):
    settings.SECURE_SSL_REDIRECT = True  # before the client below loads the middleware
    visitor = Client(enforce_csrf_checks=True)
    make_workshop(title="Cached for everyone")
    visitor.get("/training/", secure=True)
    before = cache.get(pagecache.GENERATION_KEY)
    if request_kind == "failed sign-in":
        login = visitor.get("/admin/login/", secure=True)
        token = login.cookies["csrftoken"].value
        response = visitor.post(
            "/admin/login/",
            {"username": "someone", "password": "wrong", "csrfmiddlewaretoken": token},
            secure=True,
            headers={"Referer": "https://testserver/admin/login/"},  # checked over HTTPS
        )
        assert response.status_code == 200
    elif request_kind == "OPTIONS":
        assert visitor.options("/admin/", secure=True).status_code < 400
    else:
        assert visitor.post("/admin/").status_code == 301
    assert cache.get(pagecache.GENERATION_KEY) == before


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


def test_every_public_content_model_refreshes_the_cache_and_private_models_do_not():
    from django.apps import apps

    models = {model._meta.label for model in pagecache.content_models()}
    everything = {
        model._meta.label
        for label in ("newsletters", "training", "resources", "outbox", "prevent_site", "search")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    assert everything - models == {
        "training.TrainingRequest",
        "search.SearchEntry",
        "search.SearchLog",
        "newsletters.Subscriber",
        "newsletters.FormerSubscriber",
        "newsletters.Mailing",
        "newsletters.Delivery",
        "prevent_site.ReferenceCounter",
        "prevent_site.RecentSubmission",
        "prevent_site.JobRun",
        "outbox.OutboundEmail",
        "outbox.WorkerHeartbeat",
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
        # Topics and audience pages, and what carries a topic or is chosen for an audience.
        "resources.Topic",
        "resources.Audience",
        "resources.Audience_topics",
        "resources.Audience_contacts",
        "newsletters.Section_topics",
        "training.Workshop_topics",
        "training.Workshop_audience_pages",
        "training.Event_topics",
        "resources.ResourceLink_topics",
        "resources.FundingScheme_topics",
    } <= models
    assert "training.TrainingRequest" not in models


def test_the_page_cache_names_no_app():
    """Each app says in its own AppConfig whether its models are public content."""
    import re
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    source = Path(pagecache.__file__).read_text()
    project_apps = [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(settings.BASE_DIR)
        and "site-packages" not in Path(config.path).parts  # a virtualenv inside the project
        and config.label != "prevent_site"
    ]
    assert project_apps
    assert [label for label in project_apps if re.search(rf"\b{label}\b", source)] == []


def test_an_app_that_says_its_models_are_public_refreshes_the_cache(monkeypatch):
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission, User

    def content_models():
        return {model for model in pagecache.content_models() if model._meta.app_label == "auth"}

    auth = apps.get_app_config("auth")
    assert content_models() == set(), "an app that says nothing is not content"
    monkeypatch.setattr(auth, "shown_on_public_pages", True, raising=False)
    monkeypatch.setattr(auth, "never_on_public_pages", ("User", "Permission"), raising=False)
    assert Group in content_models()
    assert User not in content_models() and Permission not in content_models()


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


# --- Query strings: only the addresses a page links to are stored ------------------------------


def cache_keys():
    """Every key in the database cache (DATABASE_CACHE)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM prevent_cache")
        return {key for (key,) in cursor.fetchall()}


def with_random(query):
    return query.replace("<random>", secrets.token_hex(8))


@pytest.mark.parametrize(
    "query",
    [
        "utm_source=newsletter",
        "zzz=<random>",
        "<random>",
        "page=<random>",
        "page=3",
        "caf%C3%A9=1",
        "café=1",
        pytest.param("&".join(f"n{i}=1" for i in range(2000)), id="more-fields-than-allowed"),
    ],
)
def test_a_query_string_the_page_does_not_read_gets_the_page_but_no_cache_entry(
    client, settings, query
):
    settings.CACHES = DATABASE_CACHE
    make_workshop(title="Listed on the home page")
    client.get("/")
    before = cache_keys()
    for _ in range(2):
        response = client.get(f"/?{with_random(query)}")
        assert response.status_code == 200
        assert "Listed on the home page" in response.content.decode()
    assert cache_keys() == before


def test_the_front_answers_made_up_query_strings_without_storing_them(front, settings):
    application, django_app = front
    settings.CACHES = DATABASE_CACHE
    make_workshop(title="Listed on the home page")
    call(application, "/")
    before = cache_keys()
    for query in ("utm_source=x", "utm_source=x", with_random("zzz=<random>")):
        status, _, body = call(application, f"/?{query}")
        assert status == "200 OK" and "Listed on the home page" in body.decode()
    assert django_app.calls == 4
    assert cache_keys() == before


@pytest.fixture
def two_pages_of_issues():
    for _ in range(13):  # 12 to a page
        make_issue()


@pytest.mark.usefixtures("two_pages_of_issues")
@pytest.mark.parametrize("query", ["page=2", "page=1", ""])
def test_each_page_of_a_paginated_list_is_cached(client, query):
    first, first_built = built(client, f"/newsletters/?{query}")
    again, again_built = built(client, f"/newsletters/?{query}")
    assert first_built and not again_built
    assert again.content == first.content


@pytest.mark.usefixtures("two_pages_of_issues")
def test_the_front_answers_the_second_page_of_a_list_from_the_cache(front):
    application, django_app = front
    _, _, body = call(application, "/newsletters/?page=2")
    status, _, again = call(application, "/newsletters/?page=2")
    assert django_app.calls == 1
    assert status == "200 OK" and again == body and "Newsletters (page 2)" in body.decode()


@pytest.mark.usefixtures("two_pages_of_issues")
@pytest.mark.parametrize(
    "query",
    [
        "page=02",
        "page=%32",
        "page=+2",
        "page=1&page=2",
        "page=2&page=2",
        "page=2&",
        "page=2&utm_source=x",
        "utm_source=x&page=2",
        "page=last",
    ],
)
def test_other_spellings_of_a_page_number_get_the_page_but_no_cache_entry(client, settings, query):
    settings.CACHES = DATABASE_CACHE
    client.get("/newsletters/?page=2")
    before = cache_keys()
    response = client.get(f"/newsletters/?{query}")
    assert response.status_code == 200
    assert "Newsletters (page 2)" in response.content.decode()
    assert cache_keys() == before


# --- What is never cached ------------------------------------------------------------------------


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
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


def test_the_training_request_form_tells_shared_caches_it_is_private(client):
    from django.utils.http import split_directive_names

    url = reverse("training:request")
    shown = client.get(url)
    with_errors = client.post(url, {})  # shown again, with its errors
    assert with_errors.status_code == 200 and b"csrfmiddlewaretoken" in with_errors.content
    for response in (shown, with_errors):
        assert "private" in split_directive_names(response["Cache-Control"])


def test_sending_a_training_request_leaves_cached_pages_alone(
    client, django_capture_on_commit_callbacks, run_worker, mailoutbox
):
    from tests.factories import request_form_data

    make_workshop()
    client.get("/training/")
    generation = cache.get(pagecache.GENERATION_KEY)
    # The request, its reference number, its rate-limit row and its two emails are saved…
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:request"), request_form_data())
    assert response.status_code == 302
    assert cache.get(pagecache.GENERATION_KEY) == generation
    # … and the worker sends the emails, updating them.
    run_worker()
    assert len(mailoutbox) == 2
    assert cache.get(pagecache.GENERATION_KEY) == generation
    _, rebuilt = built(Client(), "/training/")
    assert not rebuilt


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
def test_the_counting_view_itself_is_cached(client):
    _, first = built(client, "/counted/")
    _, again = built(client, "/counted/")
    assert first and not again


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_requests_with_a_session_or_messages_cookie_bypass_the_cache(client, cookie):
    built(client, "/counted/")
    client.cookies[cookie] = "something"
    _, again = built(client, "/counted/")
    assert again
    del client.cookies[cookie]
    _, anonymous = built(client, "/counted/")
    assert not anonymous, "the signed-in request must not have replaced the shared page"


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
def test_signed_in_staff_get_pages_built_for_them(admin_client):
    built(admin_client, "/counted/")
    _, again = built(admin_client, "/counted/")
    assert again


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
def test_post_is_never_answered_from_the_cache(client):
    client.get("/counted/")
    first = client.post("/counted/").content
    assert client.post("/counted/").content != first


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
def test_head_is_answered_from_the_cache(client):
    built(client, "/counted/")
    from tests.prevent_site import pagecache_urls

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


NO_COMPRESSION = "br;q=0, gzip;q=0"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "identity"),
        (NO_COMPRESSION, "identity"),
        ("gzip, deflate, br", "br"),
        ("br, gzip", "br"),
        ("gzip, br;q=0", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("gzip;q=0.5, br;q=0.6", "br"),
        (" GZip ;  Q=1 ", "gzip"),
        ("x-gzip", "gzip"),
        ("*", "br"),
        ("*;q=0", "identity"),
        ("br;q=0, *", "gzip"),
        ("*;q=0, gzip", "gzip"),
        ("identity", "identity"),
        ("deflate", "identity"),
        ("mybr, gzipped", "identity"),
        ("gzip;q=0.000", "identity"),
        ("gzip;q=0.001", "gzip"),
        ("gzip;q=1.000", "gzip"),
        ("gzip;level=9", "gzip"),
        ("gzip;q=0, gzip", "identity"),
        (",,gzip,", "gzip"),
        # A q-value against the rules refuses the coding rather than guess.
        ("gzip;q=2", "identity"),
        ("gzip;q=-1", "identity"),
        ("gzip;q=abc", "identity"),
        ("gzip;q=nan", "identity"),
        ("gzip;q=1e0", "identity"),
        ("gzip;q=0.5555", "identity"),
        ("gzip;q=", "identity"),
    ],
)
def test_pages_come_in_the_encoding_the_accept_encoding_header_prefers(accept, expected):
    assert pagecache.preferred_encoding(accept) == expected


@pytest.mark.parametrize(
    ("accept", "quality"),
    [
        ("", 1),
        ("gzip", 1),
        ("identity;q=0", 0),
        ("IDENTITY;q=0.5", 0.5),
        ("*;q=0", 0),
        ("*;q=0, identity", 1),
        ("*;q=0.3", 0.3),
    ],
)
def test_identity_is_acceptable_unless_refused(accept, quality):
    from prevent_site.middleware import encoding_quality

    assert encoding_quality(accept, "identity") == quality


@pytest.mark.parametrize("cached", [False, True], ids=["built", "from-cache"])
def test_a_browser_that_refuses_every_compression_gets_the_page_plain(client, cached):
    plain = client.get("/training/").content
    if not cached:
        make_workshop()
        plain = client.get("/training/").content
    response = client.get("/training/", headers={"Accept-Encoding": NO_COMPRESSION})
    assert "Content-Encoding" not in response
    assert response.content == plain
    assert "Accept-Encoding" in response["Vary"]


def test_the_front_sends_the_page_plain_to_a_browser_that_refuses_compression(front):
    application, django_app = front
    _, _, plain = call(application)
    _, headers, body = call(application, HTTP_ACCEPT_ENCODING=NO_COMPRESSION)
    assert django_app.calls == 1
    assert "Content-Encoding" not in headers and body == plain


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
@pytest.mark.parametrize(
    ("accept", "compressed"), [("gzip;q=0", False), (NO_COMPRESSION, False), ("gzip;q=0.5", True)]
)
def test_pages_that_are_not_cached_are_gzipped_only_when_the_browser_takes_gzip(
    client, accept, compressed
):
    response = client.get("/varies/", headers={"Accept-Encoding": accept})
    assert (response.get("Content-Encoding") == "gzip") is compressed
    assert b"Padding to compress" in (gzip.decompress if compressed else bytes)(response.content)
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
def test_pages_with_a_csrf_token_are_never_compressed(client):
    """BREACH: a compressed page holding a secret leaks it, byte by byte, to an observer."""
    response = client.get("/form/", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response
    assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
def test_pages_for_a_signed_in_request_are_never_compressed(admin_client):
    response = admin_client.get("/counted/", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response


@pytest.mark.urls("tests.prevent_site.pagecache_urls")
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


# --- The WSGI front: hits answered before Django's handler ---------------------------------------


class CountingDjango:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def front():
    """(CachedPageFront around Django's handler, the handler), as prevent_site/wsgi.py has them.

    Like Django's test client, the handler keeps the test's database connection open (it would
    otherwise close a connection that is inside the test's transaction).
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django_app = CountingDjango()
    yield pagecache.CachedPageFront(django_app), django_app
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(application, path="/training/", method="GET", **environ_extra):
    """(status, headers, body) of one request made through a WSGI application."""
    from django.test import RequestFactory

    environ = RequestFactory().generic(method, path, **environ_extra).environ
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(response_headers)

    body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body


def test_production_runs_django_behind_the_front():
    from prevent_site import wsgi

    # Inside the request log's front (prevent_site/requestlog.py), which wraps every request.
    front = wsgi.application.application
    assert isinstance(front, pagecache.CachedPageFront)
    assert front.application is wsgi.django_application


def test_the_front_answers_a_stored_page_without_reaching_django(front):
    application, django_app = front
    make_workshop(title="Served by the front")
    status, headers, body = call(application)
    assert status == "200 OK" and django_app.calls == 1
    # Each response's own id, never stored (tests/prevent_site/test_requestlog.py); in
    # production the request log's front gives hits theirs.
    headers.pop("X-Request-ID")
    again_status, again_headers, again_body = call(application)
    assert django_app.calls == 1, "the second request reached Django"
    assert (again_status, again_headers, again_body) == (status, headers, body)
    assert "Served by the front" in body.decode()
    # The headers the middleware added when the page was built go out with every hit.
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "ETag"):
        assert name in again_headers


def test_an_edit_shows_on_the_next_request_through_the_front(front):
    application, django_app = front
    workshop = make_workshop(title="Before the edit")
    call(application)
    workshop.title = "After the edit"
    workshop.save()
    _, _, body = call(application)
    assert django_app.calls == 2
    assert "After the edit" in body.decode() and "Before the edit" not in body.decode()


def test_the_front_sends_the_encoding_the_browser_takes(front):
    application, django_app = front
    _, _, plain = call(application, HTTP_ACCEPT_ENCODING="identity")
    _, headers, body = call(application, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert django_app.calls == 1
    assert headers["Content-Encoding"] == "br" and brotli.decompress(body) == plain
    assert headers["Content-Length"] == str(len(body))


def test_the_front_answers_head_with_headers_only(front):
    application, django_app = front
    _, get_headers, get_body = call(application)
    status, headers, body = call(application, method="HEAD")
    assert django_app.calls == 1
    assert status == "200 OK" and body == b""
    assert headers["Content-Length"] == get_headers["Content-Length"] == str(len(get_body))


def test_the_front_answers_a_conditional_request_with_304(front):
    application, django_app = front
    _, headers, _ = call(application)
    status, not_modified, body = call(application, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert django_app.calls == 1
    assert status == "304 Not Modified" and body == b""
    assert not_modified["ETag"] == headers["ETag"]


@pytest.mark.parametrize("cookie", ["sessionid=abc", "theme=dark; messages=xyz"])
def test_the_front_lets_signed_in_visitors_through_to_django(front, cookie):
    application, django_app = front
    call(application)
    call(application, HTTP_COOKIE=cookie)
    assert django_app.calls == 2
    call(application, HTTP_COOKIE="theme=dark")  # a cookie of no account: still a hit
    assert django_app.calls == 2


@pytest.mark.parametrize("path", ["/admin/login/", "/static/css/site.css", "/media/x.jpg"])
def test_the_front_does_not_look_up_the_admin_or_files(front, monkeypatch, path):
    application, django_app = front
    looked_up = []
    monkeypatch.setattr(pagecache, "lookup", lambda key: looked_up.append(key))
    call(application, path)
    assert django_app.calls == 1 and looked_up == []


def test_the_front_never_answers_a_post(front):
    application, django_app = front
    call(application)
    call(application, method="POST")
    assert django_app.calls == 2


def test_a_plain_http_request_is_still_redirected_when_the_https_page_is_stored(request, settings):
    settings.SECURE_SSL_REDIRECT = True  # before the front's handler loads the middleware
    application, django_app = request.getfixturevalue("front")
    status, headers, _ = call(application, HTTP_X_FORWARDED_PROTO="https")
    assert status == "200 OK" and "Strict-Transport-Security" in headers
    status, headers, _ = call(application, HTTP_X_FORWARDED_PROTO="https")
    assert django_app.calls == 1 and "Strict-Transport-Security" in headers
    status, headers, _ = call(application, HTTP_X_FORWARDED_PROTO="http")
    assert status.startswith("301") and headers["Location"].startswith("https://")


@pytest.mark.parametrize(
    ("url_scheme", "forwarded"),
    [
        ("http", None),
        ("https", None),
        ("http", "https"),
        ("https", "http"),
        ("http", " https , http"),
        ("http", "HTTPS"),
        ("http", ""),
    ],
)
def test_the_front_works_out_the_scheme_as_django_does(url_scheme, forwarded):
    from django.core.handlers.wsgi import WSGIRequest
    from django.test import RequestFactory

    environ = RequestFactory().get("/").environ
    environ["wsgi.url_scheme"] = url_scheme
    if forwarded is not None:
        environ["HTTP_X_FORWARDED_PROTO"] = forwarded
    assert pagecache.scheme_of(environ) == WSGIRequest(environ).scheme


def test_the_front_hands_over_to_django_when_the_cache_is_unreachable(front, settings):
    application, django_app = front
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    make_workshop(title="Still served")
    status, _, body = call(application)
    assert status == "200 OK" and "Still served" in body.decode()
    assert django_app.calls == 1


def test_a_miss_asks_the_cache_once_not_again_in_the_middleware(front, monkeypatch):
    application, django_app = front
    asked = []
    real_lookup = pagecache.lookup
    monkeypatch.setattr(pagecache, "lookup", lambda key: asked.append(key) or real_lookup(key))
    call(application)  # a miss: built by Django and stored
    assert django_app.calls == 1 and len(asked) == 1
    call(application)  # a hit
    assert django_app.calls == 1 and len(asked) == 2


def test_with_the_cache_down_a_request_waits_for_it_once(front, monkeypatch):
    application, django_app = front
    asked = []
    monkeypatch.setattr(pagecache, "lookup", lambda key: asked.append(key))  # unreachable
    make_workshop(title="Built without the cache")
    status, _, body = call(application)
    assert status == "200 OK" and "Built without the cache" in body.decode()
    assert len(asked) == 1
