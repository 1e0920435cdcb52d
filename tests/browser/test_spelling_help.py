"""The search's help for what people type, in a real browser: "Did you mean …?" and the notice
that results have only some of the words, followed with the keyboard; and the synonyms' admin,
checked with axe.

Named to run after test_security_policy.py (whose serialized rollback needs the database the
test before it left empty) and before test_subscription_pages.py, which empties it again: the
site these tests load stays in the database after them."""

import pytest
from django.urls import reverse

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
def test_the_synonyms_admin_has_no_wcag_a_or_aa_violations(page, live_server, admin_user, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url)
    reports = {}
    for name in ["admin:search_synonym_changelist", "admin:search_synonym_add"]:
        page.goto(live_server.url + reverse(name))
        if report := axe_violations(page):
            reports[name] = report
    page.goto(live_server.url + reverse("admin:search_synonym_add"))
    page.get_by_label("Term").fill("Cutting")
    page.get_by_label("Alternatives").fill("female genital mutilation")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(live_server.url + reverse("admin:search_synonym_changelist"))
    assert page.get_by_role("link", name="cutting", exact=True).is_visible()
    assert not reports, "\n\n".join(f"{name}\n{report}" for name, report in reports.items())
