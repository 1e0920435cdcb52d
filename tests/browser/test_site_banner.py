"""The team's banner in a real browser, on a phone and at 1280 px: raised, on the kinds of page
chosen, gone once it ends, and hidden for good by a visitor who hides it (without a cookie)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Banner, PageKind, Severity
from tests import factories
from tests.browser.test_accessibility import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 900}}
TITLE = "Incident in Westminster"


def raise_banner(**fields):
    return Banner.objects.create(
        **{
            "title": TITLE,
            "message": '<p>Read <a href="https://example.org/news">the latest news</a>.</p>',
            "is_live": True,
            **fields,
        }
    )


@pytest.fixture
def issue_url():
    issue = factories.make_issue()
    factories.make_section(issue)
    return issue.get_absolute_url()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("severity", [Severity.EMERGENCY, Severity.NOTICE])
def test_a_raised_banner_is_on_the_home_page_and_an_issue(
    page, live_server, issue_url, size, severity
):
    raise_banner(severity=severity)
    page.set_viewport_size(SIZES[size])
    for path in ("/", issue_url):
        page.goto(live_server.url + path)
        region = page.get_by_role("region", name=severity.label)
        assert region.is_visible()
        assert TITLE in region.inner_text()
        assert region.get_by_role("link", name="the latest news").is_visible()
        box = region.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size]["width"]
        assert not axe_violations(page), path


@pytest.mark.parametrize("size", SIZES)
def test_a_banner_for_chosen_pages_is_only_on_those(page, live_server, issue_url, size):
    raise_banner(page_kinds=[PageKind.NEWSLETTERS])
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + issue_url)
    assert page.get_by_text(TITLE).is_visible()
    assert not axe_violations(page)
    page.goto(live_server.url + "/")
    assert page.get_by_text(TITLE).count() == 0


@pytest.mark.parametrize("size", SIZES)
def test_an_ended_banner_is_gone(page, live_server, size):
    banner = raise_banner(ends_at=timezone.now() + timedelta(hours=1))
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/")
    assert page.get_by_text(TITLE).is_visible()
    # Its end comes: set in the database rather than waited for, so a slow page load cannot
    # make the banner end before it was first seen.
    Banner.objects.filter(pk=banner.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    page.goto(live_server.url + "/")
    assert page.get_by_text(TITLE).count() == 0
    assert not axe_violations(page)


@pytest.mark.parametrize("size", SIZES)
def test_a_hidden_banner_stays_hidden_without_a_cookie(page, live_server, size):
    raise_banner(severity=Severity.IMPORTANT, dismissible=True)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/")
    hide = page.get_by_role("button", name="Hide this message")
    assert not axe_violations(page)
    hide.click()
    assert page.get_by_text(TITLE).is_hidden()
    assert page.evaluate("document.activeElement.id") == "main-content"
    assert not axe_violations(page)
    page.goto(live_server.url + "/training/")
    assert page.get_by_text(TITLE).is_hidden()
    assert page.context.cookies() == []
    assert "hidden-banners" in page.evaluate("Object.keys(window.localStorage)")


def test_an_emergency_banner_cannot_be_hidden(page, live_server):
    raise_banner(severity=Severity.EMERGENCY)
    page.goto(live_server.url + "/")
    assert page.get_by_text(TITLE).is_visible()
    assert page.get_by_role("button", name="Hide this message").count() == 0


@pytest.mark.parametrize(
    "path", ["/worried-about-someone/", "/ar/worried-about-someone/", "/bn/worried-about-someone/"]
)
def test_with_an_emergency_banner_the_number_to_call_is_still_on_a_phone_s_first_screen(
    page, live_server, path
):
    # The banner comes above the page's heading: the ACT Early number and the way to "What
    # happens next" must still be on the first screen of a phone (issue 20), in every language.
    raise_banner(
        severity=Severity.EMERGENCY,
        title="Serious incident in Westminster: police are at the scene near Edgware Road",
        message="<p>If you are worried about someone after today's incident, call the ACT "
        'Early Support Line or <a href="https://example.org/news">read the latest news</a>.</p>',
    )
    factories.make_help_route(
        name="ACT Early Support Line",
        description="Police specialists who give advice when you are worried about someone "
        "being drawn into extremism, every day, all day.",
        phone="0800 011 3764",
        hours="Every day, 24 hours",
    )
    phone = SIZES["phone"]
    page.set_viewport_size(phone)
    page.goto(live_server.url + path)
    assert page.locator(".app-notification-banner--emergency").is_visible()
    call = page.locator('a[href="tel:08000113764"]').first
    next_step = page.locator('a[href="#what-happens-next"]').first
    for link in (call, next_step):
        box = link.bounding_box()
        assert link.is_visible() and box["y"] >= 0, (path, link)
        assert box["y"] + box["height"] <= phone["height"], (path, link, box)
