import datetime
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from blocks.models import RecentSubmission
from blocks.publishing import Status
from outbox.models import OutboundEmail
from tests.factories import (
    future,
    make_event,
    make_project,
    make_testimonial,
    make_workshop,
    past,
    request_form_data,
)
from tests.training.pages import field_error, parse
from training.models import TrainingRequest

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_workshop_list_and_page_show_the_workshop_facts(client):
    workshop = make_workshop(
        title="Workshop to Raise Awareness of Prevent",
        short_name="WRAP",
        duration="45 minutes",
        who_it_is_for="Frontline staff",
        learning_outcomes="Risk indicators\nReferral routes",
    )
    make_testimonial(workshop, quote="Very interesting", attribution="WRAP participant")
    listing = client.get(reverse("training:workshop-list")).content.decode()
    assert "Workshop to Raise Awareness of Prevent (WRAP)" in listing
    page = client.get(workshop.get_absolute_url()).content.decode()
    for text in [
        "45 minutes",
        "Frontline staff",
        "Online or in person",
        "Free",
        "<li>Risk indicators</li>",
        "Very interesting",
        "WRAP participant",
    ]:
        assert text in page


def test_draft_and_scheduled_workshops_are_hidden(client):
    draft = make_workshop(title="Hidden draft", status=Status.DRAFT)
    scheduled = make_workshop(title="Hidden scheduled", publish_at=future())
    listing = client.get(reverse("training:workshop-list")).content.decode()
    home = client.get("/").content.decode()
    for workshop in (draft, scheduled):
        assert workshop.title not in listing and workshop.title not in home
        assert client.get(workshop.get_absolute_url()).status_code == 404


def test_events_are_split_into_upcoming_and_past(client):
    coming = make_event(title="Coming webinar", starts_at=future(5))
    gone = make_event(title="Finished webinar", starts_at=past(5))
    make_event(title="Draft webinar", starts_at=future(5), status=Status.DRAFT)
    body = client.get(reverse("training:event-list")).content.decode()
    upcoming, past_part = body.split("Past events", 1)
    assert coming.title in upcoming and gone.title not in upcoming
    assert gone.title in past_part
    assert "Draft webinar" not in body


