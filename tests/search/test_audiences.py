"""The way in for each audience: /for/<slug>/, linked from the home page, edited in the admin."""

import io
import re
from html import unescape

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from blocks.publishing import Status
from newsletters.models import Section
from resources.models import Audience, Contact, Topic
from scripts.bench.client import AdminForm
from tests.factories import (
    future,
    make_contact,
    make_event,
    make_issue,
    make_link,
    make_scheme,
    make_section,
    make_workshop,
    past,
)
from training.models import Workshop

pytestmark = pytest.mark.django_db

# The topics the July 2023 content is tagged with (made by the topics part of issue 13).
TOPIC_SLUGS = [
    "online-safety",
    "extreme-right-wing-terrorism",
    "islamist-extremism",
    "misogyny-and-incel-ideology",
    "neurodiversity",
    "places-of-worship",
    "schools-and-colleges",
]
WRAP = "Workshop to Raise Awareness of Prevent"
GROOMING = "Online Grooming for Parents & Carers"
INCEL = "Incel Ideology & Extreme Misogyny"
NEURODIVERSITY = "Neurodiversity & Extremism"


def text(response):
    """The page's words as a reader gets them: no tags, entities decoded, spaces collapsed."""
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def main_html(response):
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def main_text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main_html(response))).split())


def page(client, audience):
    return client.get(reverse("search:audience-detail", kwargs={"slug": audience.slug}))


def make_topics():
    return {
        slug: Topic.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ")})[0]
        for slug in TOPIC_SLUGS
    }


def make_audience(**overrides):
    fields = {
        "name": "Parents and carers",
        "slug": "parents-and-carers",
        "introduction": "We help parents.\n\nAsk us anything.",
    }
    fields.update(overrides)
    return Audience.objects.create(**fields)


def load_content():
    out = io.StringIO()
    call_command("load_initial_content", stdout=out)
    return out.getvalue()


@pytest.fixture
def july_content():
    make_topics()
    load_content()


# --- The four pages, from the July 2023 newsletter ----------------------------------------------


@pytest.mark.parametrize(
    ("slug", "heading", "words", "workshops"),
    [
        (
            "parents-and-carers",
            "For parents and carers",
            "Our free session for parents and carers, run with Westminster's Integrated Gangs",
            {GROOMING},
        ),
        (
            "schools-and-colleges",
            "For schools and colleges",
            "We help schools and colleges respond to the challenges of extremism",
            {WRAP, INCEL, NEURODIVERSITY},
        ),
        (
            "faith-and-community-groups",
            "For faith and community groups",
            "Communities are a central part of Prevent.",
            {WRAP},
        ),
        (
            "health-and-social-care",
            "For health and social care",
            "WRAP) is designed for frontline staff, including health staff and social services",
            {WRAP, INCEL, NEURODIVERSITY},
        ),
    ],
)
def test_each_audience_page_has_its_introduction_and_the_workshops_offered_to_it(
    client, july_content, slug, heading, words, workshops
):
    response = client.get(f"/for/{slug}/")
    html = response.content.decode()

    assert re.search(rf"<h1[^>]*>{heading}</h1>", html)
    assert f"<title>{heading} – Westminster Prevent team</title>" in html
    assert words in text(response)
    listed = {w.title for w in Workshop.objects.all() if w.get_absolute_url() in html}
    assert listed == workshops
    # The introduction's blank line starts a second paragraph.
    assert html.count('<p class="govuk-body-l">') == 1
    assert 'class="govuk-button" data-module="govuk-button">Request training</a>' in html


def test_each_july_page_lists_the_contacts_its_audience_needs(client, july_content):
    faith = main_text(client.get("/for/faith-and-community-groups/"))
    assert "prevent@westminster.gov.uk" in faith
    assert "adultsocialcare@westminster.gov.uk" not in faith

    care = main_text(client.get("/for/health-and-social-care/"))
    assert "adultsocialcare@westminster.gov.uk" in care
    assert "accesstochildrengservices@westminster.gov.uk" in care

    parents = main_text(client.get("/for/parents-and-carers/"))
    assert "integratedgangsunit@westminster.gov.uk" in parents


