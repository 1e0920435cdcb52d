"""The log of searches: the words and how many results, nothing about who; what the admin's
"Searches" page shows and to whom; deleted after 90 days."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from search.models import SearchLog
from tests.factories import make_workshop

pytestmark = pytest.mark.django_db

SUMMARY = "/admin/search/searchlog/"


def log(term, results=0, days_ago=0, times=1):
    for _ in range(times):
        SearchLog.objects.create(
            term=term, results=results, created_at=timezone.now() - timedelta(days=days_ago)
        )


def table(html, heading):
    """The rows of the table after ``heading`` on the summary page, as lists of cell texts."""
    part = html.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", part, re.DOTALL)[1:]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in rows]


# --- What is logged -------------------------------------------------------------------------------


def test_a_search_is_logged_with_its_words_and_number_of_results_and_nothing_else(client):
    make_workshop(title="Online grooming")
    make_workshop(title="Grooming awareness")
    client.get(
        "/search/",
        {"q": "  Grooming  "},
        headers={"User-Agent": "Test browser", "Referer": "https://example.org/"},
        REMOTE_ADDR="198.51.100.7",
    )
    entry = SearchLog.objects.get()
    assert (entry.term, entry.results) == ("grooming", 2)
    assert abs(entry.created_at - timezone.now()) < timedelta(minutes=1)
    # No address, cookie, session, browser or user: the table has nowhere to put one.
    assert {field.name for field in SearchLog._meta.get_fields()} == {
        "id",
        "term",
        "results",
        "created_at",
    }


def test_a_search_that_finds_nothing_is_logged_with_none(client):
    client.get("/search/", {"q": "xylophone"})
    assert list(SearchLog.objects.values_list("term", "results")) == [("xylophone", 0)]


def test_a_search_is_logged_once_not_for_each_page_or_filter_of_its_results(client):
    for n in range(25):
        make_workshop(title=f"Extremism workshop {n}")
    client.get("/search/", {"q": "extremism"})
    client.get("/search/", {"q": "extremism", "page": "2"})
    client.get("/search/", {"q": "extremism", "kind": "workshop"})
    client.get("/search/", {"q": "extremism", "kind": "workshop", "page": "3"})
    assert list(SearchLog.objects.values_list("term", "results")) == [("extremism", 25)]


def test_opening_the_search_page_without_words_logs_nothing(client):
    client.get("/search/")
    client.get("/search/", {"q": "  "})
    assert not SearchLog.objects.exists()


# --- The admin's "Searches" page ----------------------------------------------------------------


def test_content_editors_see_the_most_frequent_searches_of_the_last_30_days(editor_client):
    log("wrap", results=1, times=3)
    log("grooming", results=2)
    log("grooming", results=1)
    log("grooming", results=0)
    log("old search", results=5, days_ago=31, times=10)
    response = editor_client.get(SUMMARY)
    assert response.status_code == 200
    html = response.content.decode()
    assert table(html, "Most frequent searches") == [
        ["grooming", "3", "1.0"],
        ["wrap", "3", "1.0"],
    ]
    assert "last 30 days: 6 searches" in html
    assert "old search" not in html


def test_the_searches_that_found_nothing_have_their_own_table(editor_client):
    log("xylophone", times=2)
    log("zanzibar")
    log("grooming", results=3)
    log("ancient", days_ago=40)
    html = editor_client.get(SUMMARY).content.decode()
    rows = table(html, "Searches that found nothing")
    assert [row[:2] for row in rows] == [["xylophone", "2"], ["zanzibar", "1"]]


def test_logged_terms_are_shown_as_text(editor_client):
    log("<script>alert(1)</script>")
    html = editor_client.get(SUMMARY).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_summary_says_so_when_nobody_has_searched(editor_client):
    html = editor_client.get(SUMMARY).content.decode()
    assert "Nobody has searched in the last 30 days." in html
    assert "Every search in the last 30 days found something." in html


def test_the_summary_is_linked_from_the_admin_index_as_searches(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{SUMMARY}"' in html and ">Searches</a>" in html


def test_the_log_is_read_only_even_for_superusers(admin_client):
    log("wrap")
    entry = SearchLog.objects.get()
    assert admin_client.get(SUMMARY).status_code == 200
    for path in [f"{SUMMARY}add/", f"{SUMMARY}{entry.pk}/change/", f"{SUMMARY}{entry.pk}/delete/"]:
        assert admin_client.get(path).status_code == 404, path
    admin_client.post(SUMMARY, {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert SearchLog.objects.filter(pk=entry.pk).exists()


def test_staff_without_the_permission_cannot_see_searches(django_user_model):
    browser = Client()
    browser.force_login(django_user_model.objects.create_user("new", is_staff=True))
    assert browser.get(SUMMARY).status_code == 403


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(SUMMARY)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Kept for 90 days -----------------------------------------------------------------------------


def test_the_privacy_notice_says_searches_are_kept_90_days_without_who_made_them(client):
    html = client.get(reverse("privacy")).content.decode()
    assert "We keep the words you search for on this site for 90 days" in html
    assert "nothing that could identify you" in html


def test_logging_a_search_purges_no_front_cache(
    client, front_cache_purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/search/", {"q": "grooming"})
    assert SearchLog.objects.exists()
    assert front_cache_purges.waiting() == 0
