import datetime

import pytest
from django.utils import timezone

from resources.models import FundingScheme
from tests.factories import future, make_scheme

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
