"""Signing in to the site editor: wherever a sign-in starts, it ends on a page that exists."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "kettle-harbour-lantern-42"


@pytest.fixture
def editor(content_editor):
    content_editor.set_password(PASSWORD)
    content_editor.save()
    return content_editor


@pytest.mark.parametrize(
    "posted_next",
    [{"next": "https://evil.example/"}, {}],
    ids=["refused address in the form", "refused address in the query string only"],
)
def test_sign_in_with_an_off_site_next_address_lands_on_the_site_editor_home(editor, posted_next):
    browser = Client()
    login_url = reverse("admin:login") + "?next=https://evil.example/"
    assert browser.get(login_url).status_code == 200

    response = browser.post(
        login_url, {"username": editor.username, "password": PASSWORD, **posted_next}, follow=True
    )

    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert response.status_code == 200
    assert "Pages and content" in response.text


def test_sign_in_link_after_choosing_a_password_opens_the_sign_in_page(editor):
    browser = Client()

    done = browser.get(reverse("password_reset_complete"))

    [link] = re.findall(r'<a href="([^"]+)">Log in</a>', done.text)
    assert link == reverse("admin:login")
    assert browser.get(link).status_code == 200
