import pytest
from django.urls import reverse

from tests import factories
from training.models import Workshop

pytestmark = pytest.mark.django_db


def test_content_editor_cannot_open_training_requests(editor_client):
    assert (
        editor_client.get(reverse("admin:training_trainingrequest_changelist")).status_code == 403
    )
    assert editor_client.get(reverse("admin:training_trainingrequest_add")).status_code == 403

    index = editor_client.get(reverse("admin:index"))
    assert "Workshops" in index.text
    assert "Training requests" not in index.text


def test_workshop_is_written_with_its_testimonials_inline(editor_client):
    response = editor_client.post(
        reverse("admin:training_workshop_add"),
        {
            "title": "Workshop to Raise Awareness of Prevent",
            "short_name": "WRAP",
            "slug": "wrap",
            "summary": "An introduction to Prevent.",
            "body": "<p>What Prevent is.</p>",
            "duration": "45 minutes",
            "online": "on",
            "cost": "Free",
            "is_active": "on",
            "order": "1",
            "status": "draft",
            "publish_at_0": "2026-01-01",
            "publish_at_1": "09:00:00",
            "testimonials-TOTAL_FORMS": "2",
            "testimonials-INITIAL_FORMS": "0",
            "testimonials-MIN_NUM_FORMS": "0",
            "testimonials-MAX_NUM_FORMS": "1000",
            "testimonials-0-quote": "Really useful.",
            "testimonials-0-attribution": "WRAP participant",
            "testimonials-0-order": "2",
            "testimonials-1-quote": "Clear and practical.",
            "testimonials-1-attribution": "Teacher",
            "testimonials-1-order": "1",
        },
    )

    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert [t.attribution for t in workshop.testimonials.all()] == ["Teacher", "WRAP participant"]


def test_workshop_list_orders_and_publishes(editor_client):
    draft = factories.make_workshop(status="draft")

    listing = editor_client.get(reverse("admin:training_workshop_changelist"))
    assert "Draft" in listing.text
    assert 'name="form-0-order"' in listing.text

    editor_client.post(
        reverse("admin:training_workshop_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_public


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:training_event_changelist",
        "admin:training_event_add",
        "admin:training_communityproject_changelist",
        "admin:training_testimonial_changelist",
    ],
)
def test_content_editor_can_open_training_content(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_testimonial_links_to_its_workshop_page(editor_client):
    workshop = factories.make_workshop()
    workshop.testimonials.create(quote="Useful.", attribution="Teacher")

    listing = editor_client.get(reverse("admin:training_testimonial_changelist"))

    assert f'href="{workshop.get_absolute_url()}"' in listing.text