# --- What a page lists ---------------------------------------------------------------------------


def test_unknown_audience_is_a_404(client):
    make_audience()
    assert client.get("/for/no-such-audience/").status_code == 404


@pytest.fixture
def audience():
    topics = make_topics()
    audience = make_audience()
    audience.topics.set([topics["online-safety"]])
    return audience


def test_page_lists_its_workshops_events_resources_contacts_schemes_and_sections(client, audience):
    online_safety = audience.topics.get()
    other_topic = Topic.objects.get(slug="places-of-worship")
    workshop = make_workshop(title="Online Grooming for Parents & Carers", slug="grooming")
    workshop.audience_pages.add(audience)
    make_workshop(title="Not for parents")
    event = make_event(title="Staying safe online: a webinar")
    event.topics.add(online_safety)
    session = make_event(title="A grooming session", workshop=workshop)
    make_event(title="Elsewhere event").topics.add(other_topic)
    link = make_link(title="Test Your Internet Filter", publisher="SWGfL")
    link.topics.add(online_safety)
    make_link(title="Unrelated link").topics.add(other_topic)
    contact = make_contact(service="Children's Services", email="children@example.org")
    audience.contacts.add(contact)
    make_contact(service="Not chosen")
    scheme = make_scheme(name="Safer screens fund")
    scheme.topics.add(online_safety)
    make_scheme(name="Unrelated scheme").topics.add(other_topic)
    section = make_section(make_issue(title="Prevent Newsletter, May 2024"), heading="Apps")
    section.topics.add(online_safety)
    make_section(make_issue(), heading="Unrelated section").topics.add(other_topic)

    response = page(client, audience)
    html, words = response.content.decode(), main_text(response)

    assert f'href="{workshop.get_absolute_url()}"' in html
    assert f'href="/training/request/?workshop={workshop.slug}"' in html
    for item in (event, session):
        assert f'href="{item.get_absolute_url()}"' in html
    assert 'href="https://example.org/' in html and "Test Your Internet Filter (SWGfL)" in words
    assert "Children's Services children@example.org" in words
    assert f'href="{scheme.get_absolute_url()}"' in html
    assert f'href="{section.get_absolute_url()}"' in html
    assert "Prevent Newsletter, May 2024" in words
    for heading in (
        "Free training for you",
        "Request training",
        "Upcoming events",
        "Resources",
        "Contacts",
        "Funding",
        "From the newsletter",
    ):
        assert re.search(rf"<h2[^>]*>{heading}</h2>", html), heading
    for unrelated in (
        "Not for parents",
        "Elsewhere event",
        "Unrelated link",
        "Not chosen",
        "Unrelated scheme",
        "Unrelated section",
    ):
        assert unrelated not in words


def test_an_item_on_several_of_its_topics_is_listed_once(client, audience):
    topics = make_topics()
    audience.topics.add(topics["neurodiversity"])
    link = make_link(title="Shared link")
    link.topics.set([topics["online-safety"], topics["neurodiversity"]])
    event = make_event(title="Shared event", workshop=make_workshop())
    event.workshop.audience_pages.add(audience)
    event.topics.set([topics["online-safety"], topics["neurodiversity"]])

    words = main_text(page(client, audience))

    assert words.count("Shared link") == 1
    assert words.count("Shared event") == 1


