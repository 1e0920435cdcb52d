import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blocks.publishing import Status
from resources.models import FundingScheme, HelpRoute
from tests.factories import (
    make_contact,
    make_help_route,
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


# --- "Worried about someone?" ---------------------------------------------------------------


def test_worried_page_shows_each_route_with_its_tel_link_and_hours(client):
    make_help_route(
        name="ACT Early Support Line",
        phone="0800 011 3764",
        textphone="18001 101",
        hours="Every day, 9am to 5pm.",
        description="Call if you are worried about someone.",
    )
    make_help_route(
        name="Anti-Terrorist Hotline",
        part=HelpRoute.Part.SUSPICIOUS,
        phone="0800 789 321",
        hours="24 hours a day",
    )
    make_help_route(
        name="ACT Early",
        phone="",
        hours="",
        url="https://actearly.uk/",
    )

    body = client.get("/worried-about-someone/").content.decode()

    assert ">ACT Early Support Line</h3>" in body
    assert "Call if you are worried about someone." in body
    assert '<a class="govuk-link" href="tel:08000113764">0800 011 3764</a>' in body
    assert '<a class="govuk-link" href="tel:18001101">18001 101</a>' in body
    assert "<li>Every day, 9am to 5pm.</li>" in body
    assert '<a class="govuk-link" href="tel:0800789321">0800 789 321</a>' in body
    assert "<li>24 hours a day</li>" in body
    assert '<a class="govuk-link" href="https://actearly.uk/">actearly.uk</a>' in body


def test_worried_page_starts_with_999_then_follows_the_order_a_worried_person_needs(client):
    parts = HelpRoute.Part
    # Made in the reverse of the page's order: the page's parts decide, not the database.
    make_help_route(name="Adult Social Care", part=parts.SAFEGUARDING)
    make_help_route(name="Report content online", part=parts.ONLINE)
    make_help_route(name="Anti-Terrorist Hotline", part=parts.SUSPICIOUS)
    make_help_route(name="Prevent team for professionals", part=parts.PROFESSIONALS)
    make_help_route(name="ACT Early Support Line", slug="act-early-support-line", part=parts.PUBLIC)

    body = client.get(reverse("resources:help-route-list")).content.decode()

    in_order = [
        'class="govuk-warning-text"',
        'href="tel:999">999</a>',
        'href="#what-happens-next"',
        "If you are a family member, friend or member of the public",
        'id="act-early-support-line"',
        "If you work with children, young people or adults at risk",
        "designated safeguarding lead first",
        "Prevent team for professionals",
        "If you see something suspicious",
        "Anti-Terrorist Hotline",
        "If you see terrorist or extremist content online",
        "Report content online",
        "If you are worried about the safety of a child or an adult",
        "Adult Social Care",
        'id="what-happens-next">What happens after you share a concern</h2>',
        "Sharing a worry is not accusing anyone",
        "Support through Channel is voluntary and confidential",
    ]
    positions = [body.index(text) for text in in_order]
    assert [text for _, text in sorted(zip(positions, in_order, strict=True))] == in_order


def test_worried_page_starts_with_the_first_number_to_call_and_a_link_to_what_happens_next(
    client,
):
    make_help_route(name="ACT Early", phone="", url="https://actearly.uk/", order=1)
    make_help_route(name="ACT Early Support Line", phone="0800 011 3764", order=2)
    make_help_route(name="Later line", phone="020 7946 0999", order=3)
    make_help_route(
        name="Anti-Terrorist Hotline",
        part=HelpRoute.Part.SUSPICIOUS,
        phone="0800 789 321",
        order=0,
    )

    body = client.get(reverse("resources:help-route-list")).content.decode()
    top = body[body.index("<h1") : body.index("If you are a family member, friend")]

    # The public's first way to get help that has a number, as the team ordered them.
    assert re.search(
        r"Call the ACT Early Support Line on\s*"
        r'<a class="govuk-link" href="tel:08000113764">0800 011 3764</a>',
        top,
    )
    assert "0800 789 321" not in top and "020 7946 0999" not in top
    assert (
        '<a class="govuk-link" href="#what-happens-next">'
        "What happens after you share a concern</a>" in top
    )
    assert (
        '<h2 class="govuk-heading-l govuk-!-margin-top-8" id="what-happens-next">'
        "What happens after you share a concern</h2>" in body
    )


def test_worried_page_without_a_number_to_call_still_links_to_what_happens_next(client):
    make_help_route(name="ACT Early", phone="", url="https://actearly.uk/")
    body = client.get(reverse("resources:help-route-list")).content.decode()
    top = body[body.index("<h1") : body.index("If you are a family member, friend")]
    assert "Call the" not in top
    assert 'href="#what-happens-next"' in top


def test_worried_page_lists_routes_in_the_order_the_team_gave_them(client):
    make_help_route(name="Second helpline", order=2)
    make_help_route(name="First helpline", order=1)
    make_help_route(name="Third helpline", order=3)

    body = client.get(reverse("resources:help-route-list")).content.decode()

    assert body.index("First helpline") < body.index("Second helpline") < body.index("Third")


def test_worried_page_links_to_the_form_to_report_leaflets(client):
    body = client.get(reverse("resources:help-route-list")).content.decode()
    assert (
        '<a class="govuk-link" href="/report/">Report extremist leaflets, stickers or graffiti</a>'
        in body
    )
    # The form is the way to report them now, not an email to the team.
    assert "To report extremist leaflets, stickers or graffiti" not in body


def test_worried_page_has_its_own_title_description_breadcrumb_and_one_h1(client):
    body = client.get(reverse("resources:help-route-list")).content.decode()
    assert "<title>Worried about someone? – Westminster Prevent team</title>" in body
    assert '<meta name="description" content="What to do if you are worried' in body
    assert body.count("<h1") == 1
    current = '<li class="govuk-breadcrumbs__list-item" aria-current="page">'
    assert f"{current}Worried about someone?</li>" in body


def test_each_route_has_the_anchor_its_address_points_to(client):
    route = make_help_route(slug="act-early-support-line")
    page, anchor = route.get_absolute_url().split("#")
    assert page == "/worried-about-someone/"
    assert client.get(page).content.decode().count(f'id="{anchor}"') == 1


@pytest.mark.parametrize("path", ["/", "/team/", "/worried-about-someone/", "/privacy/"])
def test_every_page_links_to_the_worried_page_from_the_menu_and_footer(client, path):
    body = client.get(path).content.decode()
    start = body.index('<nav aria-label="Menu"')
    menu = body[start : body.index("</nav>", start)]
    footer = body[body.index('<footer class="govuk-footer">') :]
    assert 'href="/worried-about-someone/"' in menu
    assert 'href="/worried-about-someone/"' in footer
    # One tap to call from every page, as on the help and report pages.
    assert 'call <a class="govuk-footer__link" href="tel:999">999</a>.' in footer


def test_home_page_links_to_the_worried_page_near_the_top(client):
    body = client.get("/").content.decode()
    inset = body.index('<div class="govuk-inset-text">')
    assert body.index("<h1") < inset < body.index("Free training")
    assert '<h2 class="govuk-heading-m">Worried about someone?</h2>' in body[inset:]
    assert 'href="/worried-about-someone/">Find out where to get help</a>' in body[inset:]


def test_worried_page_is_marked_as_the_current_menu_item(client):
    body = client.get("/worried-about-someone/").content.decode()
    fallback = '<strong class="govuk-service-navigation__active-fallback">'
    assert f'aria-current="true">{fallback}Worried about someone?</strong>' in body


def test_worried_page_is_in_the_sitemap(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/worried-about-someone/</loc>" in sitemap


def test_a_changed_route_purges_the_front_cache_and_shows(
    client, front_cache_purges, django_capture_on_commit_callbacks
):
    route = make_help_route(name="ACT Early Support Line", hours="Every day, 9am to 5pm")
    response = client.get("/worried-about-someone/")
    assert "Every day, 9am to 5pm" in response.content.decode()
    assert "s-maxage=60" in response["Cache-Control"]

    with django_capture_on_commit_callbacks(execute=True):
        route.hours = "Every day, 8am to 8pm"
        route.save()
    assert front_cache_purges.waiting() == 1

    body = client.get("/worried-about-someone/").content.decode()
    assert "Every day, 8am to 8pm" in body and "9am to 5pm" not in body
