"""The search's help for what people type, in a real browser: "Did you mean …?" and the notice
that results have only some of the words, followed with the keyboard; and the admin's Searches
page, with its "Add a synonym" links, and the synonyms' admin, checked with axe.

Named to run after test_security_policy.py (whose serialized rollback needs the database the
test before it left empty) and before test_subscription_pages.py, which empties it again: the
site these tests load stays in the database after them."""

import pytest
from django.urls import reverse

from search.models import SearchLog
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_admin_lists import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_did_you_mean_is_read_first_and_followed_with_the_keyboard(page, loaded_site):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(loaded_site.url + "/search/?q=grroming")
    suggestion = page.locator(".app-search-suggestion")
    assert suggestion.inner_text() == "Did you mean grooming?"
    assert suggestion.is_visible()
    suggestion.get_by_role("link", name="grooming").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(loaded_site.url + "/search/?q=grooming")
    first = page.locator(".app-search-result").first.get_by_role("link")
    assert first.inner_text() == "Online Grooming for Parents & Carers"


def test_the_partial_match_notice_comes_before_the_results(page, loaded_site):
    page.goto(loaded_site.url + "/search/?q=grooming+xylophone")
    notice = page.locator(".app-search-partial")
    assert notice.inner_text() == (
        "No results contain all of your words. Showing results for some of them."
    )
    box = notice.bounding_box()
    assert box["y"] < page.locator(".app-search-result").first.bounding_box()["y"]


@pytest.mark.parametrize("width", [320, 1280])
def test_the_searches_page_and_the_synonyms_admin_have_no_wcag_a_or_aa_violations(
    page, live_server, admin_user, width
):
    page.set_viewport_size({"width": width, "height": 900})
    SearchLog.objects.create(term="cutting", results=0)
    SearchLog.objects.create(term="prevent", results=12)
    sign_in(page, live_server.url)
    searches = live_server.url + reverse("admin:search_searchlog_changelist")
    reports = {}
    for url in [
        searches,
        live_server.url + reverse("admin:search_synonym_changelist"),
        live_server.url + reverse("admin:search_synonym_add"),
    ]:
        page.goto(url)
        if report := axe_violations(page):
            reports[url] = report
    # As the team would: from the search that found nothing, on the Searches page.
    page.goto(searches)
    page.get_by_role("link", name="Add a synonym for “cutting”").click()
    assert page.get_by_label("Term").input_value() == "cutting"
    page.get_by_label("Alternatives").fill("female genital mutilation")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(live_server.url + reverse("admin:search_synonym_changelist"))
    assert page.get_by_role("link", name="cutting", exact=True).is_visible()
    assert not reports, "\n\n".join(f"{url}\n{report}" for url, report in reports.items())
