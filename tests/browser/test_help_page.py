"""On a phone, the "Worried about someone?" page puts the number to call and what happens next
on the first screen, and every phone number is big enough to tap."""

import pytest

# django_db: the test database must exist for loaded_site; each test itself writes nothing.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 375, "height": 667}
# WCAG 2.5.5 (AAA) and the height of a GOV.UK button.
SMALLEST_TARGET = 44


def test_the_act_early_number_and_what_happens_next_are_on_the_first_screen(page, loaded_site):
    page.set_viewport_size(PHONE)
    page.goto(loaded_site.url + "/worried-about-someone/")
    call = page.get_by_role("link", name="0800 011 3764").first
    next_step = page.get_by_role("link", name="What happens after you share a concern")
    for link in (call, next_step):
        box = link.bounding_box()
        assert link.is_visible() and box["y"] >= 0, link
        assert box["y"] + box["height"] <= PHONE["height"], link
        assert box["x"] + box["width"] <= PHONE["width"], link
    assert call.get_attribute("href") == "tel:08000113764"

    next_step.click()
    page.wait_for_url("**/worried-about-someone/#what-happens-next")
    heading = page.get_by_role("heading", name="What happens after you share a concern")
    assert heading.get_attribute("id") == "what-happens-next"
    assert 0 <= heading.bounding_box()["y"] < PHONE["height"]


@pytest.mark.parametrize("path", ["/worried-about-someone/", "/report/", "/"])
def test_phone_numbers_are_at_least_44_pixels_tall(page, loaded_site, path):
    page.set_viewport_size(PHONE)
    page.goto(loaded_site.url + path)
    calls = page.locator('a[href^="tel:"]')
    heights = {
        calls.nth(i).get_attribute("href"): calls.nth(i).bounding_box()["height"]
        for i in range(calls.count())
    }
    assert "tel:999" in heights  # in the footer of every page
    assert min(heights.values()) >= SMALLEST_TARGET, heights
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