def test_event_page_shows_uk_time_and_calendar_file(client):
    event = make_event(
        title="Engagement event",
        starts_at=datetime.datetime(2030, 7, 25, 18, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2030, 7, 25, 19, 30, tzinfo=LONDON),
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Thursday 25 July 2030" in page and "6pm to 7:30pm" in page
    ics = client.get(reverse("training:event-ics", args=[event.slug]))
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert "DTSTART:20300725T170000Z" in text  # 18:00 BST is 17:00 UTC
    assert "DTEND:20300725T183000Z" in text
    assert "SUMMARY:Engagement event" in text


def test_calendar_file_shows_the_description_as_plain_text_not_html_entities(client):
    # Stored as the editor's sanitised HTML: & < and quotes arrive as entities.
    event = make_event(
        title="Places of Worship Q&A",
        description="<p>Q&amp;A for faith leaders: 5 &lt; 10 places, “Protect” and "
        "&quot;Prevent&quot;, café talk</p><p>Second paragraph</p>",
    )
    ics = client.get(reverse("training:event-ics", args=[event.slug]))
    lines = ics.content.decode().replace("\r\n ", "").split("\r\n")
    [description] = [line for line in lines if line.startswith("DESCRIPTION:")]
    assert description == (
        'DESCRIPTION:Q&A for faith leaders: 5 < 10 places\\, “Protect” and "Prevent"\\, '
        "café talk\\n\\nSecond paragraph"
    )
    assert "SUMMARY:Places of Worship Q&A" in lines
    assert "&amp;" not in ics.content.decode()


def test_calendar_file_links_to_the_public_site_whatever_host_name_was_asked_for(client, settings):
    settings.SITE_URL = "https://prevent.example.gov.uk"
    settings.ALLOWED_HOSTS = ["prevent.example.gov.uk", "internal.example.org"]
    event = make_event(title="Engagement event")

    ics = client.get(
        reverse("training:event-ics", args=[event.slug]), HTTP_HOST="internal.example.org"
    )

    lines = ics.content.decode().replace("\r\n ", "").split("\r\n")
    assert f"URL:https://prevent.example.gov.uk{event.get_absolute_url()}" in lines
    assert "internal.example.org" not in ics.content.decode()


def test_unknown_slugs_give_404(client):
    for name in ["training:workshop-detail", "training:event-detail", "training:project-detail"]:
        assert client.get(reverse(name, args=["no-such-thing"])).status_code == 404


def test_community_projects_are_grouped_by_year(client):
    project = make_project(title="Neurodiversity workshops", year_span="2022-23")
    body = client.get(reverse("training:project-list")).content.decode()
    assert "2022-23" in body and project.title in body
    assert project.title in client.get(project.get_absolute_url()).content.decode()


def test_workshop_and_project_pages_list_each_outcome_typed_on_its_own_line(client):
    typed = "  Risk indicators \r\n\n   \nReferral routes\n"
    for item in (make_workshop(learning_outcomes=typed), make_project(outcomes=typed)):
        page = client.get(item.get_absolute_url()).text
        assert "<li>Risk indicators</li><li>Referral routes</li>" in page
        assert "<li></li>" not in page


def test_draft_event_404s_and_has_no_calendar_file(client):
    event = make_event(title="Secret planning", status=Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("training:event-ics", args=[event.slug])).status_code == 404


# The request training form

URL = "/training/request/"


def send(client, **overrides):
    """Post a valid request with some answers changed; UPPER_CASE keywords go to request.META."""
    meta = {key: overrides.pop(key) for key in list(overrides) if key.isupper()}
    return client.post(URL, request_form_data(**overrides), **meta)


def test_the_form_is_at_training_request_and_has_every_question(client):
    assert reverse("training:request") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Request training – Westminster Prevent team</title>" in html
    assert html.count("<h1") == 1
    for question in [
        "Which workshop would you like?",
        "Not sure yet",
        "Organisation name",
        "Which sector is your organisation in?",
        "Faith setting",
        "Full name",
        "Job title (optional)",
        "Email address",
        "Phone number (optional)",
        "Who is the training for?",
        "Approximate number of participants",
        "How would you like it delivered?",
        "Address or postcode of the venue",
        "First choice (optional)",
        "Second choice (optional)",
        "Third choice (optional)",
        "Accessibility needs (optional)",
        "Anything else you would like to tell us (optional)",
        "I have read the privacy notice",
    ]:
        assert question in html, question
    assert 'href="/privacy/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_every_question_of_the_form_has_its_input_on_the_page(client):
    """crispy renders only the fields its Layout names: one added to the form must be in it."""
    from training.forms import TrainingRequestForm

    make_workshop()
    page = parse(client.get(URL))
    for name, field in TrainingRequestForm().fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            ids = [f"id_{name}_1"]
        elif isinstance(widget, forms.MultiWidget):
            ids = [f"id_{name}_{part}" for part in range(3)]
        else:
            ids = [f"id_{name}"]
        for input_id in ids:
            assert input_id in page.inputs, input_id
            assert page.inputs[input_id]["name"].startswith(name), input_id


def test_inputs_say_what_they_hold_and_are_described_by_their_hint_and_error(client):
    page = parse(client.get(URL))
    expected = {
        "id_organisation": {"autocomplete": "organization"},
        "id_contact_name": {"autocomplete": "name", "spellcheck": "false"},
        "id_job_title": {"autocomplete": "organization-title"},
        "id_email": {"type": "email", "autocomplete": "email", "aria-describedby": "id_email_hint"},
        "id_phone": {"type": "tel", "autocomplete": "tel"},
        "id_participants": {"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"},
    }
    for input_id, attributes in expected.items():
        for name, value in attributes.items():
            assert page.inputs[input_id].get(name) == value, (input_id, name)

    response = send(client, email="amina@", workshop=None, preferred_date_1_1="")
    html = response.content.decode()
    email = parse(response).inputs["id_email"]
    assert email["aria-describedby"] == "id_email_hint id_email_1_error"
    assert email["aria-invalid"] == "true"
    fieldset = '<fieldset class="govuk-fieldset" aria-describedby="{}">'
    assert fieldset.format("id_workshop_1_error") in html
    assert fieldset.format("id_preferred_date_1_hint id_preferred_date_1_1_error") in html
    month = parse(response).inputs["id_preferred_date_1_1"]
    assert month["aria-describedby"] == "id_preferred_date_1_1_error"


def test_home_page_footer_and_every_workshop_page_link_to_the_form(client):
    workshop = make_workshop(title="Workshop to Raise Awareness of Prevent", short_name="WRAP")
    home = client.get("/").content.decode()
    assert f'href="{URL}"' in home
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert f'href="{URL}?workshop={workshop.slug}"' in page
    assert "Request this workshop" in page
    footer = page[page.index("<footer") :]
    assert f'href="{URL}"' in footer


def test_a_workshop_page_pre_selects_its_workshop(client):
    make_workshop(title="Other")
    wrap = make_workshop(title="WRAP workshop", slug="wrap")
    page = parse(client.get(f"{URL}?workshop=wrap"))
    checked = [i for i in page.inputs.values() if i.get("name") == "workshop" and "checked" in i]
    assert [i["value"] for i in checked] == [wrap.slug]


def test_a_valid_request_is_saved_and_the_browser_is_redirected_to_its_confirmation(client):
    wrap = make_workshop(title="Workshop to Raise Awareness of Prevent", short_name="WRAP")
    response = send(client, workshop=wrap.slug)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:request-done")
    saved = TrainingRequest.objects.get()
    year = timezone.localdate().year
    assert saved.reference == f"WRAP-{year}-0001"
    assert saved.workshop == wrap
    assert saved.organisation == "St Mary's Primary School"
    assert saved.status == TrainingRequest.Status.NEW
    assert saved.consent is True

    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert "govuk-panel--confirmation" in html
    assert saved.reference in html
    assert "What happens next" in html
    assert "amina.khan@example.org" in html
    assert "no-store" in confirmation["Cache-Control"]


def test_references_count_up_and_say_train_when_the_workshop_is_not_chosen(client, settings):
    settings.TRAINING_REQUEST_RATE_LIMIT = 10
    year = timezone.localdate().year
    for _ in range(3):
        send(client)
    assert sorted(TrainingRequest.objects.values_list("reference", flat=True)) == [
        f"TRAIN-{year}-0001",
        f"TRAIN-{year}-0002",
        f"TRAIN-{year}-0003",
    ]


def test_the_confirmation_shows_the_reference_only_to_the_browser_that_sent_it(
    client, django_user_model
):
    from django.test import Client

    response = send(client)
    reference = TrainingRequest.objects.get().reference
    assert reference not in response["Location"]
    other = Client()
    elsewhere = other.get(reverse("training:request-done"))
    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == URL
    assert reference not in other.get(URL).content.decode()


def test_an_invalid_request_keeps_everything_typed_and_saves_and_sends_nothing(client, mailoutbox):
    response = send(client, email="not-an-email", participants="501")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Request training – Westminster Prevent team</title>" in html
    page = parse(response)
    assert page.inputs["id_organisation"]["value"] == "St Mary's Primary School"
    assert page.inputs["id_email"]["value"] == "not-an-email"
    assert page.inputs["id_participants"]["value"] == "501"
    assert "checked" in page.inputs["id_sector_1"]
    assert "checked" in page.inputs["id_consent"]
    assert "Teaching and support staff</textarea>" in html
    assert TrainingRequest.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"workshop": None}, "workshop", "Select a workshop, or select ‘Not sure yet’"),
        ({"sector": None}, "sector", "Select the sector your organisation is in"),
        ({"delivery": None}, "delivery", "Select how you would like the training delivered"),
        ({"email": ""}, "email", "Enter your email address"),
        (
            {"email": "amina@"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"phone": "999"}, "phone", "Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
        ({"participants": "0"}, "participants", "Number of participants must be 1 or more"),
        (
            {"location": "", "delivery": "in-person"},
            "location",
            "Enter the address or postcode of the venue, as you chose in person",
        ),
        (
            {"preferred_date_1_2": "2001"},
            "preferred_date_1",
            "Enter a date in the future for your first choice",
        ),
        (
            {"organisation": "x" * 10_000},
            "organisation",
            "Organisation name must be 200 characters or fewer",
        ),
        ({"message": "x" * 100_000}, "message", "Anything else must be 4000 characters or fewer"),
        ({"consent": None}, "consent", "Confirm that you have read the privacy notice"),
    ],
)
def test_each_invalid_answer_is_shown_next_to_its_question_and_in_the_summary(
    client, mailoutbox, overrides, field, message
):
    response = send(client, **overrides)
    assert response.status_code == 200
    assert field_error(response, field) == message
    page = parse(response)
    [(href, text)] = page.summary_links
    assert text == message
    assert href[1:] in page.ids, f"{href} links to nothing"
    assert TrainingRequest.objects.count() == 0
    assert mailoutbox == []


