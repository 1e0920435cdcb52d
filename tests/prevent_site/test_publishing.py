import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blocks.publishing import Status
from newsletters.models import Issue
from tests import factories

pytestmark = pytest.mark.django_db

BANNER = "Preview — not published"
NEXT_WEEK = timezone.now() + datetime.timedelta(days=7)

MAKERS = {
    "issue": factories.make_issue,
    "workshop": factories.make_workshop,
    "event": factories.make_event,
    "funding scheme": factories.make_scheme,
}
HIDDEN = {
    "draft": {"status": Status.DRAFT},
    "scheduled": {"status": Status.PUBLISHED, "publish_at": NEXT_WEEK},
}


@pytest.fixture
def staff_client(django_user_model):
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    return staff


@pytest.mark.parametrize("state", HIDDEN.values(), ids=HIDDEN)
@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS)
def test_hidden_item_is_404_for_the_public_and_for_signed_in_non_staff(
    client, django_user_model, make, state
):
    item = make(**state)

    assert client.get(item.get_absolute_url()).status_code == 404
    client.force_login(django_user_model.objects.create_user("reader"))
    assert client.get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("state", HIDDEN.values(), ids=HIDDEN)
@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS)
def test_staff_preview_hidden_item_with_banner_and_no_caching(staff_client, make, state):
    item = make(**state)

    response = staff_client.get(item.get_absolute_url())

    assert response.status_code == 200
    assert response.context["preview"] is True
    assert BANNER in response.text
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS)
def test_live_item_is_not_a_preview_even_for_staff(staff_client, client, make):
    item = make()

    for who in (staff_client, client):
        response = who.get(item.get_absolute_url())
        assert response.status_code == 200
        assert BANNER not in response.text
        assert "no-store" not in response.get("Cache-Control", "")


def test_scheduled_issue_is_absent_from_archive_home_and_feed_until_its_time(client):
    issue = factories.make_issue(publish_at=NEXT_WEEK, title="The December issue")

    for url in ("newsletters:issue-list", "newsletters:issue-feed", "home"):
        assert issue.title not in client.get(reverse(url)).text

    Issue.objects.filter(pk=issue.pk).update(publish_at=timezone.now())
    for url in ("newsletters:issue-list", "newsletters:issue-feed", "home"):
        assert issue.title in client.get(reverse(url)).text


def test_publication_label_says_draft_scheduled_or_live():
    when = timezone.make_aware(datetime.datetime(2099, 7, 3, 9, 30))

    assert factories.make_issue(status=Status.DRAFT).publication_label == "Draft"
    scheduled = factories.make_workshop(publish_at=when)
    assert scheduled.publication_label == "Scheduled for 3 July 2099, 09:30"
    assert factories.make_scheme().publication_label == "Live"
