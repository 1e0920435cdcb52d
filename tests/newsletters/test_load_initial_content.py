import re
from datetime import UTC, date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from newsletters.models import Issue, Section
from resources.models import Contact, FundingScheme, HelpRoute, ResourceLink, TeamMember, Topic
from training.models import CommunityProject, Event, Workshop
from training.models import Testimonial as WorkshopTestimonial  # not collected as a test class

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
CONTENT_FILE = settings.BASE_DIR / "content" / "2023-07-vol2.yaml"

# The checked addresses for the newsletter's links (shared/seed/links.md). Nothing else may be
# linked: an address that is not here was guessed.
CHECKED_URLS = {
    "https://www.gov.uk/government/publications/prevent-duty-guidance",
    "https://www.gov.uk/government/publications/independent-review-of-prevents-report-and-government-response",
    "https://www.gov.uk/government/publications/counter-terrorism-strategy-contest-2023",
    "https://www.gov.uk/guidance/places-of-worship-security-funding-scheme",
    "https://www.gov.uk/government/statistics/individuals-referred-to-and-supported-through-the-prevent-programme-april-2021-to-march-2022",
    "https://gnet-research.org/2023/01/16/the-internet-and-radicalisation-pathways-technological-advances-mental-health-and-the-role-of-attackers/",
    "https://gnet-research.org/2022/01/24/assessing-misogyny-as-a-gateway-drug-into-violent-extremism/",
    "https://www.educateagainsthate.com/",
    "https://testfiltering.com/",
    "https://www.westminster.gov.uk/prevent",
}

# The national services of the "Where to get help" table in the same file: the only numbers and
# addresses the "Worried about someone?" page may give besides the newsletter's own contacts.
HELP_NUMBERS = {"0800 011 3764", "18001 101", "0800 789 321"}
HELP_URLS = {
    "https://actearly.uk/",
    "https://www.gov.uk/ACT",
    "https://www.gov.uk/report-terrorism",
}

ALL_MODELS = [
    Topic,
    Issue,
    Section,
    TeamMember,
    Contact,
    ResourceLink,
    FundingScheme,
    HelpRoute,
    Workshop,
    WorkshopTestimonial,
    Event,
    CommunityProject,
]


