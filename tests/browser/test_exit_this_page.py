"""Exit this page on the sensitive pages: a click, the keyboard, or Shift three times takes the
reader to a neutral page, and Back does not return to the page they left."""

import pytest

from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

NEUTRAL = "https://www.bbc.co.uk/weather"
SIZES = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 900}}
SENSITIVE = ["/worried-about-someone/", "/report/", "/staying-safe-online/"]


@pytest.fixture
def exit_page(page, loaded_site):
    """Serve the neutral page locally, open the home page and then a sensitive page from it."""
    page.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(
            body="<!DOCTYPE html><title>Weather</title><p>Sunny</p>", content_type="text/html"
        ),
    )

    def open_page(path, size):
        page.set_viewport_size(SIZES[size])
        page.goto(loaded_site.url + "/")
        page.goto(loaded_site.url + path)
        return page

    return open_page


def left_for_the_neutral_page(page, loaded_site):
    page.wait_for_url(NEUTRAL)
    assert page.title() == "Weather"
    page.go_back()
    assert page.url == loaded_site.url + "/", "Back returned to the sensitive page"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", SENSITIVE)
def test_the_button_leaves_the_page_and_its_history_entry(exit_page, loaded_site, path, size):
    page = exit_page(path, size)
    assert not axe_violations(page)
    button = page.get_by_role("button", name="Emergency Exit this page")
    assert button.is_visible()
    button.click()
    left_for_the_neutral_page(page, loaded_site)


@pytest.mark.parametrize("size", SIZES)
def test_the_keyboard_reaches_the_button_before_the_page_content_and_enter_leaves(
    exit_page, loaded_site, size
):
    page = exit_page("/worried-about-someone/", size)
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('main') ? 'main' : 'outside'")
        if focused == "main":
            break
    assert "Exit this page" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    left_for_the_neutral_page(page, loaded_site)


@pytest.mark.parametrize("size", SIZES)
def test_pressing_shift_three_times_leaves(exit_page, loaded_site, size):
    page = exit_page("/report/", size)
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert page.url == loaded_site.url + "/report/"
    assert "press 1 more time to exit" in page.locator(".govuk-exit-this-page").inner_text()
    page.keyboard.press("Shift")
    left_for_the_neutral_page(page, loaded_site)


@pytest.mark.parametrize("size", SIZES)
def test_without_javascript_the_button_is_a_plain_link(browser, loaded_site, size):
    context = browser.new_context(java_script_enabled=False, viewport=SIZES[size])
    page = context.new_page()
    page.route(NEUTRAL + "**", lambda route: route.fulfill(body="Weather"))
    page.goto(loaded_site.url + "/worried-about-someone/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(NEUTRAL)
    context.close()