def test_summary_links_reach_the_first_input_of_radios_dates_and_checkboxes(client):
    make_workshop()
    response = client.post(
        URL, {"preferred_date_2_0": "1", "preferred_date_2_1": "1", "preferred_date_2_2": "2001"}
    )
    page = parse(response)
    hrefs = [href for href, _ in page.summary_links]
    for expected in [
        "#id_workshop_1",
        "#id_sector_1",
        "#id_delivery_1",
        "#id_preferred_date_2_0",
        "#id_consent",
    ]:
        assert expected in hrefs
    for href in hrefs:
        target = page.inputs.get(href[1:])
        assert target is not None, f"{href} does not point at an input"


def test_a_date_part_error_links_to_that_part(client):
    response = send(client, preferred_date_1_1="")
    page = parse(response)
    assert ("#id_preferred_date_1_1", "First choice must include a month") in page.summary_links
    assert "govuk-input--error" in page.inputs["id_preferred_date_1_1"]["class"]
    assert "govuk-input--error" not in page.inputs["id_preferred_date_1_0"]["class"]


def test_the_email_input_is_marked_as_in_error(client):
    page = parse(send(client, email="amina"))
    email = page.inputs["id_email"]
    assert email["type"] == "email"
    assert "govuk-input--error" in email["class"].split()
    assert "govuk-input--error" not in page.inputs["id_organisation"]["class"].split()


