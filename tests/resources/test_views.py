import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_site.publishing import Status
from tests.factories import (
    make_contact,
    make_issue,
    make_link,
    make_member,
    make_scheme,
    make_section,
)

pytestmark = pytest.mark.django_db


def test_schemes_show_open_opens_on_or_closed(client):
    today = timezone.localdate()
    make_scheme(name="Open scheme")
    make_scheme(
        name="Later scheme",
        opens_on=datetime.date(2099, 3, 1),
        closes_on=datetime.date(2099, 4, 1),
    )
    make_scheme(
        name="Old scheme",
        opens_on=today - datetime.timedelta(days=90),
        closes_on=today - datetime.timedelta(days=60),
    )
    make_scheme(name="Draft scheme", status=Status.DRAFT)
    body = client.get(reverse("resources:scheme-list")).content.decode()
    assert 'govuk-tag--green">Open<' in body
    assert "Opens on 1 March 2099" in body
    assert 'govuk-tag--grey">Closed<' in body
    assert "Draft scheme" not in body


def test_team_member_without_photo_gets_initials_placeholder(client):
    make_member(name="Kiran Malik", role="Prevent Programme Manager")
    body = client.get(reverse("resources:team")).content.decode()
    assert "Prevent Programme Manager" in body
    assert '<span class="app-avatar" aria-hidden="true">KM</span>' in body


def test_resource_without_address_is_shown_without_a_link(client):
    make_link(title="Going Too Far?", url="", publisher="LGfL")
    linked = make_link(title="Educate Against Hate", url="https://www.educateagainsthate.com/")
    body = client.get(reverse("resources:link-list")).content.decode()
    assert "Going Too Far?" in body and "(LGfL)" in body
    assert f'href="{linked.url}"' in body
    assert '<a class="govuk-link" href="">' not in body


def test_contacts_page_lists_emails(client):
    make_contact(service="Adult Social Care", email="adultsocialcare@westminster.gov.uk")
    body = client.get(reverse("resources:contact-list")).content.decode()
    assert 'href="mailto:adultsocialcare@westminster.gov.uk"' in body


def test_unknown_scheme_gives_404(client):
    assert client.get(reverse("resources:scheme-detail", args=["nope"])).status_code == 404


def test_team_contacts_and_resources_each_have_the_anchor_their_address_points_to(client):
    for item in (make_member(), make_contact(), make_link()):
        page, anchor = item.get_absolute_url().split("#")
        assert client.get(page).content.decode().count(f'id="{anchor}"') == 1, item


def test_issue_listing_a_contact_in_two_sections_repeats_no_id(client):
    contact = make_contact()
    issue = make_issue()
    for _ in range(2):
        make_section(issue).contacts.add(contact)
    body = client.get(issue.get_absolute_url()).content.decode()
    assert body.count(contact.email) >= 2
    assert f'id="{contact.slug}"' not in body


def test_draft_and_scheduled_schemes_404_and_are_not_open_on_home(client):
    from tests.factories import future

    draft = make_scheme(name="Draft fund", status=Status.DRAFT)
    scheduled = make_scheme(name="Scheduled fund", publish_at=future())
    home = client.get("/").content.decode()
    for scheme in (draft, scheduled):
        assert client.get(scheme.get_absolute_url()).status_code == 404
        assert scheme.name not in home
