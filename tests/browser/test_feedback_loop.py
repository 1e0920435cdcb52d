"""The training loop in a real browser: a coordinator schedules a request and records it
delivered to 20 people; an attendee gives feedback on a phone from the QR code's address; the
quote, once approved, is on the workshop's page, and the impact page's figures have moved. The
feedback form and the impact page have no WCAG A or AA violations, and the form can be filled
in with the keyboard alone.

Named to run after test_editor_journey.py and before test_mailing_admin.py: its serialized
rollback needs the database that the test before it left empty, which a serialized test's flush
does and the plain transactional tests' (test_newsletter_journey.py,
test_subscription_pages.py) do not: they make the content types again."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from impact import periods
from tests import factories
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_editor_journey import sign_in
from training.models import Feedback, TrainingRequest

# serialized_rollback: the flush after a live-server test would otherwise also remove the
# groups that migrations made, which later tests rely on.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


def headline(page, label):
    return page.locator(".app-impact-headline div", has_text=label).locator("dd").inner_text()


def test_a_request_is_delivered_its_feedback_given_and_its_quote_published(
    page, browser, live_server, coordinator, settings
):
    settings.SITE_URL = live_server.url
    workshop = factories.make_workshop(
        title="Workshop to Raise Awareness of Prevent", short_name="WRAP", slug="wrap"
    )
    training_request = factories.make_training_request(
        reference="WRAP-2026-0042", workshop=workshop, organisation="Queen's Park Academy"
    )
    start = timezone.localtime() - datetime.timedelta(hours=3)
    end = start + datetime.timedelta(hours=2)
    period = periods.containing(start.date())
    impact_url = live_server.url + reverse("impact:impact") + f"?period={period.key}"

    sign_in(page, live_server.url, coordinator)
    page.goto(impact_url)
    people_before = int(headline(page, "People trained"))
    sessions_before = int(headline(page, "Sessions delivered"))

    # Scheduled: the session's form opens, filled in from the request.
    page.goto(
        live_server.url
        + reverse("admin:training_trainingrequest_change", args=[training_request.pk])
    )
    page.get_by_label("Status").select_option("scheduled")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_label("Organisation")).to_have_value("Queen's Park Academy")
    page.locator("#id_starts_at_0").fill(start.strftime("%Y-%m-%d"))
    page.locator("#id_starts_at_1").fill(start.strftime("%H:%M:%S"))
    page.locator("#id_ends_at_0").fill(end.strftime("%Y-%m-%d"))
    page.locator("#id_ends_at_1").fill(end.strftime("%H:%M:%S"))
    # Delivered, to 20 people from schools.
    page.locator("#id_attendance-0-sector").select_option("school")
    page.locator("#id_attendance-0-attendees").fill("20")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    training_request.refresh_from_db()
    assert training_request.status == TrainingRequest.Status.DELIVERED

    # The request's page shows the feedback address and its QR code.
    page.goto(
        live_server.url
        + reverse("admin:training_trainingrequest_change", args=[training_request.pk])
    )
    link = page.locator(".app-feedback-panel a", has_text="/feedback/")
    address = link.get_attribute("href")
    assert re.fullmatch(re.escape(live_server.url) + r"/feedback/[A-Za-z0-9_-]{22}/", address)
    expect(page.locator(".app-feedback-panel svg[role=img] title")).to_have_text(
        f"QR code for {address}"
    )

    # An attendee, on a phone, from the QR code's address.
    phone = browser.new_page(viewport=PHONE)
    phone.goto(address)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Give feedback on WRAP")
    for statement, before, after in [
        ("Understanding what Prevent is", "2", "4"),
        ("Recognising signs", "1", "4"),
        ("Knowing how to share a concern", "2", "5"),
    ]:
        group = phone.get_by_role("group", name=re.compile(statement))
        group.get_by_role("group", name="Before the session").get_by_label(
            re.compile(f"^{before}")
        ).check()
        group.get_by_role("group", name="After the session").get_by_label(
            re.compile(f"^{after}")
        ).check()
    phone.get_by_label("What was most useful? (optional)").fill("The case studies")
    phone.get_by_label("Your quote (optional)").fill("I know who to call when I am worried.")
    phone.get_by_label(re.compile("By my role")).check()
    phone.get_by_label("Your role (optional)").fill("teacher")
    phone.get_by_label(re.compile("I agree to the Prevent team publishing")).check()
    phone.get_by_role("button", name="Send feedback").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    feedback = Feedback.objects.get()
    assert (feedback.signs_before, feedback.signs_after) == (1, 4)

    # The coordinator approves the quote; it is on the workshop's page.
    page.goto(live_server.url + reverse("admin:training_feedback_changelist"))
    page.locator(f"input[name=_selected_action][value='{feedback.pk}']").check()
    page.get_by_label("Action:").select_option("approve_quotes")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("1 quote is now on its workshop's page.")
    phone.goto(live_server.url + workshop.get_absolute_url())
    quote = phone.locator("figure.app-quote", has_text="I know who to call when I am worried.")
    expect(quote).to_contain_text("A teacher in Westminster")

    # The impact page has moved by the session, its 20 people and its response.
    page.goto(impact_url)
    assert int(headline(page, "Sessions delivered")) == sessions_before + 1
    assert int(headline(page, "People trained")) == people_before + 20
    expect(page.locator("#people-by-sector + svg")).to_be_visible()
    expect(
        page.locator("section", has_text="People trained, by sector").locator("table")
    ).to_contain_text("School")
    assert axe_violations(page) == ""


def feedback_address(live_server, session):
    return live_server.url + reverse("training:feedback", kwargs={"code": session.feedback_code})


@pytest.mark.parametrize("width", [320, 1280])
def test_the_feedback_form_in_each_state_has_no_wcag_violations(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    session = factories.make_session(factories.make_workshop(short_name="WRAP"))
    page.goto(feedback_address(live_server, session))
    assert axe_violations(page) == ""
    page.get_by_label(re.compile("I agree to the Prevent team publishing")).check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: Give feedback on WRAP")
    assert axe_violations(page) == ""
    closed = factories.make_session(
        session.workshop, starts_at=timezone.now() - datetime.timedelta(days=400)
    )
    page.goto(feedback_address(live_server, closed))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Feedback for this session has closed"
    )
    assert axe_violations(page) == ""


def tab_to(page, name, limit=60):
    """Press Tab until the field called ``name`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == name:
            return
    raise AssertionError(f"{name} cannot be reached with the Tab key")


def test_the_feedback_form_can_be_filled_in_with_the_keyboard_alone(page, live_server):
    session = factories.make_session(factories.make_workshop(short_name="WRAP"))
    page.goto(feedback_address(live_server, session))
    tab_to(page, "sector")
    page.keyboard.press("Space")  # the first sector: School
    for stem in ("prevent", "signs", "referral"):
        for moment in ("before", "after"):
            tab_to(page, f"{stem}_{moment}")
            page.keyboard.press("Space")  # 1
            page.keyboard.press("ArrowRight")  # 2
    tab_to(page, "most_useful")
    page.keyboard.type("Clear examples")
    tab_to(page, "quote")
    page.keyboard.type("Useful for every teacher.")
    tab_to(page, "naming")
    page.keyboard.press("Space")  # anonymous
    tab_to(page, "publish_consent")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send feedback"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    assert axe_violations(page) == ""
    feedback = Feedback.objects.get()
    assert feedback.sector == "school"
    assert [feedback.prevent_before, feedback.signs_after, feedback.referral_after] == [2, 2, 2]
    assert (feedback.quote, feedback.attribution) == ("Useful for every teacher.", "Anonymous")
    assert feedback.publish_consent


def test_the_impact_page_has_no_wcag_violations(page, live_server, admin_user):
    workshop = factories.make_workshop(title="WRAP")
    # This quarter's, which the page shows first (ended an hour ago).
    session = factories.make_session(
        workshop,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        attendance={"school": 12, "health": 3},
    )
    factories.make_feedback(session)
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + reverse("impact:impact"))
    expect(page.locator("svg.app-chart").first).to_be_visible()
    assert axe_violations(page) == ""
