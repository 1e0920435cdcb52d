"""The header's search box works with the keyboard alone, with or without JavaScript, and the
search page fits a phone."""

import pytest

# django_db: the test database must exist for loaded_site; each test itself writes nothing that
# matters to the next (a logged search).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def focused_id(page):
    return page.evaluate("document.activeElement.id")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_header_search_box_works_with_the_keyboard_alone(browser, loaded_site, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(loaded_site.url + "/training/")
    # After the skip link and the council's name, the third stop is the search box.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert focused_id(page) == "site-search"
    page.keyboard.type("Kiran")
    page.keyboard.press("Enter")
    page.wait_for_url(loaded_site.url + "/search/?q=Kiran")
    assert page.get_by_role("heading", level=2).first.inner_text() == "1 result for ‘Kiran’"
    first = page.locator(".app-search-result").first.get_by_role("link")
    assert first.inner_text() == "Kiran Malik"
    # On to the result with the keyboard too.
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(loaded_site.url + "/team/#kiran-malik")
    context.close()


def test_the_search_button_can_be_pressed_with_the_keyboard(page, loaded_site):
    page.goto(loaded_site.url + "/")
    page.locator("#site-search").fill("grooming")
    page.locator("#site-search").press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Search"
    page.keyboard.press("Space")
    page.wait_for_url(loaded_site.url + "/search/?q=grooming")


def test_the_header_search_box_is_named_by_the_word_its_button_shows(page, loaded_site):
    """Voice control users say the visible word: "click Search" must find the box and button."""
    page.goto(loaded_site.url + "/training/")
    header = page.locator("header")
    box = header.get_by_role("searchbox", name="Search", exact=True)
    button = header.get_by_role("button", name="Search", exact=True)
    assert box.get_attribute("id") == "site-search"
    assert button.is_visible() and button.inner_text() == "Search"
    # Every word of the box's name is on the screen.
    assert header.locator(".govuk-visually-hidden").count() == 0


@pytest.mark.parametrize("path", ["/search/", "/search/?q=prevent"])
def test_the_search_page_shows_one_search_box(page, loaded_site, path):
    page.goto(loaded_site.url + path)
    boxes = page.get_by_role("searchbox")
    assert boxes.count() == 1
    assert boxes.get_attribute("id") == "search-q"
    assert page.get_by_role("searchbox", name="Search", exact=True).is_visible()


@pytest.mark.parametrize("width", [320, 375])
def test_the_header_and_search_pages_fit_a_phone(page, loaded_site, width):
    page.set_viewport_size({"width": width, "height": 640})
    for path in ["/", "/search/?q=prevent", "/search/?q=prevent&kind=event", "/search/?q=x"]:
        page.goto(loaded_site.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        box = page.locator(".app-search__input").bounding_box()
        button = page.locator(".app-search__button").bounding_box()
        assert box["width"] >= 150 and button["x"] + button["width"] <= width, path