def test_the_error_summary_uses_current_govuk_markup(client):
    html = send(client, email="").content.decode()
    summary = html[html.index('class="govuk-error-summary"') - 5 :]
    summary = summary[: summary.index("</ul>")]
    assert 'data-module="govuk-error-summary"' in summary
    assert '<div role="alert">' in summary
    assert "There is a problem" in summary


def test_the_form_is_protected_against_cross_site_posts(mailoutbox):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert browser.post(URL, request_form_data()).status_code == 403
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(URL).content.decode()
    )
    response = browser.post(URL, {**request_form_data(), "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert TrainingRequest.objects.count() == 1


def test_a_filled_in_honeypot_is_refused_with_a_message(client, mailoutbox):
    response = send(client, website="https://cheap-pills.example")
    assert response.status_code == 200
    page = parse(response)
    [(href, text)] = page.summary_links
    assert "looks automated" in text and "prevent@westminster.gov.uk" in text
    assert href[1:] in page.ids
    assert TrainingRequest.objects.count() == 0
    assert mailoutbox == []


def test_the_honeypot_is_hidden_from_people(client):
    html = client.get(URL).content.decode()
    assert re.search(r'<div\s+hidden="hidden"\s*>\s*<div id="div_id_website"', html)


def test_more_than_the_hourly_limit_from_one_address_is_refused(client, settings, mailoutbox):
    settings.TRAINING_REQUEST_RATE_LIMIT = 5
    for _ in range(5):
        assert send(client).status_code == 302
    response = send(client, organisation="Sixth")
    assert response.status_code == 429
    assert "You have sent 5 requests in the last hour" in parse(response).summary_links[0][1]
    assert parse(response).inputs["id_organisation"]["value"] == "Sixth"
    assert TrainingRequest.objects.count() == 5
    # Another address is not affected.
    assert send(client, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_a_limit_of_one_request_an_hour_is_worded_in_the_singular(client, settings):
    settings.TRAINING_REQUEST_RATE_LIMIT = 1
    assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429
    assert "You have sent 1 request in the last hour" in parse(response).summary_links[0][1]


def test_the_limit_forgets_requests_older_than_an_hour(client, settings):
    settings.TRAINING_REQUEST_RATE_LIMIT = 1
    assert send(client).status_code == 302
    assert send(client).status_code == 429
    RecentSubmission.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert send(client).status_code == 302
    assert RecentSubmission.objects.count() == 1


def test_the_limit_is_counted_in_the_database_without_storing_the_address(client, settings):
    settings.TRAINING_REQUEST_RATE_LIMIT = 2
    send(client, REMOTE_ADDR="198.51.100.23")
    [row] = RecentSubmission.objects.all()
    assert "198.51.100.23" not in row.client
    assert len(row.client) == 64
    # Another server (a fresh client, nothing in memory) sees the same count.
    from django.test import Client

    Client(REMOTE_ADDR="198.51.100.23").post(URL, request_form_data())
    assert Client(REMOTE_ADDR="198.51.100.23").post(URL, request_form_data()).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(client, settings):
    settings.TRAINING_REQUEST_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert send(client, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy).status_code == 302
    assert send(client, HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy).status_code == 302
    # A client cannot escape by adding its own X-Forwarded-For entries.
    forged = "1.2.3.4, 203.0.113.1"
    assert send(client, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429


def test_request_details_appear_on_no_public_page(client):
    workshop = make_workshop(slug="wrap", short_name="WRAP")
    send(
        client, workshop="wrap", organisation="Secret Organisation Ltd", email="hidden@example.org"
    )
    from django.test import Client

    visitor = Client()
    for url in [
        "/",
        "/training/",
        workshop.get_absolute_url(),
        URL,
        reverse("training:request-done"),
    ]:
        response = visitor.get(url, follow=True)
        html = response.content.decode()
        assert "Secret Organisation" not in html and "hidden@example.org" not in html, url
    admin = visitor.get(reverse("admin:training_trainingrequest_changelist"))
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]


def test_a_workshop_that_is_not_taking_requests_is_not_pre_selected(client):
    make_workshop(slug="retired", is_active=False)
    make_workshop(slug="draft", status=Status.DRAFT)
    for slug in ("retired", "draft"):
        page = parse(client.get(f"{URL}?workshop={slug}"))
        assert not [
            i for i in page.inputs.values() if i.get("name") == "workshop" and "checked" in i
        ]


# Property-based tests. The database is not rolled back between examples, so each example
# counts rows before and after, and the rate limit is lifted.

printable_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
)
FIELDS = [k for k in request_form_data() if k != "website"] + [
    "preferred_date_2_0",
    "preferred_date_2_1",
    "preferred_date_2_2",
]


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, printable_text)))
def test_arbitrary_text_in_any_field_never_breaks_the_page(client, settings, data):
    settings.TRAINING_REQUEST_RATE_LIMIT = 10_000
    before = TrainingRequest.objects.count()
    response = client.post(URL, data)  # the test client raises on any server error
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert TrainingRequest.objects.count() == before
        assert parse(response).summary_links


