"""The newsletter sign-up and the pages of a subscriber's links, in a real browser: the whole
journey with the keyboard alone, and every state accessible (axe, WCAG 2.2 A and AA) and without
sideways scrolling at 320 px."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from newsletters.models import FormerSubscriber, Subscriber
from outbox.models import OutboundEmail
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_request_form_a11y import tab_to
from tests.newsletters.test_subscribe import make_subscriber
from tests.newsletters.test_subscriber_links import (
    altered,
    confirm_path,
    preferences_path,
    signed_days_ago,
    unsubscribe_path,
)

# Transactional: what a test saves (the subscribers whose links it opens) is committed, so the live
# server sees it on PostgreSQL too, where it has a connection of its own.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ADDRESS = "sam.patel@example.org"
# Long enough to overflow a 320 px screen unless the page lets it break.
LONG = "{}.with.a.very.long.address.for.a.shared.inbox@community-association.example.org"


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def heading(page):
    return page.get_by_role("heading", level=1)


def emailed_link(kind):
    """The path of the site's link in the last email of this kind, as the worker would send it."""
    email = OutboundEmail.objects.filter(kind=kind).latest("pk")
    [url] = re.findall(r"https?://\S+/newsletters/\S+/", email.text)
    return urlsplit(url).path


def test_sign_up_confirm_change_preferences_and_leave_with_the_keyboard_alone(page, loaded_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(loaded_site.url + "/")
    tab_to(page, r"^a : Get the newsletter by email", limit=120)
    page.keyboard.press("Enter")
    page.wait_for_url(loaded_site.url + "/newsletters/subscribe/")
    expect(heading(page)).to_have_text("Get the newsletter by email")

    tab_to(page, r"^input email: Email address")
    page.keyboard.type(ADDRESS)
    tab_to(page, r"^input checkbox: Training and events")
    page.keyboard.press("Space")
    expect(page.get_by_label("Training and events")).to_be_checked()
    tab_to(page, r"^button submit: Subscribe")
    page.keyboard.press("Enter")

    page.wait_for_url(loaded_site.url + "/newsletters/subscribe/check-your-email/")
    expect(heading(page)).to_have_text("Check your email")
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == (ADDRESS, Subscriber.Status.PENDING)
    assert subscriber.training_and_events and not subscriber.funding

    page.goto(loaded_site.url + emailed_link(Subscriber.EmailKind.CONFIRM))
    expect(heading(page)).to_have_text("Confirm your subscription")
    tab_to(page, r"^button submit: Confirm subscription")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("You are subscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED

    tab_to(page, r"^a : Change what you hear about")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Your newsletter preferences")
    tab_to(page, r"^input checkbox: Funding schemes")
    page.keyboard.press("Space")
    tab_to(page, r"^button submit: Save preferences")
    page.keyboard.press("Enter")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Your preferences have been saved")
    # GOV.UK Frontend moves focus to a success banner with role="alert", so it is announced.
    expect(banner).to_be_focused()
    subscriber.refresh_from_db()
    assert subscriber.training_and_events and subscriber.funding

    tab_to(page, r"^a : Unsubscribe from the newsletter")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Unsubscribe from the newsletter")
    tab_to(page, r"^button submit: Unsubscribe")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("You have unsubscribed")
    assert not Subscriber.objects.exists()
    assert FormerSubscriber.includes(ADDRESS)


def sign_up_states(page, base_url):
    """Show each state of the sign-up page in turn, yielding its name when it is shown."""
    page.goto(base_url + "/newsletters/subscribe/")
    expect(heading(page)).to_have_text("Get the newsletter by email")
    yield "sign-up"
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: Get the newsletter by email")
    expect(page.get_by_label("Email address")).to_have_value("not an address")
    yield "sign-up with errors"
    page.get_by_label("Email address").fill(ADDRESS)
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(base_url + "/newsletters/subscribe/check-your-email/")
    expect(heading(page)).to_have_text("Check your email")
    yield "check your email"


def link_states(page, base_url):
    """Show each page a subscriber's link can show, yielding its name when it is shown."""
    pending = make_subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    confirmed = make_subscriber(LONG.format("confirmed"), training_and_events=True)
    leaving = make_subscriber(LONG.format("leaving"))
    visits = [
        ("confirm", confirm_path(pending), "Confirm your subscription"),
        ("expired", signed_days_ago(8, confirm_path, pending), "This link has expired"),
        ("bad link", altered(confirm_path(pending)), "This link does not work"),
        ("already confirmed", confirm_path(confirmed), "You have already confirmed"),
    ]
    for name, path, title in visits:
        page.goto(base_url + path)
        expect(heading(page)).to_contain_text(title)
        yield name
    page.goto(base_url + confirm_path(pending))
    page.get_by_role("button", name="Confirm subscription").click()
    expect(heading(page)).to_have_text("You are subscribed")
    yield "confirmed"
    page.goto(base_url + preferences_path(confirmed))
    expect(page.get_by_label("Training and events")).to_be_checked()
    yield "preferences"
    page.get_by_label("Funding schemes").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    yield "preferences saved"
    page.goto(base_url + unsubscribe_path(leaving))
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()
    yield "unsubscribe"
    page.get_by_role("button", name="Unsubscribe").click()
    expect(heading(page)).to_have_text("You have unsubscribed")
    yield "unsubscribed"


@pytest.mark.parametrize("width", [320, 1280])
def test_every_state_has_no_wcag_a_or_aa_violations_and_no_sideways_scrolling(
    page, loaded_site, width
):
    page.set_viewport_size({"width": width, "height": 900})
    reports, too_wide, seen = {}, [], []
    for states in (sign_up_states, link_states):
        for name in states(page, loaded_site.url):
            seen.append(name)
            if report := axe_violations(page):
                reports[name] = report
            if not fits(page, width):
                too_wide.append(name)
    assert len(seen) == 12
    assert not reports, "\n\n".join(f"{name}\n{report}" for name, report in reports.items())
    assert too_wide == []
