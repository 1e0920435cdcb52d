"""Topics: edited in the admin, carried by sections, workshops, events, resource links and
funding schemes, each with a page listing what is on it, linked from the items' own pages."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from newsletters.models import Section
from resources.models import FundingScheme, ResourceLink, Topic
from scripts.bench.client import AdminForm
from tests import factories
from tests.factories import (
    future,
    make_event,
    make_issue,
    make_link,
    make_scheme,
    make_section,
    make_workshop,
    past,
)
from training.models import Event, Workshop

pytestmark = pytest.mark.django_db


def make_topic(**overrides):
    return factories.make_topic(
        **{"name": "Online safety", "slug": "online-safety", "description": "Staying safe."}
        | overrides
    )


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


# --- The topic pages ---------------------------------------------------------------------------


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_topic_list_shows_each_topic_with_public_items_its_description_and_counts(
    client, july_content
):
    html = page(client, reverse("search:topic-list"))
    # In the team's order, each linked to its page.
    positions = [html.index(f'href="{topic.get_absolute_url()}"') for topic in Topic.objects.all()]
    assert positions == sorted(positions)
    assert all(topic.name in html for topic in Topic.objects.all())
    assert "Incel ideology, the online “manosphere”" in html
    assert "1 newsletter section, 2 events and 2 funding schemes" in html  # places of worship
    assert "1 newsletter section and 1 workshop" in html  # neurodiversity


def test_topic_list_leaves_out_topics_with_nothing_public(client):
    make_topic(name="Empty", slug="empty")
    drafts = make_topic(name="Only drafts", slug="only-drafts")
    make_workshop(status="draft").topics.add(drafts)
    make_section(make_issue(status="draft")).topics.add(drafts)
    make_scheme(publish_at=future()).topics.add(drafts)
    make_event(status="draft").topics.add(drafts)
    shown = make_topic(name="Shown", slug="shown")
    make_link().topics.add(shown)

    html = page(client, reverse("search:topic-list"))

    assert "Shown" in html and "1 resource" in html
    assert "Empty" not in html and "Only drafts" not in html


def test_topic_page_lists_the_july_items_on_online_safety(client, july_content):
    html = page(client, "/topics/online-safety/")
    assert '<h1 class="govuk-heading-xl">Online safety</h1>' in html
    assert "Keeping children and young people safe online" in html
    # The section, linked to its place in the issue, with the issue it is from.
    assert 'href="/newsletters/july-2023/#what-we-offer"' in html
    assert "July 2023, Vol. 2" in html
    assert 'href="/training/online-grooming-for-parents-and-carers/"' in html
    assert 'href="https://testfiltering.com/">Test Your Internet Filter</a>' in html
    assert "Helping parents keep their children safe online" in html
    # Not about online safety.
    assert "/training/incel-ideology-and-extreme-misogyny/" not in html
    assert "Educate Against Hate" not in html
    assert "Places of Worship Security Funding Scheme" not in html


def test_topic_page_groups_items_by_kind_with_a_heading_each(client, july_content):
    html = page(client, "/topics/places-of-worship/")
    headings = ["In the newsletter", "Past events", "Funding schemes"]
    assert [html.index(h) for h in headings] == sorted(html.index(h) for h in headings)
    assert "Training</h2>" not in html and "Upcoming events" not in html
    # Each scheme with whether it is open, and each section with its opening words.
    assert html.count("Closed</strong>") == 2
    assert "During the February half term, the Independent Review" in html


def test_topic_page_lists_newest_sections_first_and_upcoming_events_before_past_ones(client):
    topic = make_topic()
    older = make_section(make_issue(title="Spring issue"), heading="Older news", body="<p>Old.</p>")
    newer = make_section(
        make_issue(title="Summer issue"),
        heading="Newer news",
        body="<h3>A</h3><p>New &amp; fresh.</p>",
    )
    past_event = make_event(starts_at=past(30), title="Last month")
    long_ago = make_event(starts_at=past(300), title="Last year")
    later = make_event(starts_at=future(60), title="In two months")
    soon = make_event(starts_at=future(2), title="In two days")
    for item in (older, newer, past_event, long_ago, later, soon):
        item.topics.add(topic)

    html = page(client, topic.get_absolute_url())

    order = ["Newer news", "Older news", "In two days", "In two months", "Last month", "Last year"]
    assert [html.index(text) for text in order] == sorted(html.index(text) for text in order)
    assert "New &amp; fresh." in html and '<p class="govuk-body">A' not in html
    assert html.index("Upcoming events") < html.index("In two days")
    assert html.index("In two months") < html.index("Past events") < html.index("Last month")


def test_drafts_and_scheduled_items_never_appear_on_a_topic_page(client):
    topic = make_topic()
    hidden = [
        make_section(make_issue(status="draft"), heading="Draft issue section"),
        make_section(make_issue(publish_at=future()), heading="Scheduled issue section"),
        make_workshop(title="Draft workshop", status="draft"),
        make_workshop(title="Scheduled workshop", publish_at=future()),
        make_event(title="Draft event", status="draft"),
        make_event(title="Scheduled event", publish_at=future()),
        make_scheme(name="Draft scheme", status="draft"),
        make_scheme(name="Scheduled scheme", publish_at=future()),
    ]
    shown = make_workshop(title="Published workshop")
    for item in [*hidden, shown]:
        item.topics.add(topic)

    html = page(client, topic.get_absolute_url())

    assert "Published workshop" in html
    for text in ("Draft", "Scheduled"):
        assert text not in html


def test_topic_with_nothing_public_says_so(client):
    topic = make_topic(name="Places of worship", slug="places-of-worship")
    make_scheme(status="draft").topics.add(topic)

    html = page(client, topic.get_absolute_url())

    assert "There is nothing on this topic yet." in html
    assert 'href="/topics/"' in html


def test_unknown_topic_is_not_found(client):
    make_topic()
    assert client.get("/topics/no-such-topic/").status_code == 404
    assert client.get("/topics/online-safety/", {"page": "x"}).status_code == 200


def test_topic_list_is_linked_from_every_pages_footer_and_the_resources_page(client):
    for url in ("/", reverse("resources:link-list"), reverse("training:workshop-list")):
        assert 'href="/topics/">Browse by topic</a>' in page(client, url)
    assert "Browse by topic</a>: resources" in page(client, reverse("resources:link-list"))


# --- Each item's page links to its topics ------------------------------------------------------

TOPICS_LINE = (
    'Topics: <a class="govuk-link" href="/topics/neurodiversity/">Neurodiversity</a>, '
    '<a class="govuk-link" href="/topics/online-safety/">Online safety</a>'
)


@pytest.fixture
def two_topics():
    return [
        make_topic(order=2),
        make_topic(name="Neurodiversity", slug="neurodiversity", order=1),
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_workshop(),
        lambda: make_event(),
        lambda: make_event(starts_at=past(10)),
        lambda: make_scheme(),
    ],
    ids=["workshop", "event", "past event", "funding scheme"],
)
def test_item_pages_link_to_their_topics_in_the_teams_order(client, two_topics, make):
    item = make()
    item.topics.set(two_topics)
    assert TOPICS_LINE in page(client, item.get_absolute_url())


def test_item_without_topics_shows_no_topics_line(client):
    workshop = make_workshop()
    assert "Topics:" not in page(client, workshop.get_absolute_url())


def test_each_section_of_an_issue_links_to_its_own_topics(client, two_topics):
    issue = make_issue()
    tagged_section = make_section(issue, heading="Tagged")
    make_section(issue, heading="Untagged")
    tagged_section.topics.set(two_topics)

    html = page(client, issue.get_absolute_url())

    assert html.count("Topics:") == 1
    # Inside its own section, after its text.
    section_html = html[html.index('id="' + tagged_section.slug) : html.index("Untagged</h2>")]
    assert TOPICS_LINE in section_html


def test_each_resource_links_entry_links_to_its_topics(client, two_topics):
    tagged_link = make_link(title="Tagged link")
    tagged_link.topics.set(two_topics)
    make_link(title="Untagged link")

    html = page(client, reverse("resources:link-list"))

    assert html.count("Topics:") == 1
    entry = html[html.index("Tagged link") : html.index("Untagged link")]
    assert TOPICS_LINE in entry


def test_july_issue_page_links_each_section_to_its_topics(client, july_content):
    html = page(client, "/newsletters/july-2023/")
    news = html[html.index('id="prevent-news"') : html.index('id="community-projects"')]
    assert 'href="/topics/places-of-worship/">Places of worship</a>' in news
    assert 'href="/topics/neurodiversity/"' not in news


def test_sitemap_lists_the_topic_list_and_each_topic_with_public_items(client):
    shown = make_topic()
    make_workshop().topics.add(shown)
    empty = make_topic(name="Empty", slug="empty")
    make_workshop(status="draft").topics.add(empty)

    sitemap = page(client, "/sitemap.xml")

    assert "/topics/</loc>" in sitemap
    assert f"{shown.get_absolute_url()}</loc>" in sitemap
    assert empty.get_absolute_url() not in sitemap
