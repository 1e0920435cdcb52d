"""What the site tells a front cache (Varnish) it may keep, and the purges it sends after edits.

deploy/varnish/ run for real in front of gunicorn is tests/deploy/test_varnish.py.
"""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone

from blocks import frontcache
from blocks.models import PageIntroduction, RecentSubmission, ReferenceCounter, TranslationCheck
from tests.factories import make_issue, make_section, make_workshop, request_form_data

pytestmark = pytest.mark.django_db

SHARED = "max-age=0, s-maxage=60"


def cache_control(response):
    return response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path", ["/", "/training/", "/newsletters/", "/worried-about-someone/", "/privacy/"]
)
def test_public_pages_may_be_kept_by_a_shared_cache_for_60_seconds_and_revalidated_by_browsers(
    client, path
):
    response = client.get(path)
    assert response.status_code == 200
    assert cache_control(response) == SHARED
    assert response["ETag"]
    assert client.get(path, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_an_issue_page_may_be_kept(client):
    issue = make_issue()
    make_section(issue)
    assert cache_control(client.get(issue.get_absolute_url())) == SHARED


def test_how_long_a_shared_cache_may_keep_a_page_is_a_setting(client, settings):
    settings.FRONT_CACHE_SECONDS = 15
    assert cache_control(client.get("/")) == "max-age=0, s-maxage=15"
    settings.FRONT_CACHE_SECONDS = 0
    assert "s-maxage" not in cache_control(client.get("/"))


@pytest.mark.parametrize("path", ["/training/request/", "/report/", "/newsletters/subscribe/"])
def test_form_pages_are_never_shared(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "s-maxage" not in cache_control(response)
    assert "private" in cache_control(response)


def test_search_results_are_never_shared(client):
    response = client.get("/search/", {"q": "grooming"})
    assert "s-maxage" not in cache_control(response)
    assert "private" in cache_control(response)


def test_pages_for_signed_in_staff_and_the_admin_are_never_shared(client, editor_client):
    assert "s-maxage" not in cache_control(editor_client.get("/"))
    assert "s-maxage" not in cache_control(editor_client.get("/admin/"))
    assert "s-maxage" not in cache_control(client.get("/admin/login/"))


def test_a_visitor_with_a_message_waiting_is_not_sent_a_shared_page(client):
    client.cookies["messages"] = "anything"
    assert "s-maxage" not in cache_control(client.get("/"))


def test_error_pages_and_health_checks_are_never_shared(client):
    assert "s-maxage" not in cache_control(client.get("/no-such-page/"))
    assert "s-maxage" not in cache_control(client.get("/healthz"))
    assert "s-maxage" not in cache_control(client.get("/readyz"))


# --- Purges ---------------------------------------------------------------------------------


def test_saving_public_content_queues_one_purge(
    front_cache_purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_workshop(title="A new workshop")
    assert front_cache_purges.waiting() == 1


def test_changing_a_page_s_opening_words_or_a_checked_translation_queues_a_purge(
    front_cache_purges, django_capture_on_commit_callbacks
):
    # Made outside the admin too: a shell, a data migration or loaddata.
    introduction = PageIntroduction.objects.get(page="home")
    with django_capture_on_commit_callbacks(execute=True):
        introduction.text_en_gb = "New opening words."
        introduction.save()
    assert front_cache_purges.waiting() == 1
    front_cache_purges.done()
    with django_capture_on_commit_callbacks(execute=True):
        TranslationCheck.objects.create(page="home", language="ar", checked_by="A reader")
    assert front_cache_purges.waiting() == 1


def test_a_form_s_reference_or_rate_limit_count_purges_nothing(
    front_cache_purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ReferenceCounter.objects.next_number("purge-test", 2026)
        RecentSubmission.objects.create(scope="purge-test", client="0" * 64)
    assert front_cache_purges.waiting() == 0


def test_nothing_is_queued_without_a_front_cache(
    front_cache_purges, settings, django_capture_on_commit_callbacks
):
    settings.FRONT_CACHE_URLS = []
    with django_capture_on_commit_callbacks(execute=True):
        make_workshop()
    assert front_cache_purges.waiting() == 0


def test_a_training_request_purges_nothing(
    client, front_cache_purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:request"), request_form_data())
    assert response.status_code == 302
    assert front_cache_purges.waiting() == 0


def test_an_issue_saved_with_its_sections_queues_one_purge(
    front_cache_purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        issue = make_issue(title="Saved with its sections, as the admin does")
        make_section(issue)
        make_section(issue)
    assert front_cache_purges.waiting() == 1


def test_any_successful_post_by_staff_in_the_admin_purges(
    admin_client, front_cache_purges, django_capture_on_commit_callbacks
):
    # Bulk actions (queryset.update()) send no model signals.
    issue = make_issue()
    front_cache_purges.done()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:newsletters_issue_changelist"),
            {"action": "delete_selected", "_selected_action": [issue.pk]},
        )
    assert response.status_code == 200  # the confirmation page: nothing deleted yet
    assert front_cache_purges.waiting() == 1


def test_a_failed_sign_in_purges_nothing(
    client, front_cache_purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    assert front_cache_purges.waiting() == 0


class BanRecorder(BaseHTTPRequestHandler):
    received = []

    def do_BAN(self):  # noqa: N802 - the method name is the HTTP method's
        self.received.append((self.command, self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish_stand_in():
    BanRecorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), BanRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", BanRecorder.received
    server.shutdown()
    server.server_close()


def test_the_purge_sends_each_front_cache_a_ban_and_retries_one_that_did_not_answer(
    varnish_stand_in, settings, front_cache_purges
):
    url, received = varnish_stand_in
    unreachable = "http://127.0.0.1:9/"
    settings.FRONT_CACHE_URLS = [url, unreachable]
    started = timezone.now()

    frontcache.purge_front_caches.call()

    assert received == [("BAN", "/")]
    [retry] = front_cache_purges.tasks.filter(status=TaskResultStatus.READY)
    assert retry.args_kwargs["args"] == [[unreachable], 2]
    assert started + timedelta(seconds=1) < retry.run_after < started + timedelta(seconds=10)


def test_a_purge_that_keeps_failing_is_given_up_after_a_few_tries(
    settings, front_cache_purges, caplog
):
    settings.FRONT_CACHE_URLS = ["http://127.0.0.1:9/"]
    frontcache.purge_front_caches.call(["http://127.0.0.1:9/"], frontcache.PURGE_ATTEMPTS)
    assert front_cache_purges.waiting() == 0
    assert "Could not purge http://127.0.0.1:9/ after 5 attempts" in caplog.text
