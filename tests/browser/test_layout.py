"""Pages fit a 320 px wide screen, work without JavaScript, and print without the site's chrome."""

import pytest

# django_db: the test database must exist for loaded_site; each test itself writes nothing.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

NARROW = {"width": 320, "height": 640}


def overflowing_pages(page, base_url, paths):
    widths = {}
    for path in paths:
        page.goto(base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            widths[path] = width
    return widths


def test_no_page_scrolls_sideways_at_320px(page, loaded_site, public_pages):
    page.set_viewport_size(NARROW)
    assert overflowing_pages(page, loaded_site.url, public_pages) == {}


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_no_page_scrolls_sideways_at_320px_without_javascript(page, loaded_site, public_pages):
    # Without JavaScript the menu is not collapsed behind a button, so it takes more room.
    page.set_viewport_size(NARROW)
    assert overflowing_pages(page, loaded_site.url, public_pages) == {}


@pytest.mark.browser_context_args(java_script_enabled=False)
@pytest.mark.parametrize("width", [320, 1280])
def test_navigation_links_are_visible_and_work_without_javascript(page, loaded_site, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(loaded_site.url + "/")
    navigation = page.get_by_role("navigation", name="Menu")
    links = navigation.get_by_role("link")
    labels = links.all_inner_texts()
    assert labels == [
        "Newsletters",
        "Training",
        "Events",
        "Funding",
        "Resources",
        "Our team",
        "Worried about someone?",
    ]
    for link in links.all():
        box = link.bounding_box()
        assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= width
    # The JavaScript-only "Menu" toggle stays hidden, so nothing hides the links.
    assert not navigation.get_by_role("button", name="Menu").is_visible()

    navigation.get_by_role("link", name="Training").click()
    page.wait_for_url(loaded_site.url + "/training/")
    assert page.get_by_role("heading", level=1).inner_text() == "Training and workshops"
    current = page.get_by_role("navigation", name="Menu").locator("[aria-current]")
    assert current.inner_text() == "Training"


def test_menu_button_shows_and_hides_the_navigation_on_a_phone(page, loaded_site):
    page.set_viewport_size(NARROW)
    page.goto(loaded_site.url + "/")
    navigation = page.get_by_role("navigation", name="Menu")
    toggle = navigation.get_by_role("button", name="Menu")
    training = navigation.get_by_role("link", name="Training")
    assert toggle.is_visible() and not training.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    training.click()
    page.wait_for_url(loaded_site.url + "/training/")


def test_printed_issue_leaves_out_navigation_and_shows_link_addresses(page, loaded_site):
    page.goto(loaded_site.url + "/newsletters/july-2023/")
    page.emulate_media(media="print")
    for hidden in [
        page.get_by_role("link", name="Skip to main content"),
        page.locator("header"),
        page.get_by_role("navigation", name="Breadcrumb"),
        page.locator("footer"),
        page.get_by_role("link", name="Back to contents").first,
    ]:
        assert not hidden.is_visible()
    assert page.get_by_role("heading", level=1).is_visible()

    prevent_duty = page.locator(
        "main a[href='https://www.gov.uk/government/publications/prevent-duty-guidance']"
    ).first
    after = prevent_duty.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://www.gov.uk/government/publications/prevent-duty-guidance" in after
    # Links within the page or to email addresses are not followed on paper: no address added.
    contents_link = page.locator("main a[href^='#']").first
    after = contents_link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after in ("none", "normal")
    assert page.pdf()[:4] == b"%PDF"


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("width", [320, 1280])
def test_pages_do_not_jump_when_the_menu_javascript_starts(page, loaded_site, width):
    page.set_viewport_size({"width": width, "height": 800})
    for path in ["/", "/newsletters/july-2023/"]:
        page.goto(loaded_site.url + path)
        assert page.evaluate(LAYOUT_SHIFT) == 0, path


def test_menu_still_appears_on_a_phone_if_its_javascript_fails_to_load(page, loaded_site):
    page.route("**/govuk-frontend.min.js", lambda route: route.abort())
    page.set_viewport_size(NARROW)
    page.goto(loaded_site.url + "/")
    training = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Training")
    training.wait_for(state="visible", timeout=5000)
    training.click()
    page.wait_for_url(loaded_site.url + "/training/")
