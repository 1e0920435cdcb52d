"""Review-by dates (blocks/reviews.py): the defaults, the migrations' values, the admin's "Due
for review" list, the status page's warning, and public pages that never show the dates."""

import datetime
import importlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blocks import reviews
from blocks.models import StatutoryPage
from resources.models import Contact, FundingScheme, HelpRoute, ResourceLink
from tests.factories import (
    make_contact,
    make_help_route,
    make_link,
    make_scheme,
    make_workshop,
)
from training.models import Workshop

pytestmark = pytest.mark.django_db

STATUS = "/admin/status/"


def today():
    return timezone.localdate()


def days_ago(days):
    return today() - datetime.timedelta(days=days)


def due_list(html):
    """The admin home's "Due for review" rows: [(item, its link, kind)]."""
    table = re.search(r'<div class="module" id="due-for-review">(.*?)</table>', html, re.S)
    if table is None:
        return []
    return [
        (text, link, kind)
        for link, text, kind in re.findall(
            r'<th scope="row"><a href="([^"]+)">(.*?)</a></th>\s*<td>(.*?)</td>', table.group(1)
        )
    ]


def staff_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user(
        f"staff-{'-'.join(codenames) or 'none'}@westminster.gov.uk", is_staff=True
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


# --- Models and defaults ------------------------------------------------------------------------


def test_months_are_added_to_the_same_day_or_the_shorter_months_last():
    assert reviews.add_months(datetime.date(2026, 3, 15), 12) == datetime.date(2027, 3, 15)
    assert reviews.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert reviews.add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert reviews.add_months(datetime.date(2026, 12, 6), -3) == datetime.date(2026, 9, 6)


def test_a_new_item_is_next_due_a_year_on_and_a_way_to_get_help_six_months_on():
    in_a_year, in_six_months = reviews.add_months(today(), 12), reviews.add_months(today(), 6)
    for item in (make_contact(), make_link(), make_scheme(), make_workshop()):
        assert item.next_review_on == in_a_year, item
        assert item.last_checked_at is not None, item
    route = make_help_route()
    assert route.next_review_on == in_six_months
    assert HelpRoute.review_months() == 6 and Contact.review_months() == 12


def test_a_next_review_left_empty_is_the_usual_period_after_the_last_check():
    checked = timezone.now() - datetime.timedelta(days=40)
    route = make_help_route(last_checked_at=checked, next_review_on=None)
    assert route.next_review_on == reviews.add_months(timezone.localdate(checked), 6)


def test_marking_checked_records_who_and_when_and_moves_the_next_review_on(admin_user):
    contact = make_contact(next_review_on=days_ago(30))
    route = make_help_route(next_review_on=days_ago(30))
    moment = timezone.now()
    contact.mark_checked(admin_user, moment)
    route.mark_checked(admin_user, moment)
    for item in (contact, route):
        item.refresh_from_db()
        assert item.last_checked_at == moment
        assert item.last_checked_by == admin_user
    assert contact.next_review_on == reviews.add_months(timezone.localdate(moment), 12)
    assert route.next_review_on == reviews.add_months(timezone.localdate(moment), 6)


def test_every_content_model_the_issue_names_is_registered_for_review():
    assert set(reviews.registered_models()) == {
        HelpRoute,
        Contact,
        Workshop,
        FundingScheme,
        ResourceLink,
        StatutoryPage,
    }


# --- What the migrations and load_initial_content leave -----------------------------------------


def test_the_statutory_pages_have_a_row_each_from_the_migration():
    accessibility = StatutoryPage.objects.get(url_name="accessibility")
    # The statement says it was last reviewed then.
    assert timezone.localdate(accessibility.last_checked_at) == datetime.date(2026, 11, 27)
    assert accessibility.next_review_on == datetime.date(2027, 11, 27)
    assert accessibility.get_absolute_url() == "/accessibility/"
    privacy = StatutoryPage.objects.get(url_name="privacy")
    assert privacy.last_checked_at is None
    assert privacy.last_checked_words == "Never"
    assert privacy.get_absolute_url() == "/privacy/"


@pytest.mark.parametrize(
    ("migration", "app_label", "names"),
    [
        (
            "resources.migrations.0008_review_dates",
            "resources",
            ["Contact", "FundingScheme", "HelpRoute", "ResourceLink"],
        ),
        ("training.migrations.0010_review_dates", "training", ["Workshop"]),
    ],
)
def test_the_migration_makes_what_was_there_due_at_once_and_never_checked(
    migration, app_label, names, admin_user
):
    items = [make_contact(), make_help_route(), make_link(), make_scheme(), make_workshop()]
    for item in items:
        item.mark_checked(admin_user)
    importlib.import_module(migration).due_now(apps, None)
    for item in items:
        item.refresh_from_db()
        migrated = item._meta.app_label == app_label and item._meta.object_name in names
        assert (item.next_review_on == today()) is migrated, item
        assert (item.last_checked_at is None and item.last_checked_by is None) is migrated


def test_load_initial_content_makes_its_items_due_at_once_and_leaves_checks_alone_after(
    admin_user,
):
    call_command("load_initial_content", stdout=StringIO())
    route = HelpRoute.objects.get(slug="act-early-support-line")
    assert route.next_review_on == today()
    assert route.last_checked_at is None
    assert Contact.objects.filter(next_review_on=today()).count() == Contact.objects.count()

    route.mark_checked(admin_user)
    call_command("load_initial_content", stdout=StringIO())
    route.refresh_from_db()
    assert route.last_checked_by == admin_user
    assert route.next_review_on == reviews.add_months(today(), 6)


# --- The admin's home page ----------------------------------------------------------------------


def test_the_admin_home_lists_what_is_due_or_overdue_and_not_what_is_not_yet(editor_client):
    StatutoryPage.objects.update(next_review_on=reviews.add_months(today(), 2))
    overdue = make_help_route(name="Overdue line", next_review_on=days_ago(10))
    due_today = make_contact(service="Due today service", next_review_on=today())
    make_link(title="Not yet due link", next_review_on=today() + datetime.timedelta(days=1))
    make_scheme(name="Checked scheme")  # a year from now

    rows = due_list(editor_client.get(reverse("admin:index")).text)

    assert rows == [
        (
            "Overdue line (Family, friends and the public)",
            reverse("admin:resources_helproute_change", args=[overdue.pk]),
            "Way to get help",
        ),
        (
            "Due today service",
            reverse("admin:resources_contact_change", args=[due_today.pk]),
            "Contact",
        ),
    ]
    html = editor_client.get(reverse("admin:index")).text
    assert "10 days overdue<br>" in html
    assert "Today<br>" in html


def test_the_admin_home_lists_only_what_each_member_of_staff_may_change(django_user_model):
    StatutoryPage.objects.update(next_review_on=reviews.add_months(today(), 2))
    make_help_route(name="Overdue line", next_review_on=days_ago(10))
    make_contact(service="Overdue service", next_review_on=days_ago(10))

    contacts_only = staff_with(django_user_model, "change_contact", "view_helproute")
    assert [row[0] for row in due_list(contacts_only.get(reverse("admin:index")).text)] == [
        "Overdue service"
    ]
    viewer = staff_with(django_user_model, "view_contact", "view_helproute")
    html = viewer.get(reverse("admin:index")).text
    assert due_list(html) == []
    assert "Due for review" not in html


def test_nothing_due_shows_no_list(editor_client):
    StatutoryPage.objects.update(next_review_on=reviews.add_months(today(), 2))
    make_help_route()
    assert "Due for review" not in editor_client.get(reverse("admin:index")).text


@pytest.mark.parametrize("count", [1, 10])
def test_the_admin_home_takes_the_same_number_of_queries_however_much_is_due(
    admin_client, django_assert_num_queries, admin_user, count
):
    for n in range(count):
        make_help_route(next_review_on=days_ago(n)).mark_checked(admin_user)
        make_contact(next_review_on=days_ago(n))
        make_link(next_review_on=days_ago(n))
    HelpRoute.objects.update(next_review_on=days_ago(1))
    admin_client.get(reverse("admin:index"))  # the session's first reads
    # Session and user; the long-overdue ways to get help and the outbox's warnings (1 + 3);
    # one for each of the six reviewed models; the sidebar's recent actions.
    with django_assert_num_queries(13):
        response = admin_client.get(reverse("admin:index"))
    assert len(due_list(response.text)) == 3 * count + 1  # and the privacy notice


# --- The status page's warning ------------------------------------------------------------------


def test_a_way_to_get_help_more_than_three_months_overdue_warns_the_team(editor_client):
    three_months_ago = reviews.add_months(today(), -3)
    make_help_route(name="Forgotten line", next_review_on=three_months_ago - datetime.timedelta(1))
    make_help_route(name="Late line", next_review_on=reviews.add_months(today(), -2))
    make_help_route(name="Just three months", next_review_on=three_months_ago)
    # Other content this late is listed, not warned about.
    make_contact(service="Old service", next_review_on=reviews.add_months(today(), -6))

    for page in (STATUS, reverse("admin:index")):
        warnings = re.findall(
            r'<li class="warning">(.*?)(?: <a href|</li>)', editor_client.get(page).text, re.S
        )
        [warning] = [w for w in warnings if "review date" in w]
        assert warning.startswith(
            "1 way to get help is more than 3 months past its review date: Forgotten line"
        ), page
        assert "Late line" not in warning
        assert "Just three months" not in warning
        assert "Old service" not in warning


def test_no_warning_when_every_way_to_get_help_is_at_most_three_months_overdue(editor_client):
    make_help_route(next_review_on=reviews.add_months(today(), -2))
    assert "review date" not in editor_client.get(STATUS).text


# --- Public pages -------------------------------------------------------------------------------


def test_public_pages_never_show_review_dates(client, admin_user):
    # Dates no page would show otherwise, in the forms a page could write them.
    checked = timezone.make_aware(datetime.datetime(2025, 2, 3, 10, 0))
    next_review = datetime.date(2025, 4, 7)
    items = [
        make_help_route(),
        make_contact(),
        make_link(),
        make_scheme(),
        make_workshop(),
    ]
    for model in reviews.registered_models():
        model.objects.update(
            last_checked_at=checked, last_checked_by=admin_user, next_review_on=next_review
        )
    pages = [
        "/",
        reverse("resources:help-route-list"),
        reverse("resources:contact-list"),
        reverse("resources:link-list"),
        reverse("resources:scheme-list"),
        items[3].get_absolute_url(),
        reverse("training:workshop-list"),
        items[4].get_absolute_url(),
        reverse("accessibility"),
        reverse("privacy"),
        reverse("search:search") + "?q=helpline",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for shown in (
            "2025-04-07",
            "7 April 2025",
            "7 Apr 2025",
            "2025-02-03",
            "3 February 2025",
            "3 Feb 2025",
            "next review",
            "Next review",
            "last checked",
            "Last checked",
            admin_user.username,
        ):
            assert shown not in text, (url, shown)