# Text a person could type: no control characters (refused with a message, tested above).
def typed(max_size, multiline=False, min_size=1):
    allowed = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    if multiline:
        allowed = st.one_of(allowed, st.sampled_from("\n\r\t"))
    return st.text(alphabet=allowed, min_size=min_size, max_size=max_size).filter(
        lambda s: s.strip() or min_size == 0
    )


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.fixed_dictionaries(
        {
            "organisation": typed(200),
            "contact_name": typed(150),
            "job_title": typed(150, min_size=0),
            "email": st.from_regex(
                r"[a-z0-9._%+-]{1,20}@[a-z0-9-]{1,20}\.(org|uk|com)", fullmatch=True
            ).filter(
                lambda e: (
                    ".." not in e
                    and not e.startswith(".")
                    and ".@" not in e
                    and not re.search(r"@-|-\.", e)
                )
            ),
            "who_it_is_for": typed(2000, multiline=True),
            "participants": st.integers(min_value=1, max_value=500),
            "sector": st.sampled_from(["school", "health", "faith", "other"]),
            "delivery": st.sampled_from(["online", "in-person", "either"]),
            "location": typed(500, multiline=True),
            "accessibility_needs": typed(2000, multiline=True, min_size=0),
            "message": typed(4000, multiline=True, min_size=0),
        }
    )
)
def test_a_valid_request_stores_exactly_what_was_sent(client, settings, answers):
    settings.TRAINING_REQUEST_RATE_LIMIT = 10_000
    response = client.post(
        URL, request_form_data(phone="", **{k: str(v) for k, v in answers.items()})
    )
    assert response.status_code == 302, parse(response).summary_links
    saved = TrainingRequest.objects.order_by("-pk").first()
    for name, value in answers.items():
        expected = value if name == "participants" else value.strip()  # Django trims answers
        assert getattr(saved, name) == expected, name


