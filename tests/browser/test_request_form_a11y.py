"""The training request form is accessible when it shows errors, and works with a keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import axe_violations

# django_db: the test database must exist for loaded_site. On SQLite the live server shares the
# test's transaction, so a request sent here is rolled back after the test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WORKSHOP = "/training/workshop-to-raise-awareness-of-prevent/"


@pytest.mark.parametrize("width", [320, 1280])
def test_form_with_errors_has_no_wcag_a_or_aa_violations(page, loaded_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(loaded_site.url + "/training/request/")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    # GOV.UK Frontend moves focus to the summary, so screen readers announce it first.
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: Request training")
    assert axe_violations(page) == ""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def focused(page):
    """What a screen reader would announce for the focused element: its role and name."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const label = el.labels && el.labels[0] ? el.labels[0].innerText
            : el.tagName === "INPUT" ? el.value : el.innerText;
          const name = (label || "").trim().split("\\n")[0].slice(0, 60);
          return `${el.tagName.toLowerCase()} ${el.type || ""}: ${name}`;
        }"""
    )


def tab_to(page, pattern, limit=80):
    """Press Tab until the focused element matches pattern (see focused()), or fail."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if re.search(pattern, seen[-1]):
            return
    pytest.fail(f"Tab never reached {pattern!r}; it went through {seen}")


def test_whole_request_journey_with_the_keyboard_alone(page, loaded_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(loaded_site.url + WORKSHOP)

    tab_to(page, r"^a .*Request this workshop")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/training/request/\?workshop="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Request training")
    expect(page.get_by_label("Workshop to Raise Awareness of Prevent (WRAP)")).to_be_checked()

    # The workshop chosen on the workshop page is already selected: Tab goes on from it.
    tab_to(page, r"^input text: Organisation name")
    page.keyboard.type("Westminster Academy")
    tab_to(page, r"^input radio: School")
    page.keyboard.press("ArrowDown")  # Further education: arrow keys move within the group
    expect(page.get_by_label("Further education")).to_be_checked()

    tab_to(page, r"^input text: Full name")
    page.keyboard.type("Sam Patel")
    tab_to(page, r"^input email: Email address")
    page.keyboard.type("sam.patel@example.org")
    tab_to(page, r"^textarea .*: Who is the training for")
    page.keyboard.type("Teaching staff")
    tab_to(page, r"^input text: Approximate number of participants")
    page.keyboard.type("25")
    tab_to(page, r"^input radio: Online")
    page.keyboard.press("Space")
    expect(page.get_by_label("Online", exact=True)).to_be_checked()

    tab_to(page, r"^input checkbox: I have read the privacy notice")
    page.keyboard.press("Space")
    tab_to(page, r"^button submit: Send request")
    page.keyboard.press("Enter")

    page.wait_for_url(loaded_site.url + "/training/request/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    expect(page.locator(".govuk-panel__body")).to_contain_text(re.compile(r"WRAP-\d{4}-\d{4}"))
    expect(page.get_by_text("sam.patel@example.org")).to_be_visible()
    assert axe_violations(page) == ""