def test_drafts_scheduled_and_past_items_never_appear(client, audience):
    online_safety = audience.topics.get()
    draft_workshop = make_workshop(title="Draft workshop", status=Status.DRAFT)
    scheduled_workshop = make_workshop(title="Scheduled workshop", publish_at=future())
    for workshop in (draft_workshop, scheduled_workshop):
        workshop.audience_pages.add(audience)
    for event in (
        make_event(title="Draft event", status=Status.DRAFT),
        make_event(title="Past event", starts_at=past(3)),
    ):
        event.topics.add(online_safety)
    make_event(title="Draft session", workshop=draft_workshop, status=Status.DRAFT)
    make_scheme(name="Draft scheme", status=Status.DRAFT).topics.add(online_safety)
    draft_issue = make_issue(title="Draft issue", status=Status.DRAFT)
    make_section(draft_issue, heading="Draft section").topics.add(online_safety)
    scheduled_issue = make_issue(title="Scheduled issue", publish_at=future())
    make_section(scheduled_issue, heading="Scheduled section").topics.add(online_safety)

    words = main_text(page(client, audience))

    for hidden in (
        "Draft workshop",
        "Scheduled workshop",
        "Draft event",
        "Past event",
        "Draft session",
        "Draft scheme",
        "Draft section",
        "Scheduled section",
        "Draft issue",
        "Scheduled issue",
    ):
        assert hidden not in words
    # With nothing public to list, only the introduction and the way to request training stay.
    assert re.findall(r"<h2[^>]*>([^<]*)</h2>", main_html(page(client, audience))) == [
        "Request training",
        "Worried about someone?",
    ]


def test_an_inactive_workshop_is_listed_without_a_request_link(client, audience):
    workshop = make_workshop(title="Retired workshop", is_active=False)
    workshop.audience_pages.add(audience)

    html = page(client, audience).content.decode()

    assert f'href="{workshop.get_absolute_url()}"' in html
    assert f"?workshop={workshop.slug}" not in html


def test_the_request_link_pre_selects_the_workshop_on_the_form(client, audience):
    workshop = make_workshop(title="Online Grooming for Parents & Carers", slug="grooming")
    workshop.audience_pages.add(audience)

    link = re.search(r'href="(/training/request/\?[^"]+)"', page(client, audience).text)[1]
    form = client.get(unescape(link)).content.decode()

    assert re.search(r'<input[^>]*value="grooming"[^>]*checked', form)


def test_the_newest_few_newsletter_sections_are_listed_newest_first(client, audience):
    online_safety = audience.topics.get()
    issues = [make_issue(title=f"Issue number {n}") for n in range(1, 8)]
    for issue in issues:
        make_section(issue, heading=f"Online safety in issue {issue.title[-1]}").topics.add(
            online_safety
        )

    words = main_text(page(client, audience))

    listed = re.findall(r"Online safety in issue (\d)", words)
    assert listed == ["7", "6", "5", "4", "3"]


def test_introduction_is_shown_as_typed_paragraphs_and_escaped(client):
    audience = make_audience(
        introduction="First paragraph <b>bold?</b>\nsame paragraph.\n\n\n  Second paragraph.  "
    )

    html = page(client, audience).content.decode()

    assert (
        '<p class="govuk-body-l">First paragraph &lt;b&gt;bold?&lt;/b&gt;<br>same paragraph.</p>'
        in html
    )
    assert '<p class="govuk-body">Second paragraph.</p>' in html


def test_a_name_starting_with_capitals_keeps_them_in_the_heading(client):
    audience = make_audience(name="NHS staff", slug="nhs-staff")

    assert '<h1 class="govuk-heading-xl">For NHS staff</h1>' in page(client, audience).text


# --- The home page -------------------------------------------------------------------------------


def test_home_page_links_to_each_audience_page_in_order(client, july_content):
    Audience.objects.filter(slug="health-and-social-care").update(order=0)

    html = client.get("/").content.decode()

    links = re.findall(r'<a class="govuk-link" href="/for/([a-z-]+)/">([^<]+)</a>', html)
    assert links == [
        ("health-and-social-care", "Health and social care"),
        ("parents-and-carers", "Parents and carers"),
        ("schools-and-colleges", "Schools and colleges"),
        ("faith-and-community-groups", "Faith and community groups"),
    ]
    assert re.search(r"<h2[^>]*>Information for</h2>", html)


def test_home_page_without_audiences_has_no_empty_list(client):
    assert "Information for" not in client.get("/").content.decode()


# --- Speed and the front cache --------------------------------------------------------------------