def test_request_form_leaves_validation_to_the_server(client):
    # Browser pop-ups would hide the GOV.UK error summary and field messages.
    body = client.get(reverse("training:request")).content.decode()
    assert re.search(r"<form[^>]*\bnovalidate\b[^>]*method=\"post\"", body)


def test_the_confirmation_is_shown_for_30_minutes_then_forgotten(client, monkeypatch):
    import time

    from blocks import receipt
    from training import views

    send(client, email="shared.computer@example.org")
    done = reverse("training:request-done")
    sent_at = time.time()
    monkeypatch.setattr(receipt.time, "time", lambda: sent_at + 29 * 60)
    assert "shared.computer@example.org" in client.get(done).content.decode()
    monkeypatch.setattr(receipt.time, "time", lambda: sent_at + 31 * 60)
    response = client.get(done)
    assert response.status_code == 302 and response["Location"] == URL
    assert views.TrainingRequestCreateView.sent_session_key not in client.session
    monkeypatch.setattr(receipt.time, "time", lambda: sent_at)
    assert client.get(done).status_code == 302  # forgotten, not just hidden


def test_the_send_button_ignores_a_second_click(client):
    html = client.get(URL).content.decode()
    button = re.search(r"<button[^>]*>\s*Send request\s*</button>", html)
    assert button, "no Send request button"
    for attribute in [
        'type="submit"',
        'class="govuk-button"',
        'data-module="govuk-button"',
        'data-prevent-double-click="true"',
    ]:
        assert attribute in button.group(0), attribute


def test_sending_the_same_form_twice_makes_one_request(client, mailoutbox):
    html = client.get(URL).content.decode()
    token = re.search(r'<input type="hidden" name="form_token" value="([^"]+)"', html).group(1)
    assert "sessionid" not in client.cookies  # viewing the form sets no cookie
    first = send(client, form_token=token)
    again = send(client, form_token=token, organisation="Changed on the second click")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("training:request-done")
    assert TrainingRequest.objects.count() == 1
    assert "Changed on the second click" not in client.get(again["Location"]).text
    # A fresh form (a new token) makes a new request.
    new_token = re.search(r'name="form_token" value="([^"]+)"', client.get(URL).text).group(1)
    assert new_token != token
    send(client, form_token=new_token)
    assert TrainingRequest.objects.count() == 2


@pytest.mark.parametrize("token", ["x" * 500, "<script>", ""])
def test_a_tampered_form_token_is_ignored_and_the_request_still_sent(client, mailoutbox, token):
    response = send(client, form_token=token)
    assert response.status_code == 302
    assert TrainingRequest.objects.count() == 1


def test_a_failed_csrf_check_shows_a_branded_page_that_leads_back_to_the_form(mailoutbox):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, request_form_data())
    assert response.status_code == 403
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Your session has expired</h1>' in html
    assert (
        "We could not send your request. Go back, reload the page and try again; what you "
        "typed may need re-entering." in html
    )
    assert f'href="{URL}"' in html
    assert "app-header" in html  # the site's own layout, not Django's technical page
    assert "CSRF verification failed" not in html
    assert TrainingRequest.objects.count() == 0