def load(**options):
    out = StringIO()
    call_command("load_initial_content", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def output():
    return load()


def snapshot():
    """Every loaded row, and every section-to-item link, with all its values and its id."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values_list()) for model in ALL_MODELS
    }
    for name in Section.LINKED_ITEMS:
        through = getattr(Section, name).through
        rows[name] = list(through.objects.order_by("pk").values_list())
    for model in (Section, Workshop, Event, ResourceLink, FundingScheme):
        through = model.topics.through
        rows[f"{model.__name__} topics"] = list(through.objects.order_by("pk").values_list())
    return rows


def section(slug):
    return Section.objects.get(issue__slug="july-2023", slug=slug)


def slugs(queryset):
    return list(queryset.order_by("slug").values_list("slug", flat=True))


def test_loads_the_july_2023_issue_published_at_9am_uk_time(output):
    issue = Issue.objects.get()
    assert issue.title == "Prevent Newsletter, July 2023"
    assert issue.slug == "july-2023"
    assert issue.volume == 2
    assert issue.month == date(2023, 7, 1)
    assert issue.status == "published"
    assert issue.publish_at == datetime(2023, 7, 1, 9, 0, tzinfo=UK)
    assert issue.summary
    assert list(Issue.objects.published()) == [issue]


def test_loads_six_sections_in_the_newsletters_order(output):
    assert list(Section.objects.values_list("order", "heading", "slug")) == [
        (1, "Your local Prevent team", "your-local-prevent-team"),
        (2, "What we offer", "what-we-offer"),
        (3, "Prevent news", "prevent-news"),
        (4, "Community projects", "community-projects"),
        (5, "Working with communities", "working-with-communities"),
        (6, "Further information and resources", "further-information"),
    ]
    assert all(s.issue.slug == "july-2023" and s.body for s in Section.objects.all())


def test_prevent_news_has_one_subheading_per_news_item(output):
    assert [text for _, text in section("prevent-news").subheadings] == [
        "The Independent Review of Prevent",
        "Counter Terrorism Local Profile",
        "National CONTEST strategy refresh",
        "Prevent planning webinar for FE skills providers",
        "Protective security schemes for places of worship",
    ]


def test_section_bodies_keep_what_no_model_holds(output):
    news = section("prevent-news").body
    assert "accompanies this newsletter" in news
    assert (
        'href="https://www.gov.uk/government/publications/counter-terrorism-strategy-contest-2023"'
        in news
    )
    further = section("further-information").body
    assert "leafleting or stickering" in further
    assert 'href="mailto:prevent@westminster.gov.uk"' in further
    team = section("your-local-prevent-team").body
    assert 'href="https://www.gov.uk/government/publications/prevent-duty-guidance"' in team
    assert 'href="https://www.westminster.gov.uk/prevent"' in team


def test_bodies_use_only_the_agreed_tags(output):
    bodies = [s.body for s in Section.objects.all()]
    bodies += [w.body for w in Workshop.objects.all()]
    bodies += [e.description for e in Event.objects.all()]
    bodies += [p.body for p in CommunityProject.objects.all()]
    tags = {tag for body in bodies for tag in re.findall(r"</?([a-z0-9]+)", body)}
    assert tags <= {"p", "h3", "ul", "li", "a", "strong", "em"}


def test_loads_the_four_team_members_in_order_without_photos(output):
    assert list(TeamMember.objects.values_list("name", "role", "photo")) == [
        ("Kiran Malik", "Prevent Programme Manager", ""),
        ("Abdul Yusuf", "Prevent Officer, Safeguarding & Projects", ""),
        ("Kaban Mohammadi", "Prevent Engagement Officer", ""),
        ("Julie Knotts", "Prevent Education Officer", ""),
    ]


def test_loads_the_four_workshops_free_online_or_in_person(output):
    fields = ("title", "short_name", "partner", "duration", "cost", "online", "in_person")
    assert list(Workshop.objects.values_list(*fields)) == [
        ("Workshop to Raise Awareness of Prevent", "WRAP", "", "", "Free", True, True),
        (
            "Online Grooming for Parents & Carers",
            "",
            "Integrated Gangs & Exploitation Unit",
            "",
            "Free",
            True,
            True,
        ),
        ("Incel Ideology & Extreme Misogyny", "", "", "45 minutes", "Free", True, True),
        ("Neurodiversity & Extremism", "", "", "Half a day", "Free", True, True),
    ]
    for workshop in Workshop.objects.all():
        assert workshop.summary and workshop.body
        assert workshop.status == "published"
        assert workshop.publish_at.astimezone(UK).date() == date(2023, 7, 1)
    assert (
        "autism education expert" in Workshop.objects.get(slug="neurodiversity-and-extremism").body
    )


def test_workshop_learning_outcomes_are_the_newsletters_bullets(output):
    outcomes = {w.slug: w.outcomes_list for w in Workshop.objects.all()}
    assert outcomes["workshop-to-raise-awareness-of-prevent"] == [
        "The vulnerabilities and risk indicators of radicalisation.",
        "Local safeguarding and referral mechanisms and people to contact for further help and "
        "advice.",
        "Latest extremism and radicalisation risk.",
        "The current picture in Westminster.",
    ]
    assert len(outcomes["online-grooming-for-parents-and-carers"]) == 3
    assert outcomes["incel-ideology-and-extreme-misogyny"][0] == (
        "Ideologies within the Manosphere, such as Incels."
    )
    assert len(outcomes["neurodiversity-and-extremism"]) == 7


def test_testimonials_keep_the_participants_words(output):
    assert list(
        WorkshopTestimonial.objects.values_list("workshop__short_name", "quote", "attribution")
    ) == [
        (
            "WRAP",
            "Very interesting, did not realise how similar it is to other forms of safeguarding",
            "WRAP participant",
        ),
        (
            "",
            "I will encourage people to attend, it is really important issue to be aware of",
            "Online Grooming for Parents & Carers participant",
        ),
    ]


def test_loads_the_four_online_events_in_uk_time_without_booking_links(output):
    events = Event.objects.order_by("starts_at")
    assert [(e.slug, e.starts_at, e.ends_at) for e in events] == [
        (
            "places-of-worship-schemes-engagement-event-2023-07-25",
            datetime(2023, 7, 25, 18, 0, tzinfo=UK),
            datetime(2023, 7, 25, 19, 30, tzinfo=UK),
        ),
        (
            "places-of-worship-schemes-engagement-event-2023-07-27",
            datetime(2023, 7, 27, 11, 0, tzinfo=UK),
            datetime(2023, 7, 27, 12, 30, tzinfo=UK),
        ),
        (
            "prevent-planning-webinar-fe-skills-providers-2023-10-18",
            datetime(2023, 10, 18, 10, 30, tzinfo=UK),
            datetime(2023, 10, 18, 12, 0, tzinfo=UK),
        ),
        (
            "prevent-planning-webinar-fe-skills-providers-2024-01-16",
            datetime(2024, 1, 16, 10, 30, tzinfo=UK),
            datetime(2024, 1, 16, 12, 0, tzinfo=UK),
        ),
    ]
    # British Summer Time in July, Greenwich Mean Time in January.
    assert events[0].starts_at == datetime(2023, 7, 25, 17, 0, tzinfo=UTC)
    assert events[3].starts_at == datetime(2024, 1, 16, 10, 30, tzinfo=UTC)
    assert [e.organiser for e in events[:2]] == [
        "Home Office, with the Mayor's Office for Policing and Crime (MOPAC)",
        "Home Office",
    ]
    assert [e.funding_scheme.name for e in events[:2]] == [
        "Places of Worship Security Funding Scheme"
    ] * 2
    assert [e.title for e in events[2:]] == ["Prevent planning webinar for FE skills providers"] * 2
    assert all(e.online and e.booking_url == "" and e.status == "published" for e in events)


def test_funding_schemes_are_open_21_june_to_15_august_2023(output):
    schemes = FundingScheme.objects.order_by("name")
    assert [s.name for s in schemes] == [
        "Places of Worship Security Funding Scheme",
        "Protective Security for Mosques Scheme",
    ]
    for scheme in schemes:
        assert scheme.funder == "Home Office"
        assert (scheme.opens_on, scheme.closes_on) == (date(2023, 6, 21), date(2023, 8, 15))
        assert scheme.window_sentence == (
            "Applications opened on 21 June 2023 and closed on 15 August 2023."
        )
        assert scheme.guidance_url == (
            "https://www.gov.uk/guidance/places-of-worship-security-funding-scheme"
        )
        assert scheme.who_can_apply and scheme.what_it_covers and scheme.how_to_apply
        assert scheme.status == "published"
        assert scheme.state(date(2023, 8, 15)) == FundingScheme.State.OPEN
        assert scheme.state(date(2023, 8, 16)) == FundingScheme.State.CLOSED
    assert "security guarding" in schemes[1].what_it_covers


def test_loads_the_neurodiversity_community_project(output):
    project = CommunityProject.objects.get()
    assert project.title == "Neurodiversity & Extremism workshops"
    assert project.year_span == "2022-23"
    assert project.delivery_partner == "An autism education expert"
    assert project.workshop.slug == "neurodiversity-and-extremism"
    assert len(project.outcomes_list) == 7
    assert project.outcomes_list[-1] == "Common pathways."
    assert project.summary and project.body


def test_loads_the_eleven_further_reading_links_in_order(output):
    assert list(ResourceLink.objects.values_list("order", "publisher", "category", "url")) == [
        (
            1,
            "Home Office",
            "statistics",
            "https://www.gov.uk/government/statistics/individuals-referred-to-and-supported-"
            "through-the-prevent-programme-april-2021-to-march-2022",
        ),
        (2, "GOV.UK", "research", ""),
        (
            3,
            "GNET",
            "research",
            "https://gnet-research.org/2023/01/16/the-internet-and-radicalisation-pathways-"
            "technological-advances-mental-health-and-the-role-of-attackers/",
        ),
        (4, "Tech Against Terrorism", "research", ""),
        (
            5,
            "GNET",
            "research",
            "https://gnet-research.org/2022/01/24/assessing-misogyny-as-a-gateway-drug-into-"
            "violent-extremism/",
        ),
        (6, "GNET", "research", ""),
        (7, "Educate Against Hate", "education", "https://www.educateagainsthate.com/"),
        (8, "LGfL", "education", ""),
        (9, "", "online-safety", ""),
        (10, "", "online-safety", ""),
        (11, "SWGfL", "online-safety", "https://testfiltering.com/"),
    ]
    assert list(ResourceLink.objects.values_list("title", flat=True)) == [
        "Individuals referred to and supported through the Prevent Programme, April 2021 to "
        "March 2022",
        "Internet and radicalisation pathways: technological advances, relevance of mental "
        "health and role of attackers",
        "The Internet and Radicalisation Pathways: Technological Advances, Mental Health and the "
        "Role of Attackers",
        "State of Play 2022",
        "Assessing Misogyny as a ‘Gateway Drug’ into Violent Extremism",
        "Gender and Online Violent Extremism",
        "Educate Against Hate - Prevent Radicalisation & Extremism",
        "Going Too Far?",
        "Resources and information to parents, children and schools in understanding the "
        "digital world",
        "Helping parents keep their children safe online",
        "Test Your Internet Filter",
    ]


def test_loads_the_four_contacts_with_emails_as_printed(output):
    assert list(Contact.objects.values_list("service", "email")) == [
        ("Prevent team", "prevent@westminster.gov.uk"),
        ("Integrated Gangs & Exploitation Unit", "integratedgangsunit@westminster.gov.uk"),
        ("Children's Services", "accesstochildrengservices@westminster.gov.uk"),
        ("Adult Social Care", "adultsocialcare@westminster.gov.uk"),
    ]


def test_loads_the_ways_to_get_help_in_the_order_a_worried_person_needs(output):
    fields = ("part", "name", "phone", "textphone", "hours", "email", "url")
    assert list(HelpRoute.objects.values_list(*fields)) == [
        (
            "public",
            "ACT Early Support Line",
            "0800 011 3764",
            "18001 101",
            "Every day, 9am to 5pm. Calls outside those hours go to specialist Counter "
            "Terrorism officers.",
            "",
            "",
        ),
        ("public", "ACT Early", "", "", "", "", "https://actearly.uk/"),
        ("public", "Westminster Prevent team", "", "", "", "prevent@westminster.gov.uk", ""),
        (
            "professionals",
            "Westminster Prevent team",
            "",
            "",
            "",
            "prevent@westminster.gov.uk",
            "",
        ),
        ("suspicious", "Anti-Terrorist Hotline", "0800 789 321", "", "24 hours a day", "", ""),
        (
            "suspicious",
            "Report possible terrorist activity online",
            "",
            "",
            "",
            "",
            "https://www.gov.uk/ACT",
        ),
        (
            "online",
            "Report terrorist or extremist content online",
            "",
            "",
            "",
            "",
            "https://www.gov.uk/report-terrorism",
        ),
        (
            "safeguarding",
            "Children's Services",
            "",
            "",
            "",
            "accesstochildrengservices@westminster.gov.uk",
            "",
        ),
        ("safeguarding", "Adult Social Care", "", "", "", "adultsocialcare@westminster.gov.uk", ""),
    ]
    for route in HelpRoute.objects.all():
        route.full_clean()  # as the admin would accept it
        assert route.description


def test_ways_to_get_help_give_the_sources_numbers_and_addresses_and_no_others(output):
    routes = HelpRoute.objects.all()
    phones = {r.phone for r in routes} | {r.textphone for r in routes}
    assert phones - {""} == HELP_NUMBERS
    assert {r.url for r in routes} - {""} == HELP_URLS
    # The team's, children's and adults' safeguarding contacts from the newsletter's useful
    # contacts, as the contacts page has them.
    assert {r.email for r in routes} - {""} == set(
        Contact.objects.exclude(slug="integrated-gangs-and-exploitation-unit").values_list(
            "email", flat=True
        )
    )


def test_sections_link_to_the_items_they_talk_about(output):
    assert slugs(section("your-local-prevent-team").team_members) == slugs(TeamMember.objects)
    assert slugs(section("what-we-offer").workshops) == [
        "incel-ideology-and-extreme-misogyny",
        "online-grooming-for-parents-and-carers",
        "workshop-to-raise-awareness-of-prevent",
    ]
    news = section("prevent-news")
    assert slugs(news.events) == slugs(Event.objects)
    assert slugs(news.funding_schemes) == slugs(FundingScheme.objects)
    projects = section("community-projects")
    assert slugs(projects.projects) == ["neurodiversity-and-extremism-workshops"]
    assert slugs(projects.workshops) == ["neurodiversity-and-extremism"]
    further = section("further-information")
    assert slugs(further.resource_links) == slugs(ResourceLink.objects)
    assert slugs(further.contacts) == slugs(Contact.objects)


def test_every_link_is_a_checked_address_or_a_loaded_contact(output):
    urls = set(ResourceLink.objects.values_list("url", flat=True))
    urls |= set(FundingScheme.objects.values_list("guidance_url", flat=True))
    urls |= set(Event.objects.values_list("booking_url", flat=True))
    bodies = [s.body for s in Section.objects.all()]
    bodies += [w.body for w in Workshop.objects.all()]
    bodies += [e.description for e in Event.objects.all()]
    bodies += [p.body for p in CommunityProject.objects.all()]
    hrefs = {href for body in bodies for href in re.findall(r'href="([^"]*)"', body)}
    web_links = (urls | {h for h in hrefs if not h.startswith("mailto:")}) - {""}
    assert web_links <= CHECKED_URLS
    emails = set(Contact.objects.values_list("email", flat=True))
    assert {h.removeprefix("mailto:") for h in hrefs if h.startswith("mailto:")} <= emails


def test_running_twice_leaves_exactly_the_same_rows(output):
    before = snapshot()
    second_output = load()
    assert snapshot() == before
    assert "0 created, 60 updated" in second_output


def test_prints_a_one_line_summary_of_counts(output):
    assert output.count("\n") == 1
    assert "4 team members" in output
    assert "11 resource links" in output
    assert "6 sections" in output
    assert "8 topics" in output
    assert "60 created, 0 updated" in output


def test_a_file_naming_a_missing_item_loads_nothing(tmp_path):
    data = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
    data["issue"]["sections"][0]["team_members"].append("nobody")
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(TeamMember.DoesNotExist):
        load(file=broken)

    assert not any(model.objects.exists() for model in ALL_MODELS)


def test_if_empty_leaves_the_teams_edits_alone():
    call_command("load_initial_content", verbosity=0)
    Workshop.objects.filter(short_name="WRAP").update(duration="2 hours")
    call_command("load_initial_content", "--if-empty", verbosity=0)
    assert Workshop.objects.get(short_name="WRAP").duration == "2 hours"