def fill(audience, scale):
    """Everything the page lists, ``scale`` times, and as many items it must leave out."""
    topic = audience.topics.get()
    issues = [make_issue() for _ in range(3 * scale)]
    for i in range(4 * scale):
        workshop = make_workshop(status=Status.PUBLISHED if i % 2 else Status.DRAFT)
        workshop.audience_pages.add(audience)
        make_event(workshop=workshop)
        make_event().topics.add(topic)
        make_event(starts_at=past(i + 2)).topics.add(topic)
        make_link().topics.add(topic)
        make_scheme(status=Status.PUBLISHED if i % 2 else Status.DRAFT).topics.add(topic)
        audience.contacts.add(make_contact())
        make_section(issues[i % len(issues)]).topics.add(topic)


@pytest.mark.parametrize("scale", [1, 10], ids=["x1", "x10"])
def test_audience_page_takes_the_same_number_of_queries_however_much_it_lists(
    client, audience, django_assert_num_queries, scale
):
    fill(audience, scale)
    # The audience; then its workshops, events, resources, contacts, schemes and sections; then
    # the live banners; whether the team marked the page sensitive.
    with django_assert_num_queries(9):
        response = page(client, audience)
    assert main_text(response).count("What workshop") == 2 * scale
    assert response.content.decode().count('href="https://example.org/') == 4 * scale


def test_audience_page_may_be_cached_and_is_purged_when_its_content_changes(
    client, audience, front_cache_purges, django_capture_on_commit_callbacks
):
    assert "s-maxage=60" in page(client, audience)["Cache-Control"]
    workshop = make_workshop(title="Cached workshop")
    assert front_cache_purges.waiting() == 0

    with django_capture_on_commit_callbacks(execute=True):
        workshop.audience_pages.add(audience)
    assert front_cache_purges.waiting() == 1
    assert "Cached workshop" in main_text(page(client, audience))
    front_cache_purges.done()

    with django_capture_on_commit_callbacks(execute=True):
        audience.introduction = "A new introduction."
        audience.save()
    assert front_cache_purges.waiting() == 1
    assert "A new introduction." in main_text(page(client, audience))


# --- The admin -----------------------------------------------------------------------------------


def change_form(client, url):
    parser = AdminForm()
    parser.feed(client.get(url).content.decode())
    return parser.data


