"""Marking content checked in the admin: "Mark as checked" for a list's selected items and
"Save and mark as checked" on an item's page, each recording who and when, moving the next
review on, and written in the item's history; only for staff who may change the item."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blocks import reviews
from blocks.models import StatutoryPage
from resources.models import HelpRoute
from scripts.bench.client import AdminForm
from tests import factories
from tests.resources.test_admin import help_route_form

pytestmark = pytest.mark.django_db

LATE = datetime.date(2026, 1, 5)


def today():
    return timezone.localdate()


def run_action(client, url_name, items, action="mark_checked"):
    return client.post(
        reverse(url_name),
        {"action": action, "_selected_action": [item.pk for item in items], "index": "0"},
    )


def change_form(client, item):
    url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
    form = AdminForm()
    response = client.get(url)
    form.feed(response.text)
    return url, response, form.data


def history(item):
    return LogEntry.objects.filter(object_id=str(item.pk), action_flag=CHANGE).filter(
        content_type__model=item._meta.model_name
    )


def test_mark_as_checked_in_a_list_records_who_and_when_and_moves_each_review_on(
    editor_client, content_editor
):
    routes = [factories.make_help_route(next_review_on=LATE) for _ in range(2)]
    untouched = factories.make_help_route(next_review_on=LATE)
    before = timezone.now()

    response = run_action(editor_client, "admin:resources_helproute_changelist", routes)

    assert response.status_code == 302
    for route in routes:
        route.refresh_from_db()
        assert route.last_checked_by == content_editor
        assert route.last_checked_at >= before
        assert route.next_review_on == reviews.add_months(today(), 6)
        [entry] = history(route)
        assert entry.user == content_editor
        assert entry.get_change_message() == "Changed Last checked and Next review."
    untouched.refresh_from_db()
    assert untouched.next_review_on == LATE and not history(untouched).exists()
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages == ["Marked 2 items as checked."]


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("admin:resources_contact_changelist", factories.make_contact),
        ("admin:resources_resourcelink_changelist", factories.make_link),
        ("admin:resources_fundingscheme_changelist", factories.make_scheme),
        ("admin:training_workshop_changelist", factories.make_workshop),
    ],
)
def test_mark_as_checked_moves_other_content_a_year_on(editor_client, url_name, make):
    item = make(next_review_on=LATE)
    assert run_action(editor_client, url_name, [item]).status_code == 302
    item.refresh_from_db()
    assert item.next_review_on == reviews.add_months(today(), 12)
    assert history(item).count() == 1


def staff_who_may_only_view(django_user_model):
    user = django_user_model.objects.create_user("viewer@westminster.gov.uk", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_helproute"))
    client = Client()
    client.force_login(user)
    return client


def test_staff_who_may_only_view_cannot_mark_anything_checked(django_user_model):
    viewer = staff_who_may_only_view(django_user_model)
    route = factories.make_help_route(next_review_on=LATE)

    listing = viewer.get(reverse("admin:resources_helproute_changelist"))
    assert listing.status_code == 200
    assert "Mark as checked" not in listing.text
    run_action(viewer, "admin:resources_helproute_changelist", [route])

    url, page, data = change_form(viewer, route)
    assert 'name="_mark_checked"' not in page.text
    assert viewer.post(url, {**data, "_mark_checked": "1"}).status_code == 403

    route.refresh_from_db()
    assert route.next_review_on == LATE and route.last_checked_by is None
    assert not history(route).exists()


def test_save_and_mark_as_checked_on_an_items_page(editor_client, content_editor):
    route = factories.make_help_route(next_review_on=LATE, hours="Office hours")
    url, page, data = change_form(editor_client, route)
    assert 'value="Save and mark as checked" name="_mark_checked"' in page.text
    # After the Save button, so that Enter in a field saves as usual.
    assert page.text.index('name="_save"') < page.text.index('name="_mark_checked"')
    assert "Last checked" in page.text

    data["hours_en_gb"] = "Every day, 9am to 5pm"  # English, beside the Arabic and Bengali
    response = editor_client.post(url, {**data, "_mark_checked": "Save and mark as checked"})

    assert response.status_code == 302
    assert response["Location"] == url
    route.refresh_from_db()
    assert route.hours == "Every day, 9am to 5pm"  # the edit is saved too
    assert route.last_checked_by == content_editor
    assert route.next_review_on == reviews.add_months(today(), 6)
    [entry] = history(route)
    assert entry.get_change_message() == (
        "Changed When [en-gb]. Changed Last checked and Next review."
    )
    page = editor_client.get(url).text
    assert f"{timezone.localtime(route.last_checked_at):%-d %B %Y} by" in page


def test_a_next_review_chosen_in_the_same_save_is_kept(editor_client):
    contact = factories.make_contact(next_review_on=LATE, last_checked_at=None)
    url, _, data = change_form(editor_client, contact)
    chosen = today() + datetime.timedelta(days=30)
    data["next_review_on"] = chosen.strftime("%d/%m/%Y")
    editor_client.post(url, {**data, "_mark_checked": "1"})
    contact.refresh_from_db()
    assert contact.next_review_on == chosen
    assert contact.last_checked_at is not None


def test_plain_save_does_not_mark_an_item_checked(editor_client):
    contact = factories.make_contact(next_review_on=LATE, last_checked_at=None)
    url, _, data = change_form(editor_client, contact)
    assert editor_client.post(url, data).status_code == 302
    contact.refresh_from_db()
    assert contact.next_review_on == LATE and contact.last_checked_at is None


def test_adding_an_item_in_the_admin_counts_as_checking_it(editor_client, content_editor):
    response = editor_client.post(reverse("admin:resources_helproute_add"), help_route_form())
    assert response.status_code == 302
    route = HelpRoute.objects.get()
    assert route.last_checked_by == content_editor
    assert route.next_review_on == reviews.add_months(today(), 6)


def test_content_editors_mark_a_statutory_page_checked_but_cannot_add_or_delete_one(
    editor_client, content_editor
):
    privacy = StatutoryPage.objects.get(url_name="privacy")
    url, page, data = change_form(editor_client, privacy)
    assert "templates/pages/privacy.html" in page.text
    assert editor_client.post(url, {**data, "_mark_checked": "1"}).status_code == 302
    privacy.refresh_from_db()
    assert privacy.last_checked_by == content_editor
    assert privacy.next_review_on == reviews.add_months(today(), 12)

    assert editor_client.get(reverse("admin:prevent_site_statutorypage_add")).status_code == 403
    delete = reverse("admin:prevent_site_statutorypage_delete", args=[privacy.pk])
    assert editor_client.get(delete).status_code == 403


def test_lists_filter_what_is_due(editor_client):
    factories.make_contact(service="Late service", next_review_on=LATE)
    factories.make_contact(service="Soon service", next_review_on=today() + datetime.timedelta(20))
    factories.make_contact(service="Checked service")
    url = reverse("admin:resources_contact_changelist")

    due = editor_client.get(url, {"review": "due"}).text
    assert "Late service" in due and "Soon service" not in due
    month = editor_client.get(url, {"review": "month"}).text
    assert "Late service" in month and "Soon service" in month
    assert "Checked service" not in month
