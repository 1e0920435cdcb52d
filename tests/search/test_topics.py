"""Topics: edited in the admin, carried by sections, workshops, events, resource links and
funding schemes, each with a page listing what is on it, linked from the items' own pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from bench.harness import AdminForm
from resources.models import Topic
from tests.factories import (
    make_event,
    make_issue,
    make_link,
    make_scheme,
    make_section,
    make_workshop,
)

pytestmark = pytest.mark.django_db


def make_topic(**overrides):
    fields = {"name": "Online safety", "slug": "online-safety", "description": "Staying safe."}
    fields.update(overrides)
    return Topic.objects.create(**fields)


def admin_form(client, url):
    parser = AdminForm()
    parser.feed(client.get(url).content.decode())
    return parser.data


# --- The admin ---------------------------------------------------------------------------------


def test_content_editors_may_add_change_delete_and_view_topics_and_audiences():
    codenames = set(
        Group.objects.get(name="Content editors")
        .permissions.filter(content_type__app_label="resources")
        .values_list("codename", flat=True)
    )
    for model in ("topic", "audience"):
        assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")} <= codenames


def test_editor_adds_a_topic_and_orders_topics_from_the_list(editor_client):
    response = editor_client.post(
        reverse("admin:resources_topic_add"),
        {
            "name": "Neurodiversity",
            "slug": "neurodiversity",
            "description": "Autism, ADHD and radicalisation.",
            "order": "2",
        },
    )
    assert response.status_code == 302
    online = make_topic(order=1)
    neuro = Topic.objects.get(slug="neurodiversity")

    listing = editor_client.get(reverse("admin:resources_topic_changelist"), {"q": "autism"})
    assert "Neurodiversity" in listing.text and "Online safety" not in listing.text
    response = editor_client.post(
        reverse("admin:resources_topic_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": neuro.pk,
            "form-0-order": "1",
            "form-1-id": online.pk,
            "form-1-order": "5",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert list(Topic.objects.values_list("slug", flat=True)) == ["neurodiversity", "online-safety"]


def test_topic_form_fills_the_slug_from_the_name(editor_client):
    form = editor_client.get(reverse("admin:resources_topic_add")).context["adminform"]
    assert [
        (field["field"].name, [source.name for source in field["dependencies"]])
        for field in form.prepopulated_fields
    ] == [("slug", ["name"])]


@pytest.mark.parametrize(
    ("admin_name", "make"),
    [
        ("training_workshop", lambda: make_workshop()),
        ("training_event", lambda: make_event()),
        ("resources_resourcelink", lambda: make_link()),
        ("resources_fundingscheme", lambda: make_scheme()),
        ("newsletters_section", lambda: make_section(make_issue())),
    ],
    ids=["workshop", "event", "resource link", "funding scheme", "section"],
)
def test_editor_tags_each_kind_of_item_with_topics(editor_client, admin_name, make):
    item = make()
    online, neuro = make_topic(), make_topic(name="Neurodiversity", slug="neurodiversity")
    url = reverse(f"admin:{admin_name}_change", args=[item.pk])
    page = editor_client.get(url).text
    # Picked by typing part of the name, with the field's help for editors.
    assert 'name="topics"' in page and "admin-autocomplete" in page
    assert "it is listed on the page of each topic chosen here" in page

    data = admin_form(editor_client, url)
    data["topics"] = [online.pk, neuro.pk]
    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(item.topics.order_by("name")) == [neuro, online]


def test_topics_are_offered_to_the_autocomplete_by_name(editor_client):
    make_topic()
    make_topic(name="Places of worship", slug="places-of-worship")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "wors",
            "app_label": "training",
            "model_name": "workshop",
            "field_name": "topics",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Places of worship"]