def test_superuser_edits_an_audience_and_the_page_shows_it(admin_client, client, audience):
    topics = make_topics()
    contact = make_contact(service="Children's Services")
    url = reverse("admin:resources_audience_change", args=[audience.pk])
    data = change_form(admin_client, url)
    data.update(
        name="Parents, carers and families",
        introduction="How we help families.\n\nA second paragraph.",
        topics=[topics["online-safety"].pk, topics["neurodiversity"].pk],
        contacts=[contact.pk],
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    audience.refresh_from_db()
    assert set(audience.topics.values_list("slug", flat=True)) == {
        "online-safety",
        "neurodiversity",
    }
    shown = page(client, audience)
    assert "For parents, carers and families" in main_text(shown)
    assert '<p class="govuk-body">A second paragraph.</p>' in shown.content.decode()
    assert "Children's Services" in main_text(shown)


def test_audience_form_names_the_workshops_it_lists_and_where_to_choose_them(
    admin_client, audience
):
    workshop = make_workshop(title="Online Grooming for Parents & Carers")
    workshop.audience_pages.add(audience)

    form = admin_client.get(reverse("admin:resources_audience_change", args=[audience.pk]))

    html = form.content.decode()
    assert reverse("admin:training_workshop_change", args=[workshop.pk]) in html
    assert "Online Grooming for Parents &amp; Carers" in html
    assert "“Audience pages”" in html
    add_form = admin_client.get(reverse("admin:resources_audience_add"))
    assert "Save the page first" in add_form.content.decode()


def test_audiences_are_reordered_from_the_list(admin_client, client):
    first = make_audience(name="Parents and carers", slug="parents-and-carers", order=1)
    second = make_audience(name="Schools and colleges", slug="schools-and-colleges", order=2)

    response = admin_client.post(
        reverse("admin:resources_audience_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-order": "3",
            "form-1-id": second.pk,
            "form-1-order": "1",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert home.index("/for/schools-and-colleges/") < home.index("/for/parents-and-carers/")


def test_new_audience_slug_is_filled_from_its_name(admin_client):
    html = unescape(admin_client.get(reverse("admin:resources_audience_add")).content.decode())
    assert '"id": "#id_slug"' in html and '"dependency_list": ["name"]' in html


def test_workshop_form_ticks_the_audience_pages_that_list_it(admin_client, client, audience):
    schools = make_audience(name="Schools and colleges", slug="schools-and-colleges")
    workshop = make_workshop(title="Incel Ideology & Extreme Misogyny")
    url = reverse("admin:training_workshop_change", args=[workshop.pk])
    data = change_form(admin_client, url)
    assert 'type="checkbox" name="audience_pages"' in admin_client.get(url).content.decode()
    data["audience_pages"] = [audience.pk, schools.pk]

    response = admin_client.post(url, data)

    assert response.status_code == 302
    for listed_on in (audience, schools):
        assert workshop.get_absolute_url() in page(client, listed_on).content.decode()


# --- Loading the July 2023 content ---------------------------------------------------------------


def audience_rows():
    return [
        (
            a.slug,
            a.name,
            a.introduction,
            a.order,
            sorted(a.topics.values_list("slug", flat=True)),
            sorted(a.contacts.values_list("slug", flat=True)),
            sorted(a.workshops.values_list("slug", flat=True)),
        )
        for a in Audience.objects.order_by("pk")
    ]


def test_loads_the_four_audiences_with_their_topics_contacts_and_workshops(july_content):
    rows = {row[0]: row for row in audience_rows()}

    assert list(Audience.objects.values_list("order", "name")) == [
        (1, "Parents and carers"),
        (2, "Schools and colleges"),
        (3, "Faith and community groups"),
        (4, "Health and social care"),
    ]
    assert rows["parents-and-carers"][4:] == (
        ["online-safety"],
        ["childrens-services", "integrated-gangs-and-exploitation-unit", "prevent-team"],
        ["online-grooming-for-parents-and-carers"],
    )
    assert rows["faith-and-community-groups"][4:] == (
        ["places-of-worship"],
        ["prevent-team"],
        ["workshop-to-raise-awareness-of-prevent"],
    )
    assert "workshop-to-raise-awareness-of-prevent" in rows["health-and-social-care"][6]
    assert "adult-social-care" in rows["health-and-social-care"][5]
    assert "schools-and-colleges" in rows["schools-and-colleges"][4]
    for row in rows.values():
        assert len(row[2].split("\n\n")) in (1, 2), row[0]
        assert "<" not in row[2], "introductions are plain text"


def test_loading_twice_changes_no_audience(july_content):
    before = audience_rows()
    through = list(Workshop.audience_pages.through.objects.order_by("pk").values_list())
    assert len(before) == 4 and len(through) == 8

    load_content()

    assert audience_rows() == before
    assert list(Workshop.audience_pages.through.objects.order_by("pk").values_list()) == through


def test_an_audience_naming_a_missing_topic_loads_nothing(tmp_path):
    data = yaml.safe_load((settings.BASE_DIR / "content" / "2023-07-vol2.yaml").read_text())
    data["audiences"][0]["topics"].append("no-such-topic")
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(Topic.DoesNotExist):
        call_command("load_initial_content", file=broken, stdout=io.StringIO())

    assert not Audience.objects.exists() and not Topic.objects.exists()


def test_a_workshop_naming_a_missing_audience_loads_nothing(tmp_path):
    data = yaml.safe_load(
        (settings.BASE_DIR / "content" / "2023-07-vol2.yaml").read_text(encoding="utf-8")
    )
    data["workshops"][0]["audience_pages"].append("nobody")
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(Audience.DoesNotExist):
        call_command("load_initial_content", file=broken, stdout=io.StringIO())

    assert not Audience.objects.exists()
    assert not Section.objects.exists()
    assert not Contact.objects.exists()
