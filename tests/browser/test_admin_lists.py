"""At 1280 px, with the admin's side menu open, each list the team works from shows its key
columns without scrolling sideways: personal data, sessions and feedback, subscribers and
banners."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Banner
from newsletters.models import Subscriber
from tests import factories
from training.models import TrainingRequest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 800}
# Each list, and the columns the team reads it for.
KEY_COLUMNS = {
    "admin:training_trainingrequest_changelist": ["status", "email_state"],
    "admin:reports_report_changelist": ["status", "photo_count"],
    "admin:outbox_outboundemail_changelist": ["state", "attempts"],
    "admin:training_session_changelist": ["attendee_count", "feedback_count"],
    "admin:training_feedback_changelist": ["short_quote", "quote_state"],
    "admin:newsletters_subscriber_changelist": ["status", "updates", "confirmed"],
    "admin:alerts_banner_changelist": ["severity", "is_live", "ends", "shown_on_pages"],
}


def realistic_content():
    """Rows as long as real ones: long organisation names, places, subjects and addresses."""
    workshop = factories.make_workshop(
        title="Workshop to Raise Awareness of Prevent (WRAP) for health and social care staff"
    )
    for n in range(3):
        request = factories.make_training_request(
            workshop=workshop,
            organisation="Westminster Children's Services and Early Help Partnership Hub",
            status=TrainingRequest.Status.CONTACTED,
        )
        factories.make_outbound_email(
            about=request,
            to=f"designated.safeguarding.lead.{n}@st-marys-church-of-england-primary.example.org",
            subject=f"Training request {request.reference}: Workshop to Raise Awareness of "
            "Prevent (WRAP) for health and social care staff",
        )
        factories.make_report(
            place="The bus shelter outside Edgware Road station, on the corner of Harrow Road "
            "and Marylebone Flyover, next to the newsagent",
            postcode="W2 1DY",
        )
        session = factories.make_session(
            workshop=workshop,
            organisation="Westminster Children's Services and Early Help Partnership Hub",
            place="Marylebone Library, 108 - 114 Marylebone High Street, London W1U 4RT",
            attendance={"school": 12, "health": 4},
        )
        factories.make_feedback(
            session,
            quote="The session helped me understand when and how to share a concern about a "
            "young person, and who to call at the council when I am not sure.",
            naming="role",
            role="designated safeguarding lead at a Westminster primary school",
            publish_consent=True,
        )
        Subscriber.objects.create(
            email=f"designated.safeguarding.lead.{n}@st-marys-church-of-england-primary.example.org",
            status="confirmed",
            confirmed_at=timezone.now(),
            training_and_events=True,
            funding=True,
        )
    Banner.objects.create(
        title="Road closures around Marylebone Library: this week's WRAP sessions move online",
        message="<p>Join online with the link in your booking email.</p>",
        severity="important",
        page_kinds=["home", "training", "help"],
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=7),
    )


def sign_in(page, base_url):
    page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base_url + reverse("admin:index"))


def test_each_list_shows_its_key_columns_at_1280px_with_the_side_menu_open(
    page, live_server, admin_user
):
    realistic_content()
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url)
    for url_name, columns in KEY_COLUMNS.items():
        page.goto(live_server.url + reverse(url_name))
        assert page.locator("#nav-sidebar").is_visible(), url_name
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        results = page.locator("#changelist .results")
        overflow = results.evaluate("element => element.scrollWidth - element.clientWidth")
        assert overflow <= 0, (url_name, overflow)
        right = results.evaluate("element => element.getBoundingClientRect().right")
        for column in columns:
            header = page.locator(f"#result_list th.column-{column}")
            box = header.bounding_box()
            assert box and box["width"] > 0, (url_name, column)
            assert box["x"] + box["width"] <= min(right, DESKTOP["width"]) + 1, (
                url_name,
                column,
                box,
            )
            cell = page.locator(f"#result_list td.field-{column}").first
            cell_box = cell.bounding_box()
            assert cell_box["x"] + cell_box["width"] <= DESKTOP["width"], (url_name, column)
