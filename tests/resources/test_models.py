import datetime
import importlib

import pytest
from django.utils import timezone

from resources.models import FundingScheme, HelpRoute
from tests.factories import future, make_help_route, make_scheme

pytestmark = pytest.mark.django_db
JUNE_21, AUG_15 = datetime.date(2023, 6, 21), datetime.date(2023, 8, 15)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (datetime.date(2023, 6, 20), FundingScheme.State.OPENS_SOON),
        (JUNE_21, FundingScheme.State.OPEN),
        (AUG_15, FundingScheme.State.OPEN),
        (datetime.date(2023, 8, 16), FundingScheme.State.CLOSED),
    ],
)
def test_scheme_state_is_worked_out_from_its_dates(today, state):
    scheme = make_scheme(opens_on=JUNE_21, closes_on=AUG_15)
    assert scheme.state(today) == state


@pytest.mark.parametrize(
    ("opens", "closes", "state", "sentence"),
    [
        (-90, -60, "closed", "Applications opened on {opens} and closed on {closes}."),
        (-1, 30, "open", "Applications are open until {closes}."),
        (0, 0, "open", "Applications are open until {closes}."),
        (10, 40, "opens-soon", "Applications open on {opens} and close on {closes}."),
    ],
    ids=["closed", "open", "open on its only day", "opening later"],
)
def test_the_window_is_said_in_words_that_agree_with_the_state(opens, closes, state, sentence):
    today = timezone.localdate()
    scheme = make_scheme(
        opens_on=today + datetime.timedelta(days=opens),
        closes_on=today + datetime.timedelta(days=closes),
    )
    assert scheme.state() == state
    assert scheme.window_sentence == sentence.format(
        opens=f"{scheme.opens_on:%-d %B %Y}", closes=f"{scheme.closes_on:%-d %B %Y}"
    )


def test_open_now_lists_only_published_schemes_inside_their_window():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    inside = [
        make_scheme(opens_on=today - 10 * day, closes_on=today + 10 * day),
        make_scheme(opens_on=today - 10 * day, closes_on=today),
        make_scheme(opens_on=today, closes_on=today + 10 * day),
    ]
    make_scheme(opens_on=today - 10 * day, closes_on=today + 10 * day, status="draft")
    make_scheme(opens_on=today - 10 * day, closes_on=today + 10 * day, publish_at=future(3))
    make_scheme(opens_on=today + day, closes_on=today + 10 * day)
    make_scheme(opens_on=today - 10 * day, closes_on=today - day)
    assert set(FundingScheme.objects.open_now()) == set(inside)


def test_migration_drops_the_typed_window_from_how_to_apply():
    from django.apps import apps

    migration = importlib.import_module("resources.migrations.0003_scheme_window_in_words")
    typed = (
        "Applications are open from 21 June 2023 until 15 August 2023. Applications received "
        "after this date will not be considered. The Home Office guidance explains eligibility."
    )
    scheme = make_scheme(how_to_apply=typed)

    migration.drop_typed_window(apps, None)

    scheme.refresh_from_db()
    assert scheme.how_to_apply == (
        "Applications received after the closing date will not be considered. "
        "The Home Office guidance explains eligibility."
    )


def test_a_way_to_get_help_is_named_with_who_it_is_for():
    route = make_help_route(name="Westminster Prevent team", part="professionals")
    assert str(route) == "Westminster Prevent team (Professionals)"


def test_a_phone_number_is_dialled_from_its_digits_and_shown_as_people_read_it():
    route = make_help_route(
        phone="0800 011 3764", textphone="18001 101", url="https://www.gov.uk/ACT"
    )
    assert route.phone_href == "tel:08000113764"
    assert route.textphone_href == "tel:18001101"
    assert route.url_text == "www.gov.uk/ACT"
    assert make_help_route(url="https://actearly.uk/").url_text == "actearly.uk"


def test_ways_to_get_help_come_in_the_teams_order_whoever_they_are_for():
    make_help_route(name="B", order=2, part="online")
    make_help_route(name="A", order=2, part="public")
    make_help_route(name="C", order=1, part="safeguarding")
    assert [r.name for r in HelpRoute.objects.all()] == ["C", "A", "B"]
