import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from prevent_site.publishing import Status
from tests.factories import future, make_event, make_project, make_testimonial, make_workshop, past

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_workshop_list_and_page_show_the_workshop_facts(client):
    workshop = make_workshop(
        title="Workshop to Raise Awareness of Prevent",
        short_name="WRAP",
        duration="45 minutes",
        audiences="Frontline staff",
        learning_outcomes="Risk indicators\nReferral routes",
    )
    make_testimonial(workshop, quote="Very interesting", attribution="WRAP participant")
    listing = client.get(reverse("training:workshop-list")).content.decode()
    assert "Workshop to Raise Awareness of Prevent (WRAP)" in listing
    page = client.get(workshop.get_absolute_url()).content.decode()
    for text in [
        "45 minutes",
        "Frontline staff",
        "Online or in person",
        "Free",
        "<li>Risk indicators</li>",
        "Very interesting",
        "WRAP participant",
    ]:
        assert text in page


def test_draft_and_scheduled_workshops_are_hidden(client):
    draft = make_workshop(title="Hidden draft", status=Status.DRAFT)
    scheduled = make_workshop(title="Hidden scheduled", publish_at=future())
    listing = client.get(reverse("training:workshop-list")).content.decode()
    home = client.get("/").content.decode()
    for workshop in (draft, scheduled):
        assert workshop.title not in listing and workshop.title not in home
        assert client.get(workshop.get_absolute_url()).status_code == 404


def test_events_are_split_into_upcoming_and_past(client):
    coming = make_event(title="Coming webinar", starts_at=future(5))
    gone = make_event(title="Finished webinar", starts_at=past(5))
    make_event(title="Draft webinar", starts_at=future(5), status=Status.DRAFT)
    body = client.get(reverse("training:event-list")).content.decode()
    upcoming, past_part = body.split("Past events", 1)
    assert coming.title in upcoming and gone.title not in upcoming
    assert gone.title in past_part
    assert "Draft webinar" not in body


def test_event_page_shows_uk_time_and_calendar_file(client):
    event = make_event(
        title="Engagement event",
        starts_at=datetime.datetime(2030, 7, 25, 18, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2030, 7, 25, 19, 30, tzinfo=LONDON),
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Thursday 25 July 2030" in page and "6pm to 7:30pm" in page
    ics = client.get(reverse("training:event-ics", args=[event.slug]))
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert "DTSTART:20300725T170000Z" in text  # 18:00 BST is 17:00 UTC
    assert "DTEND:20300725T183000Z" in text
    assert "SUMMARY:Engagement event" in text


def test_unknown_slugs_give_404(client):
    for name in ["training:workshop-detail", "training:event-detail", "training:project-detail"]:
        assert client.get(reverse(name, args=["no-such-thing"])).status_code == 404


def test_community_projects_are_grouped_by_year(client):
    project = make_project(title="Neurodiversity workshops", year_span="2022-23")
    body = client.get(reverse("training:project-list")).content.decode()
    assert "2022-23" in body and project.title in body
    assert project.title in client.get(project.get_absolute_url()).content.decode()


def test_draft_event_404s_and_has_no_calendar_file(client):
    event = make_event(title="Secret planning", status=Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("training:event-ics", args=[event.slug])).status_code == 404
