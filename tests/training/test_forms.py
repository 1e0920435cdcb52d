from datetime import timedelta

import pytest
from django.utils import timezone

from blocks.publishing import Status
from tests.factories import make_workshop, request_form_data
from training.forms import TrainingRequestForm

pytestmark = pytest.mark.django_db


def date_parts(name, day, month, year):
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def errors_for(**overrides):
    form = TrainingRequestForm(data=request_form_data(**overrides))
    assert not form.is_valid()
    return form.errors


def test_complete_request_is_valid_and_names_the_chosen_workshop():
    wrap = make_workshop(title="Workshop to Raise Awareness of Prevent", short_name="WRAP")
    form = TrainingRequestForm(data=request_form_data(workshop=wrap.slug))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["workshop"] == wrap


def test_not_sure_yet_leaves_the_workshop_empty():
    form = TrainingRequestForm(data=request_form_data(workshop="not-sure"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["workshop"] is None


def test_only_published_workshops_taking_requests_are_offered():
    offered = make_workshop(title="Offered")
    make_workshop(title="Draft", status=Status.DRAFT)
    make_workshop(title="Scheduled", publish_at=timezone.now() + timedelta(days=3))
    retired = make_workshop(title="Retired", is_active=False)
    labels = [str(label) for _, label in TrainingRequestForm().fields["workshop"].choices]
    assert labels == ["Offered", "Not sure yet"]
    assert "workshop" in errors_for(workshop=retired.slug)
    assert TrainingRequestForm(data=request_form_data(workshop=offered.slug)).is_valid()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"workshop": ""}, "workshop", "Select a workshop, or select ‘Not sure yet’"),
        (
            {"workshop": "no-such-workshop"},
            "workshop",
            "Select a workshop, or select ‘Not sure yet’",
        ),
        ({"organisation": "  "}, "organisation", "Enter the name of your organisation"),
        ({"sector": ""}, "sector", "Select the sector your organisation is in"),
        ({"sector": "army"}, "sector", "Select the sector your organisation is in"),
        ({"contact_name": ""}, "contact_name", "Enter your full name"),
        ({"email": ""}, "email", "Enter your email address"),
        (
            {"email": "amina.khan.example.org"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"phone": "12345"},
            "phone",
            "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
        ),
        (
            {"phone": "+1 212 555 0100"},
            "phone",
            "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
        ),
        ({"who_it_is_for": ""}, "who_it_is_for", "Enter who the training is for"),
        ({"participants": ""}, "participants", "Enter the approximate number of participants"),
        (
            {"participants": "lots"},
            "participants",
            "Number of participants must be a whole number, like 25",
        ),
        ({"participants": "0"}, "participants", "Number of participants must be 1 or more"),
        ({"participants": "501"}, "participants", "Number of participants must be 500 or fewer"),
        ({"delivery": ""}, "delivery", "Select how you would like the training delivered"),
        (
            {"delivery": "in-person", "location": ""},
            "location",
            "Enter the address or postcode of the venue, as you chose in person",
        ),
        ({"consent": None}, "consent", "Confirm that you have read the privacy notice"),
        (
            {"organisation": "x" * 201},
            "organisation",
            "Organisation name must be 200 characters or fewer",
        ),
        ({"contact_name": "x" * 151}, "contact_name", "Full name must be 150 characters or fewer"),
        ({"job_title": "x" * 151}, "job_title", "Job title must be 150 characters or fewer"),
        (
            {"email": "a" * 250 + "@example.org"},
            "email",
            "Email address must be 254 characters or fewer",
        ),
        ({"phone": "0" * 31}, "phone", "Phone number must be 30 characters or fewer"),
        (
            {"who_it_is_for": "x" * 2001},
            "who_it_is_for",
            "Who the training is for must be 2000 characters or fewer",
        ),
        (
            {"location": "x" * 501},
            "location",
            "Address or postcode must be 500 characters or fewer",
        ),
        (
            {"accessibility_needs": "x" * 2001},
            "accessibility_needs",
            "Accessibility needs must be 2000 characters or fewer",
        ),
        ({"message": "x" * 4001}, "message", "Anything else must be 4000 characters or fewer"),
        (
            {"organisation": "School\x00"},
            "organisation",
            "Organisation name must be on one line, without hidden control characters",
        ),
        (
            {"contact_name": "Amina\r\nBcc: victim@example.com"},
            "contact_name",
            "Full name must be on one line, without hidden control characters",
        ),
        (
            {"message": "Hello\x1b[31m"},
            "message",
            "Anything else must not include hidden control characters",
        ),
    ],
)
def test_each_invalid_answer_gets_a_message_that_names_it(overrides, field, message):
    assert message in errors_for(**overrides)[field]


