"""The feedback form at each session's /feedback/<code>/ address, and the quotes it publishes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Banner
from tests.factories import (
    feedback_form_data,
    make_feedback,
    make_session,
    make_testimonial,
    make_workshop,
)
from training.models import Feedback

pytestmark = pytest.mark.django_db


def feedback_url(session):
    return reverse("training:feedback", kwargs={"code": session.feedback_code})


def token_from(response):
    return response.context["form"].initial["form_token"]


def send(client, session, **overrides):
    form = client.get(feedback_url(session))
    data = feedback_form_data(form_token=token_from(form), **overrides)
    return client.post(feedback_url(session), data)


def test_the_form_saves_a_response_for_its_session_and_thanks_the_sender(client):
    session = make_session()
    response = send(client, session)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "training:feedback-thanks", kwargs={"code": session.feedback_code}
    )
    feedback = Feedback.objects.get()
    assert feedback.session == session
    assert (feedback.prevent_before, feedback.prevent_after) == (2, 4)
    assert (feedback.signs_before, feedback.signs_after) == (1, 4)
    assert (feedback.referral_before, feedback.referral_after) == (2, 5)
    assert feedback.sector == "school"
    assert feedback.attribution == "A teacher in Westminster"
    assert feedback.publish_consent is True
    assert feedback.quote_approved_at is None
    assert feedback.reference.startswith("FB-")
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your feedback" in thanks.content.decode()


def test_nothing_personal_is_required(client):
    session = make_session()
    response = send(
        client,
        session,
        sector=None,
        most_useful=None,
        could_be_better=None,
        quote=None,
        naming=None,
        role=None,
        publish_consent=None,
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.sector == ""
    assert feedback.quote == ""
    assert feedback.attribution == "Anonymous"


def test_the_thanks_page_is_only_for_the_browser_that_sent_feedback(client):
    session = make_session()
    response = client.get(
        reverse("training:feedback-thanks", kwargs={"code": session.feedback_code})
    )
    assert response.status_code == 302
    assert response["Location"] == feedback_url(session)


def test_a_missing_rating_is_explained_and_what_was_typed_is_kept(client):
    session = make_session()
    response = send(client, session, signs_after=None)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Select how confident you were after the session: recognising signs that someone may "
        "be being drawn into extremism" in page
    )
    assert "<title>Error: " in page
    assert "More time for questions" in page
    assert not Feedback.objects.exists()


def test_agreeing_to_publish_needs_a_quote_and_a_naming_needs_its_details(client):
    session = make_session()
    response = send(client, session, quote="")
    assert "Enter your quote, or untick the box agreeing to publish it" in response.content.decode()
    response = send(client, session, naming="name-and-role", first_name="", role="")
    page = response.content.decode()
    assert "Enter your first name, as you chose to be named by it" in page
    assert "Enter your role, as you chose to be named by it" in page
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("code", ["not-a-real-code", "A" * 22, "x"])
def test_a_forged_code_is_not_found_and_saves_nothing(client, code):
    url = reverse("training:feedback", kwargs={"code": code})
    make_session()
    assert client.get(url).status_code == 404
    assert client.post(url, feedback_form_data()).status_code == 404
    assert not Feedback.objects.exists()


def test_the_closed_page_still_shows_the_team_s_banner(client, settings):
    # It stands in place of a page that is gone, but is no error page: the site's banners show.
    Banner.objects.create(title="Offices closed on Friday", message="<p>m</p>", is_live=True)
    session = make_session(
        starts_at=timezone.now() - datetime.timedelta(days=settings.FEEDBACK_OPEN_DAYS + 1)
    )
    response = client.get(feedback_url(session))
    assert response.status_code == 410
    assert "Offices closed on Friday" in response.content.decode()


def test_the_form_closes_after_feedback_open_days_with_a_page_that_says_so(client, settings):
    settings.FEEDBACK_OPEN_DAYS = 30
    session = make_session(starts_at=timezone.now() - datetime.timedelta(days=31))
    response = client.get(feedback_url(session))
    assert response.status_code == 410
    page = response.content.decode()
    assert "Feedback for this session has closed" in page
    assert "30 days after the session" in page
    response = client.post(feedback_url(session), feedback_form_data(form_token="a" * 32))
    assert response.status_code == 410
    assert not Feedback.objects.exists()


def test_the_form_is_open_until_the_last_day(client, settings):
    settings.FEEDBACK_OPEN_DAYS = 30
    session = make_session(starts_at=timezone.now() - datetime.timedelta(days=29))
    assert client.get(feedback_url(session)).status_code == 200


def test_script_in_every_field_is_saved_as_text_and_shown_escaped(client, admin_client):
    session = make_session()
    script = "<script>alert(1)</script>"
    fields = ["most_useful", "could_be_better", "quote", "role", "first_name"]
    response = send(client, session, naming="name-and-role", **dict.fromkeys(fields, script))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert all(getattr(feedback, name) == script for name in fields)
    page = admin_client.get(reverse("admin:training_feedback_change", args=[feedback.pk]))
    assert script not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


def test_script_in_the_choice_fields_is_refused(client):
    session = make_session()
    script = "<script>alert(1)</script>"
    response = send(client, session, sector=script, naming=script, prevent_before=script)
    assert response.status_code == 200
    assert script not in response.content.decode()
    assert not Feedback.objects.exists()


def test_ten_thousand_characters_are_refused_with_a_message(client):
    session = make_session()
    long = "a" * 10_000
    response = send(client, session, most_useful=long, quote=long, role=long)
    page = response.content.decode()
    assert "What was most useful must be 2000 characters or fewer" in page
    assert "Your quote must be 600 characters or fewer" in page
    assert "Your role must be 100 characters or fewer" in page
    assert not Feedback.objects.exists()


def test_the_honeypot_refuses_the_form(client):
    session = make_session()
    response = send(client, session, website="http://spam.example")
    assert "looks automated" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_same_form_sent_twice_is_saved_once(client):
    session = make_session()
    form = client.get(feedback_url(session))
    data = feedback_form_data(form_token=token_from(form))
    client.post(feedback_url(session), data)
    again = client.post(feedback_url(session), data)
    assert again.status_code == 302
    assert Feedback.objects.count() == 1


def test_a_flood_is_stopped_by_the_rate_limit(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    session = make_session()
    statuses = [send(client, session).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Feedback.objects.count() == 3


def test_an_approved_quote_shows_on_its_workshop_page_newest_first_before_the_printed_ones(
    client,
):
    workshop = make_workshop(title="Workshop to Raise Awareness of Prevent", short_name="WRAP")
    make_testimonial(workshop, quote="Printed in July 2023", attribution="WRAP participant")
    session = make_session(workshop)
    older = make_feedback(
        session,
        quote="Clear and practical",
        naming="anonymous",
        publish_consent=True,
        quote_approved_at=timezone.now() - datetime.timedelta(days=2),
    )
    newer = make_feedback(
        session,
        quote="I know who to call now",
        naming="name-and-role",
        first_name="Sam",
        role="youth worker",
        publish_consent=True,
        quote_approved_at=timezone.now(),
    )
    make_feedback(session, quote="Not approved yet", publish_consent=True)
    make_feedback(session, quote="Approved without consent", quote_approved_at=timezone.now())
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "What people said" in page
    assert "Not approved yet" not in page
    assert "Approved without consent" not in page
    positions = [page.index(text) for text in (newer.quote, older.quote, "Printed in July 2023")]
    assert positions == sorted(positions)
    assert "Sam, youth worker" in page
    assert "Anonymous" in page


def test_withdrawing_approval_takes_the_quote_off_the_page(client, admin_client):
    session = make_session()
    feedback = make_feedback(
        session, quote="Worth every minute", publish_consent=True, quote_approved_at=timezone.now()
    )
    assert "Worth every minute" in client.get(session.workshop.get_absolute_url()).content.decode()
    admin_client.post(
        reverse("admin:training_feedback_changelist"),
        {"action": "withdraw_quotes", "_selected_action": [feedback.pk]},
    )
    assert (
        "Worth every minute" not in client.get(session.workshop.get_absolute_url()).content.decode()
    )
