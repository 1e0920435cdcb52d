"""The banner is in the HTML Django renders, so a front cache keeps it with the page."""

import pytest
from django.urls import reverse

from alerts.models import Banner, PageKind, Severity

pytestmark = pytest.mark.django_db


def live(**fields):
    return Banner.objects.create(
        **{
            "title": "Incident in Westminster",
            "message": "<p>Read <a href='https://example.org/news'>the latest</a>.</p>",
            "is_live": True,
            **fields,
        }
    )


def test_a_live_banner_is_on_every_page_as_a_gov_uk_notification_banner(client):
    live(severity=Severity.IMPORTANT)
    for url in (reverse("home"), reverse("training:workshop-list"), reverse("cookies")):
        html = client.get(url).content.decode()
        assert "Incident in Westminster" in html, url
        assert 'class="govuk-notification-banner ' in html
        # A region, as GOV.UK's banner is for anything but success: not announced on every page.
        assert 'role="region"' in html and 'role="alert"' not in html
        assert 'href="https://example.org/news"' in html


def test_a_draft_banner_is_not_shown(client):
    live(is_live=False)
    assert "Incident in Westminster" not in client.get(reverse("home")).content.decode()


def test_a_banner_for_chosen_kinds_of_page_is_only_on_those(client):
    live(page_kinds=[PageKind.HELP])
    assert "Incident in Westminster" in client.get(reverse("resources:help-route-list")).text
    assert "Incident in Westminster" in client.get(reverse("reports:report")).text
    assert "Incident in Westminster" not in client.get(reverse("home")).text


def test_an_emergency_banner_is_red_and_has_no_hide_button(client):
    live(severity=Severity.EMERGENCY)
    html = client.get(reverse("home")).text
    assert "app-notification-banner--emergency" in html
    assert "Hide this message" not in html


def test_a_banner_people_may_hide_has_a_button_that_needs_javascript(client):
    shown = live(dismissible=True)
    html = client.get(reverse("home")).text
    assert f'data-app-hide-key="{shown.hide_key}"' in html
    assert "data-app-hide-button hidden>Hide this message</button>" in html


def test_the_cookies_page_says_a_hidden_banner_is_remembered_without_a_cookie(client):
    html = client.get(reverse("cookies")).text
    assert "local storage" in html and "hidden-banners" in html


def test_an_emergency_comes_before_other_banners_whatever_was_saved_last(client):
    live(severity=Severity.EMERGENCY, title="Incident in Westminster")
    live(severity=Severity.NOTICE, title="Office closed on Friday")
    live(severity=Severity.IMPORTANT, title="New support line")
    html = client.get(reverse("home")).text
    positions = [
        html.index(title)
        for title in ("Incident in Westminster", "New support line", "Office closed on Friday")
    ]
    assert positions == sorted(positions)


def test_on_an_arabic_page_the_heading_is_arabic_and_the_teams_english_is_marked_english(client):
    live(severity=Severity.EMERGENCY)
    html = client.get("/ar/worried-about-someone/").text
    assert ">طوارئ</h2>" in html
    start = html.index('class="govuk-notification-banner__content"')
    content = html[start : html.index("Incident in Westminster", start)]
    assert '<div lang="en-GB" dir="ltr">' in content
    # On an English page nothing needs marking.
    assert '<div lang="en-GB" dir="ltr">' not in client.get("/").text
