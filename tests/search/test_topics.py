"""Topics: edited in the admin, carried by sections, workshops, events, resource links and
funding schemes, each with a page listing what is on it, linked from the items' own pages."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from bench.harness import AdminForm
from newsletters.models import Section
from resources.models import FundingScheme, ResourceLink, Topic
from tests.factories import (
    make_event,
    make_issue,
    make_link,
    make_scheme,
    make_section,
    make_workshop,
)
from training.models import Event, Workshop

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


# --- The July 2023 content ---------------------------------------------------------------------


@pytest.fixture
def july_content():
    call_command("load_initial_content", stdout=io.StringIO())


def tagged(model, topic_slug, field="slug"):
    return sorted(model.objects.filter(topics__slug=topic_slug).values_list(field, flat=True))


def test_loads_the_topics_in_order_each_with_a_description(july_content):
    assert list(Topic.objects.values_list("order", "slug", "name")) == [
        (1, "online-safety", "Online safety"),
        (2, "extreme-right-wing-terrorism", "Extreme right-wing terrorism"),
        (3, "islamist-extremism", "Islamist extremism"),
        (4, "misogyny-and-incel-ideology", "Misogyny and incel ideology"),
        (5, "neurodiversity", "Neurodiversity"),
        (6, "places-of-worship", "Places of worship"),
        (7, "schools-and-colleges", "Schools and colleges"),
        (8, "the-prevent-strategy", "The Prevent strategy"),
    ]
    for topic in Topic.objects.all():
        topic.full_clean()  # as the admin would accept it
        assert topic.description.endswith(".")


def test_tags_the_july_items_with_what_the_newsletter_says_they_are_about(july_content):
    assert tagged(Workshop, "online-safety") == ["online-grooming-for-parents-and-carers"]
    assert tagged(Workshop, "misogyny-and-incel-ideology") == [
        "incel-ideology-and-extreme-misogyny"
    ]
    # The neurodiversity sessions explore "extreme far-right extremism and Islamism".
    for topic in ("neurodiversity", "extreme-right-wing-terrorism", "islamist-extremism"):
        assert tagged(Workshop, topic) == ["neurodiversity-and-extremism"]
    assert tagged(Workshop, "the-prevent-strategy") == ["workshop-to-raise-awareness-of-prevent"]
    assert tagged(FundingScheme, "places-of-worship") == [
        "places-of-worship-security-funding-scheme",
        "protective-security-for-mosques-scheme",
    ]
    assert tagged(Event, "places-of-worship") == [
        "places-of-worship-schemes-engagement-event-2023-07-25",
        "places-of-worship-schemes-engagement-event-2023-07-27",
    ]
    assert tagged(Event, "schools-and-colleges") == [
        "prevent-planning-webinar-fe-skills-providers-2023-10-18",
        "prevent-planning-webinar-fe-skills-providers-2024-01-16",
    ]
    assert tagged(ResourceLink, "misogyny-and-incel-ideology") == [
        "assessing-misogyny-as-a-gateway-drug-into-violent-extremism",
        "gender-and-online-violent-extremism",
    ]
    assert "test-your-internet-filter" in tagged(ResourceLink, "online-safety")
    assert tagged(ResourceLink, "schools-and-colleges") == [
        "educate-against-hate",
        "going-too-far",
        "understanding-the-digital-world",
    ]
    assert tagged(Section, "places-of-worship") == ["prevent-news"]
    assert tagged(Section, "neurodiversity") == ["community-projects"]
    assert tagged(Section, "misogyny-and-incel-ideology") == ["what-we-offer"]
    # Every topic is on something, and every workshop, event and scheme has a topic.
    assert not Topic.objects.filter(
        sections=None, workshops=None, events=None, resource_links=None, funding_schemes=None
    ).exists()
    for model in (Workshop, Event, FundingScheme):
        assert not model.objects.filter(topics=None).exists(), model


def test_loading_again_restores_the_files_topics_and_changes_nothing_else(july_content):
    workshop = Workshop.objects.get(slug="online-grooming-for-parents-and-carers")
    workshop.topics.set([])
    Topic.objects.filter(slug="online-safety").update(description="Edited.")
    call_command("load_initial_content", stdout=io.StringIO())
    assert tagged(Workshop, "online-safety") == [workshop.slug]
    assert Topic.objects.get(slug="online-safety").description != "Edited."
    before = list(Workshop.topics.through.objects.order_by("pk").values_list())
    call_command("load_initial_content", stdout=io.StringIO())
    assert list(Workshop.topics.through.objects.order_by("pk").values_list()) == before
