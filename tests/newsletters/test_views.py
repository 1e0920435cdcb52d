import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from blocks.publishing import Publishable, Status
from newsletters.models import Section
from resources.models import Contact, FundingScheme, ResourceLink, TeamMember
from tests import factories
from tests.factories import future, jpeg_upload, make_issue, make_section, make_workshop
from training.models import CommunityProject, Event, Workshop

pytestmark = pytest.mark.django_db

MAKERS = {
    Workshop: factories.make_workshop,
    Event: factories.make_event,
    CommunityProject: factories.make_project,
    FundingScheme: factories.make_scheme,
    ResourceLink: factories.make_link,
    TeamMember: factories.make_member,
    Contact: factories.make_contact,
}


def test_archive_lists_published_issues_newest_first(client):
    import datetime

    older = make_issue(title="Spring issue", month=datetime.date(2023, 3, 1))
    newer = make_issue(title="Summer issue", month=datetime.date(2023, 7, 1))
    body = client.get(reverse("newsletters:issue-list")).content.decode()
    assert body.index(newer.title) < body.index(older.title)


def test_draft_and_future_issues_are_not_in_archive_or_feed_and_404(client):
    draft = make_issue(title="Draft issue", status=Status.DRAFT)
    scheduled = make_issue(title="Scheduled issue", publish_at=future(3))
    archive = client.get(reverse("newsletters:issue-list")).content.decode()
    feed = client.get(reverse("newsletters:issue-feed")).content.decode()
    for issue in (draft, scheduled):
        assert issue.title not in archive
        assert issue.title not in feed
        assert client.get(issue.get_absolute_url()).status_code == 404


def test_feed_lists_published_issue_with_link(client):
    issue = make_issue(title="Feed issue", summary="Feed summary")
    feed = client.get(reverse("newsletters:issue-feed")).content.decode()
    assert "<title>Feed issue</title>" in feed
    assert issue.get_absolute_url() in feed


def test_feed_links_to_the_public_site_whatever_host_name_was_asked_for(client, settings):
    settings.SITE_URL = "https://prevent.example.gov.uk"
    settings.ALLOWED_HOSTS = ["prevent.example.gov.uk", "internal.example.org"]
    issue = make_issue(title="Feed issue")

    feed = client.get(reverse("newsletters:issue-feed"), HTTP_HOST="internal.example.org")

    root = ElementTree.fromstring(feed.content)
    channel = root.find("channel")
    atom = "{http://www.w3.org/2005/Atom}link"
    assert channel.findtext("link") == "https://prevent.example.gov.uk/newsletters/"
    assert channel.find(atom).get("href") == "https://prevent.example.gov.uk/newsletters/feed/"
    [item] = channel.findall("item")
    assert item.findtext("link") == f"https://prevent.example.gov.uk{issue.get_absolute_url()}"
    assert item.findtext("guid") == item.findtext("link")
    assert b"internal.example.org" not in feed.content


def test_cover_image_stands_apart_from_the_contents_heading_below_it(client):
    issue = make_issue(cover_image=jpeg_upload(), cover_image_alt="The July cover")
    make_section(issue)

    page = client.get(issue.get_absolute_url()).text

    [cover] = re.findall(r'<img class="([^"]*)"[^>]*alt="The July cover"', page)
    # A block with GOV.UK's bottom margin, as after the summary above it; not an inline image
    # resting on the "Contents" heading.
    assert set(cover.split()) >= {"govuk-!-display-block", "govuk-!-margin-bottom-6"}
    assert page.index("The July cover") < page.index('id="contents-title"')


def test_issue_page_has_contents_linking_to_each_section_anchor(client):
    issue = make_issue()
    first = make_section(issue, heading="Your local team", slug="team", order=1)
    second = make_section(
        issue, heading="Prevent news", slug="news", order=2, body="<h3>CONTEST refresh</h3><p>x</p>"
    )
    body = client.get(issue.get_absolute_url()).content.decode()
    assert f'href="#{first.slug}"' in body and f'id="{first.slug}"' in body
    assert f'href="#{second.slug}"' in body and f'id="{second.slug}"' in body
    # Sub-headings inside a section are linkable too.
    assert 'href="#news-contest-refresh"' in body and 'id="news-contest-refresh"' in body
    assert body.index("Your local team") < body.index("Prevent news")


def test_issue_page_links_to_previous_and_next_issues(client):
    import datetime

    first = make_issue(title="January issue", month=datetime.date(2023, 1, 1))
    middle = make_issue(title="April issue", month=datetime.date(2023, 4, 1))
    last = make_issue(title="July issue", month=datetime.date(2023, 7, 1))
    make_issue(title="Unpublished October", month=datetime.date(2023, 10, 1), status=Status.DRAFT)
    body = client.get(middle.get_absolute_url()).content.decode()
    assert first.get_absolute_url() in body and "Previous issue" in body
    assert last.get_absolute_url() in body and "Next issue" in body
    newest = client.get(last.get_absolute_url()).content.decode()
    assert "Next issue" not in newest and "Unpublished October" not in newest


def test_section_links_to_published_workshops_only(client):
    issue = make_issue()
    section = make_section(issue)
    live = make_workshop(title="Live workshop")
    draft = make_workshop(title="Draft workshop", status=Status.DRAFT)
    section.workshops.set([live, draft])
    body = client.get(issue.get_absolute_url()).content.decode()
    assert live.get_absolute_url() in body
    assert "Draft workshop" not in body


@pytest.mark.parametrize("relation", Section.LINKED_ITEMS)
def test_each_kind_of_linked_item_is_on_the_issue_page_unless_a_draft_or_scheduled(
    client, relation
):
    model = Section._meta.get_field(relation).related_model
    make = MAKERS[model]
    # What the page shows of the item: its title, name or service name.
    [shown] = [name for name in ("title", "name", "service") if hasattr(model, name)]
    linked = [make(**{shown: "Linked live item"})]
    if issubclass(model, Publishable):
        linked += [
            make(**{shown: "Linked draft item", "status": Status.DRAFT}),
            make(**{shown: "Linked scheduled item", "publish_at": future(3)}),
        ]
    issue = make_issue()
    getattr(make_section(issue), relation).set(linked)

    body = client.get(issue.get_absolute_url()).text

    assert "Linked live item" in body
    assert "Linked draft item" not in body
    assert "Linked scheduled item" not in body


def test_issue_page_query_count_does_not_grow_with_sections(client, django_assert_max_num_queries):
    issue = make_issue()
    for _ in range(3):
        make_section(issue).workshops.add(make_workshop())
    with django_assert_max_num_queries(14) as small:
        client.get(issue.get_absolute_url())
    for _ in range(12):
        make_section(issue).workshops.add(make_workshop())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(issue.get_absolute_url())


def test_section_body_is_sanitised(client):
    issue = make_issue()
    make_section(
        issue,
        body='<p onclick="x()">Hi</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>',
    )
    body = client.get(issue.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert "onclick" not in body
    assert "javascript:alert" not in body
