"""The sensitive pages carry Exit this page and say where to read about staying safe online."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SENSITIVE = ["resources:help-route-list", "reports:report", "staying-safe-online"]


@pytest.mark.parametrize("name", SENSITIVE)
def test_sensitive_pages_have_the_exit_button_to_the_configured_page(client, settings, name):
    settings.EXIT_THIS_PAGE_URL = "https://www.example.org/news"
    response = client.get(reverse(name))
    html = response.content.decode()
    assert 'data-module="app-exit-this-page"' in html
    assert 'href="https://www.example.org/news"' in html
    assert 'rel="nofollow noreferrer"' in html
    # Nothing marks the visit: only the cookies on the cookies page (the report form's csrftoken).
    assert set(response.cookies) <= {"csrftoken"}


@pytest.mark.parametrize("name", ["resources:help-route-list", "reports:report"])
def test_sensitive_pages_say_what_the_button_does_not_do_and_link_to_staying_safe(client, name):
    html = client.get(reverse(name)).content.decode()
    assert "It does not clear your browsing history" in html
    assert f'href="{reverse("staying-safe-online")}"' in html


def test_an_ordinary_page_has_no_exit_button(client):
    assert "Exit this page" not in client.get(reverse("training:workshop-list")).content.decode()


def test_staying_safe_online_covers_private_browsing_history_and_other_devices(client):
    html = client.get(reverse("staying-safe-online")).content.decode()
    for heading in (
        "Use private browsing",
        "Clear your browsing history",
        "Using someone else’s phone or computer",
    ):
        assert heading in html


@pytest.mark.parametrize(
    "language, button, safe",
    [
        ("ar", "اخرج من هذه الصفحة", "البقاء آمنًا على الإنترنت"),
        ("bn", "এই পেজ থেকে বেরিয়ে যান", "অনলাইনে নিরাপদ থাকা"),
    ],
)
def test_in_arabic_and_bengali_the_button_and_the_safety_page_are_in_that_language(
    client, language, button, safe
):
    help_page = client.get(f"/{language}/worried-about-someone/").text
    # First in the page, before the note that the translation is unchecked.
    assert help_page.index(button) < help_page.index("A qualified translator has not checked")
    # The note links to the safety page in the same language.
    assert f'href="/{language}/staying-safe-online/"' in help_page
    response = client.get(f"/{language}/staying-safe-online/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.text
    assert f'<h1 class="govuk-heading-xl">{safe}</h1>' in response.text
    assert button in response.text
