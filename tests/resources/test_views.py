import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from prevent_site.publishing import Status
from resources.models import FundingScheme
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


def test_a_closed_scheme_never_reads_as_open_on_its_list_or_its_page(client):
    scheme = make_scheme(
        name="Places of Worship Security Funding Scheme",
        opens_on=datetime.date(2023, 6, 21),
        closes_on=datetime.date(2023, 8, 15),
        how_to_apply="Read the Home Office guidance before you apply.",
    )
    sentence = "Applications opened on 21 June 2023 and closed on 15 August 2023."
    for url in (reverse("resources:scheme-list"), scheme.get_absolute_url()):
        body = client.get(url).content.decode()
        assert 'govuk-tag--grey">Closed<' in body, url
        assert sentence in body, url
        assert not re.search(r"Applications (are )?open\b", body), url


def test_the_july_2023_schemes_say_only_what_their_dates_say(client):
    call_command("load_initial_content", verbosity=0)
    for scheme in FundingScheme.objects.all():
        body = client.get(scheme.get_absolute_url()).content.decode()
        assert "Applications opened on 21 June 2023 and closed on 15 August 2023." in body
        # The typed "how to apply" no longer repeats the window in words of its own.
        assert "are open" not in scheme.how_to_apply
        assert "21 June 2023" not in scheme.how_to_apply


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
