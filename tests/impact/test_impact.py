"""/admin/impact/: the team's figures for a financial quarter or year, compared with counts made
by hand from the fixture below."""

import csv
import datetime
import html
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from impact import charts, periods
from impact.periods import Period
from newsletters.models import FormerSubscriber, Subscriber
from search.models import SearchLog
from tests.factories import (
    make_feedback,
    make_member,
    make_report,
    make_session,
    make_training_request,
    make_workshop,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
URL = reverse("impact:impact")
Q2 = Period(2025, 2)  # July to September 2025
YEAR = Period(2025)  # April 2025 to March 2026


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


def ratings(prevent, signs, referral):
    return {
        "prevent_before": prevent[0],
        "prevent_after": prevent[1],
        "signs_before": signs[0],
        "signs_after": signs[1],
        "referral_before": referral[0],
        "referral_after": referral[1],
    }


@pytest.fixture
def fixture():
    """Counted by hand, for Q2 2025-26 (1 July to 30 September 2025):
    sessions delivered 3 (S1, S2, S3), people 38 = school 28, police 5, community 3, health 2;
    WRAP 25, Online safety 13; feedback 3 (2 at S1, 1 at S3); requests 4 (new, contacted,
    scheduled, declined), median days to first contact of 2, 5 and 1 = 2.
    For the year 2025-26, add S5 (school 7, feedback 1) and the session of 30 June (faith 4);
    the one of 31 March 2025 is the year before: 5 sessions, 49 people, 4 feedback."""
    wrap = make_workshop(title="WRAP")
    online = make_workshop(title="Online safety")
    officer = make_member(name="Aisha Rahman")
    s1 = make_session(wrap, at(2025, 7, 10, 10), {"school": 18, "health": 2}, delivered_by=officer)
    make_session(wrap, at(2025, 9, 30, 18), {"police": 5}, delivered_by=officer)
    s3 = make_session(online, at(2025, 8, 1, 14), {"school": 10, "community": 3})
    make_session(wrap, at(2025, 8, 15, 10))  # no attendance recorded: not delivered
    s5 = make_session(wrap, at(2025, 10, 1, 0, 30), {"school": 7})  # Q3
    make_session(wrap, at(2025, 6, 30, 21), {"faith": 4})  # Q1, and in the year
    make_session(wrap, at(2025, 3, 31, 21), {"faith": 100})  # the year before
    make_feedback(s1, **ratings((2, 4), (1, 4), (2, 5)))
    make_feedback(s1, **ratings((3, 5), (2, 3), (1, 4)))
    make_feedback(s3, **ratings((4, 4), (3, 3), (3, 3)))
    make_feedback(s5, **ratings((1, 1), (1, 1), (1, 1)))
    for received, status, days in [
        (at(2025, 7, 1, 9), "new", None),
        (at(2025, 7, 2, 9), "contacted", 2),
        (at(2025, 8, 1, 9), "scheduled", 5),
        (at(2025, 9, 1, 9), "declined", 1),
        (at(2025, 10, 2, 9), "delivered", 9),
    ]:
        make_training_request(
            received_at=received,
            status=status,
            first_contacted_at=received + datetime.timedelta(days=days) if days else None,
        )
    make_report(kind="leaflet", postcode="SW1A 1AA", received_at=at(2025, 7, 5, 12))
    make_report(kind="leaflet", postcode="SW1A 2BB", received_at=at(2025, 8, 5, 12))
    make_report(kind="sticker", postcode="", received_at=at(2025, 9, 5, 12))
    make_report(kind="graffiti", postcode="W2 1AA", received_at=at(2025, 11, 5, 12))
    Subscriber.objects.create(
        email="a@example.org", status="confirmed", confirmed_at=at(2025, 7, 3)
    )
    Subscriber.objects.create(
        email="b@example.org", status="confirmed", confirmed_at=at(2025, 9, 3)
    )
    Subscriber.objects.create(email="c@example.org", status="pending")
    FormerSubscriber.objects.create(address_hash="1" * 64, left_at=at(2025, 8, 3))
    FormerSubscriber.objects.create(address_hash="2" * 64, left_at=at(2025, 12, 3))
    for term, results, count, when in [
        ("radicalisation help", 0, 3, at(2025, 7, 7)),
        ("=cmd|' /C calc'!A0", 0, 2, at(2025, 8, 7)),
        ("wrap", 5, 4, at(2025, 8, 7)),
        ("prevnet", 0, 1, at(2025, 12, 7)),
    ]:
        SearchLog.objects.bulk_create(
            [SearchLog(term=term, results=results, created_at=when) for _ in range(count)]
        )


@pytest.fixture
def manager_client(django_user_model):
    user = django_user_model.objects.create_user("manager", is_staff=True)
    user.groups.add(Group.objects.get(name="Managers"))
    client = Client()
    client.force_login(user)
    return client


def page(client, period):
    response = client.get(URL, {"period": period.key})
    assert response.status_code == 200
    return response


def cell_value(text):
    """A table cell as the page shows it, read back: 3, 4.3, None for "–", or its words."""
    text = html.unescape(text).strip()
    if text == "–":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def table(response, slug):
    """The rows of the figure's table on the page, as the team reads them."""
    page = response.content.decode()
    start = page.index(f'<section class="app-impact-figure" aria-labelledby="{slug}">')
    section = page[start : page.index("</section>", start)]
    body = section.partition("<tbody>")[2].partition("</tbody>")[0]
    return [
        tuple(cell_value(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row))
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_a_quarters_figures_match_the_hand_count(fixture, manager_client):
    response = page(manager_client, Q2)
    assert response.context["headline"] == {
        "sessions": 3,
        "people": 38,
        "responses": 3,
        "response_rate": 8,
        "requests": 4,
        "median_days_to_contact": 2.0,
        "contacted": 3,
    }
    text = response.content.decode()
    assert "<dt>Sessions delivered</dt><dd>3</dd>" in text
    assert "<dt>Feedback response rate</dt><dd>8%</dd>" in text
    assert "<dd>2.0 (of 3 contacted)</dd>" in text
    assert table(response, "people-by-sector") == [
        ("School", 28),
        ("Police", 5),
        ("Community group", 3),
        ("Health", 2),
    ]
    assert table(response, "people-by-workshop") == [("WRAP", 25), ("Online safety", 13)]
    assert table(response, "confidence") == [
        ("Understanding what Prevent is", 3.0, 4.3, 1.3),
        ("Recognising signs that someone may be being drawn into extremism", 2.0, 3.3, 1.3),
        ("Knowing how to share a concern and with whom", 2.0, 4.0, 2.0),
    ]
    assert table(response, "requests") == [
        ("New", 1),
        ("Contacted", 1),
        ("Scheduled", 1),
        ("Delivered", 0),
        ("Declined", 1),
    ]
    assert table(response, "reports-by-kind") == [
        ("Leaflet", 2),
        ("Sticker", 1),
        ("Graffiti", 0),
        ("Poster", 0),
        ("Something else", 0),
    ]
    assert table(response, "reports-by-district") == [("SW1A", 2), ("No postcode", 1)]
    assert table(response, "subscribers") == [
        ("Gained (confirmed their sign-up)", 2),
        ("Lost (left)", 1),
    ]
    assert table(response, "searches-found-nothing") == [
        ("radicalisation help", 3),
        ("=cmd|' /C calc'!A0", 2),
    ]


def test_a_financial_years_figures_match_the_hand_count(fixture, manager_client):
    response = page(manager_client, YEAR)
    headline = response.context["headline"]
    assert (headline["sessions"], headline["people"], headline["responses"]) == (5, 49, 4)
    text = response.content.decode()
    assert "<dt>Sessions delivered</dt><dd>5</dd>" in text
    assert "<dt>People trained</dt><dd>49</dd>" in text
    assert "<dt>Feedback responses</dt><dd>4</dd>" in text
    assert table(response, "people-by-sector") == [
        ("School", 35),
        ("Police", 5),
        ("Faith setting", 4),
        ("Community group", 3),
        ("Health", 2),
    ]
    assert table(response, "subscribers")[1] == ("Lost (left)", 2)
    assert table(response, "searches-found-nothing")[-1] == ("prevnet", 1)


def test_the_page_takes_the_same_number_of_queries_whatever_the_period(
    fixture, manager_client, django_assert_num_queries
):
    # 2 for the signed-in user and their session, 1 for their groups, 7 for the figures
    # (attendance, feedback, requests, reports, subscribers gained, lost, and searches), and 2
    # for the permissions behind the admin's side menu.
    for period in (Q2, YEAR, Period(2019, 1)):
        with django_assert_num_queries(12):
            manager_client.get(URL, {"period": period.key})


def test_each_figure_is_an_svg_chart_with_a_title_and_text_alternative_and_its_table(
    fixture, manager_client
):
    html = page(manager_client, Q2).content.decode()
    assert html.count('<svg class="app-chart" role="img"') == 8
    assert '<title id="chart-people-by-sector-title">People trained, by sector, Quarter 2' in html
    assert "A bar for each row: School, 28; Police, 5; Community group, 3; Health, 2." in html
    assert "<script" not in html.split('id="content-main"')[1]
    assert html.count("<table>") == 8


def test_the_chart_colours_meet_3_to_1_against_the_background_and_each_other():
    for colour in charts.COLOURS.values():
        assert charts.contrast(colour, charts.BACKGROUND) >= 3
    assert charts.contrast(charts.COLOURS["before"], charts.COLOURS["after"]) >= 3


def test_each_table_downloads_as_a_formula_safe_csv(fixture, manager_client):
    response = manager_client.get(
        reverse("impact:table-csv", args=["searches-found-nothing"]), {"period": Q2.key}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="searches-found-nothing-2025-26-q2.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows == [
        ["Search", "Times searched"],
        ["radicalisation help", "3"],
        ["'=cmd|' /C calc'!A0", "2"],
    ]
    assert manager_client.get(reverse("impact:table-csv", args=["nope"])).status_code == 404


def test_the_home_office_return_lists_each_sector_at_each_session(fixture, manager_client):
    response = manager_client.get(reverse("impact:home-office-csv"), {"period": Q2.key})
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows == [
        ["Date", "Workshop", "Sector", "Attendees", "Delivered by"],
        ["2025-07-10", "WRAP", "Health", "2", "Aisha Rahman"],
        ["2025-07-10", "WRAP", "School", "18", "Aisha Rahman"],
        ["2025-08-01", "Online safety", "Community group", "3", ""],
        ["2025-08-01", "Online safety", "School", "10", ""],
        ["2025-09-30", "WRAP", "Police", "5", "Aisha Rahman"],
    ]


def test_only_coordinators_managers_and_superusers_see_it(
    editor_client, coordinator_client, manager_client, admin_client
):
    assert Client().get(URL).status_code == 302  # to sign in
    assert editor_client.get(URL).status_code == 403
    assert editor_client.get(reverse("impact:home-office-csv")).status_code == 403
    for allowed in (coordinator_client, manager_client, admin_client):
        assert allowed.get(URL).status_code == 200
    assert (
        f'<a href="{URL}">The team\'s impact</a>'
        in admin_client.get(reverse("admin:index")).content.decode()
    )
    assert (
        reverse("impact:impact") not in editor_client.get(reverse("admin:index")).content.decode()
    )


@pytest.mark.parametrize(
    ("day", "key", "start", "end"),
    [
        (
            datetime.date(2026, 12, 6),
            "2026-27-q3",
            datetime.date(2026, 10, 1),
            datetime.date(2027, 1, 1),
        ),
        (
            datetime.date(2027, 3, 31),
            "2026-27-q4",
            datetime.date(2027, 1, 1),
            datetime.date(2027, 4, 1),
        ),
        (
            datetime.date(2026, 4, 1),
            "2026-27-q1",
            datetime.date(2026, 4, 1),
            datetime.date(2026, 7, 1),
        ),
    ],
)
def test_quarters_run_april_to_march(day, key, start, end):
    period = periods.containing(day)
    assert (period.key, period.first_day, period.end_day) == (key, start, end)
    assert periods.from_key(key) == period


def test_a_malformed_period_means_this_quarter():
    today = datetime.date(2026, 12, 6)
    for key in ("", "2026-28", "2026-27-q5", "<script>", "2026"):
        assert periods.from_key(key, today) == Period(2026, 3)
    assert periods.from_key("2024-25", today) == Period(2024)
    assert Period(2024).label == "Financial year 2024 to 2025"