def test_line_breaks_are_fine_in_longer_answers():
    form = TrainingRequestForm(
        data=request_form_data(who_it_is_for="Teachers\r\nGovernors\tand staff")
    )
    assert form.is_valid(), form.errors


def test_address_is_optional_online():
    form = TrainingRequestForm(data=request_form_data(delivery="online", location=""))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "phone",
    [
        "020 7946 0000",
        "07700 900982",
        "+44 7700 900 982",
        "+44 (0)20 7946 0000",
        "0044 1632 960001",
    ],
)
def test_uk_phone_numbers_are_accepted_as_typed(phone):
    form = TrainingRequestForm(data=request_form_data(phone=phone))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == phone


def test_preferred_dates_are_optional():
    form = TrainingRequestForm(
        data=request_form_data(preferred_date_1_0="", preferred_date_1_1="", preferred_date_1_2="")
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["preferred_date_1"] is None


def test_up_to_three_future_dates_are_kept():
    today = timezone.localdate()
    dates = [today + timedelta(days=n) for n in (1, 40, 400)]
    data = request_form_data()
    for n, date in enumerate(dates, start=1):
        data.update(date_parts(f"preferred_date_{n}", date.day, date.month, date.year))
    form = TrainingRequestForm(data=data)
    assert form.is_valid(), form.errors
    assert [form.cleaned_data[f"preferred_date_{n}"] for n in (1, 2, 3)] == dates


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((None, None, None), "Enter a date in the future for your second choice"),
        (("", "6", "2030"), "Second choice must include a day"),
        (("1", "", "2030"), "Second choice must include a month"),
        (("1", "6", ""), "Second choice must include a year"),
        (("31", "2", "2030"), "Second choice must be a real date"),
        (("1", "13", "2030"), "Second choice must be a real date"),
        (("first", "6", "2030"), "Second choice must be a real date"),
        (("1", "6", "30"), "Second choice year must include 4 numbers"),
    ],
)
def test_each_wrong_date_gets_a_message_for_people(parts, message):
    if parts == (None, None, None):  # today: not in the future
        today = timezone.localdate()
        parts = (today.day, today.month, today.year)
    assert errors_for(**date_parts("preferred_date_2", *parts))["preferred_date_2"] == [message]


def test_a_past_date_is_refused():
    past = timezone.localdate() - timedelta(days=1)
    errors = errors_for(**date_parts("preferred_date_3", past.day, past.month, past.year))
    assert errors["preferred_date_3"] == ["Enter a date in the future for your third choice"]


def test_the_honeypot_refuses_the_request_with_a_message():
    form = TrainingRequestForm(data=request_form_data(website="http://spam.example"))
    assert not form.is_valid()
    assert "looks automated" in form.non_field_errors()[0]


@pytest.mark.parametrize(
    "email",
    [
        '"a\x0bb"@example.org',
        '"a\x1cb"@example.org',
        '"amina khan"@example.org',
        '"amina"@example.org',
        "amina\u202e@example.org",
        "amina\u200b@example.org",
        "ami\u2028na@example.org",
    ],
)
def test_quoted_addresses_and_hidden_characters_in_the_email_are_refused(email):
    assert errors_for(email=email)["email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_one_line_answers_refuse_unicode_line_and_paragraph_separators(separator):
    assert errors_for(organisation=f"Acme{separator}School")["organisation"] == [
        "Organisation name must be on one line, without hidden control characters"
    ]


@pytest.mark.parametrize(
    "character",
    [chr(c) for c in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))],
)
def test_one_line_answers_refuse_characters_that_change_text_direction(character):
    assert errors_for(contact_name=f"Amina{character} Khan")["contact_name"] == [
        "Full name must not include hidden characters that change the direction of text"
    ]


def test_longer_answers_keep_their_line_breaks():
    form = TrainingRequestForm(data=request_form_data(message="Line one\r\nLine two"))
    assert form.is_valid(), form.errors
