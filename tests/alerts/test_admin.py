"""Editors draft banners; only emergency publishers and superusers put them live."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from alerts.models import Banner
from blocks.staff import StaffGroup

pytestmark = pytest.mark.django_db

FORM = {
    "severity": "important",
    "title": "Incident in Westminster",
    "message": "<p>Find out more.</p>",
    "starts_at_0": "",
    "starts_at_1": "",
    "ends_at_0": "",
    "ends_at_1": "",
    "is_live": "on",
}


@pytest.fixture
def publisher_client(django_user_model):
    user = django_user_model.objects.create_user("publisher", is_staff=True)
    user.groups.add(Group.objects.get(name=StaffGroup.EMERGENCY_PUBLISHERS))
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_can_draft_a_banner_but_not_put_it_live(editor_client, client):
    response = editor_client.post(reverse("admin:alerts_banner_add"), FORM)
    assert response.status_code == 302
    banner = Banner.objects.get()
    assert not banner.is_live
    assert "Incident in Westminster" not in client.get("/").text


def test_an_editor_cannot_change_a_live_banner(editor_client):
    banner = Banner.objects.create(title="Live", message="<p>m</p>", is_live=True)
    url = reverse("admin:alerts_banner_change", args=[banner.pk])
    editor_client.post(url, {**FORM, "title": "Changed"})
    banner.refresh_from_db()
    assert banner.title == "Live"


def test_an_emergency_publisher_puts_a_banner_live_and_it_shows(publisher_client, client):
    response = publisher_client.post(
        reverse("admin:alerts_banner_add"), {**FORM, "page_kinds": ["home", "newsletters"]}
    )
    assert response.status_code == 302
    banner = Banner.objects.get()
    assert banner.is_live and banner.page_kinds == ["home", "newsletters"]
    assert "Incident in Westminster" in client.get("/").text


def test_an_emergency_banner_cannot_be_made_hideable_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:alerts_banner_add"), {**FORM, "severity": "emergency", "dismissible": "on"}
    )
    assert response.status_code == 200
    assert "People cannot hide an emergency banner." in response.text
    assert not Banner.objects.exists()
