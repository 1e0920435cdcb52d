"""Every public page is built in a fixed number of SQL queries, however much content there is."""

import pytest
from django.urls import reverse

from tests.factories import make_newsletter_content

pytestmark = pytest.mark.django_db

# Page: the exact number of queries that builds it (no cache in Django: every page is built).
QUERIES = {
    "home": 6,  # introduction, latest issue, workshops, upcoming events, open schemes, audiences
    "newsletters:issue-list": 2,  # count for the paginator, then the page of issues
    "newsletters:issue-feed": 1,
    "newsletters:section-history": 1,  # one heading's sections, with their issues joined
    "newsletters:issue-detail": 12,  # issue, sections, 7 kinds of linked item, topics, older, newer
    "training:workshop-list": 1,
    "training:workshop-detail": 4,  # workshop, testimonials, topics, approved feedback quotes
    "training:event-list": 2,  # upcoming, past
    "training:event-detail": 2,  # with its workshop and scheme joined; topics
    "training:event-ics": 1,
    "training:project-list": 1,
    "training:project-detail": 1,
    "resources:team": 1,
    "resources:contact-list": 1,
    "resources:link-list": 2,  # links, their topics
    "resources:scheme-list": 1,
    "resources:scheme-detail": 3,  # scheme, its events, its topics
    "resources:help-route-list": 2,  # introduction, routes
    "search:topic-list": 1,  # the topics, each with its public items counted
    "search:topic-detail": 7,  # topic, sections, workshops, events to come, past, links, schemes
    "reports:report": 1,  # its introduction: the form lists nothing from the database
    "newsletters:subscribe": 0,
    "newsletters:subscribe-done": 0,
    "accessibility": 1,  # its summary
    "privacy": 1,  # its summary
    "cookies": 0,
    "staying-safe-online": 0,
}


# Pages (not the feed or calendar files) also read the team's live banners: one query.
NOT_PAGES = {"newsletters:issue-feed", "training:event-ics"}
# And, but for those that always have Exit this page, whether the team marked them sensitive.
ALWAYS_SENSITIVE = {"resources:help-route-list", "reports:report", "staying-safe-online"}


def site_wide_queries(name):
    if name in NOT_PAGES:
        return 0
    return 1 if name in ALWAYS_SENSITIVE else 2


def page_urls(items):
    detail = {
        "newsletters:issue-detail": items["issue"],
        "training:workshop-detail": items["workshop"],
        "training:event-detail": items["event"],
        "training:event-ics": items["event"],
        "training:project-detail": items["project"],
        "resources:scheme-detail": items["scheme"],
        "search:topic-detail": items["topic"],
    }
    for name in QUERIES:
        if name == "newsletters:section-history":
            yield name, reverse(name, kwargs={"slug": items["section_heading"]})
        elif name in detail:
            yield name, reverse(name, kwargs={"slug": detail[name].slug})
        else:
            yield name, reverse(name)


@pytest.mark.parametrize("scale", [1, 10], ids=["newsletter", "newsletter-x10"])
def test_each_public_page_takes_the_same_number_of_queries_with_ten_times_the_content(
    client, settings, django_assert_num_queries, scale
):
    items = make_newsletter_content(scale)
    for name, url in page_urls(items):
        expected = QUERIES[name] + site_wide_queries(name)
        with django_assert_num_queries(expected, info=url):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_ten_times_site_really_shows_its_content(client, settings):
    """Guards the test above: the big pages list everything the builder made."""
    items = make_newsletter_content(10)
    issue_page = client.get(items["issue"].get_absolute_url()).content.decode()
    assert issue_page.count('class="govuk-link" href="/training/') >= 40
    assert "“Prevent news” in every issue" in issue_page
    assert client.get(reverse("resources:link-list")).content.decode().count("example.org") == 200
    events = client.get(reverse("training:event-list")).content.decode()
    assert events.count('href="/events/event-') >= 100
    history = client.get(reverse("newsletters:section-history", args=["prevent-news"])).text
    assert history.count('/#prevent-news"') == 20
    topic_page = client.get(items["topic"].get_absolute_url()).content.decode()
    assert topic_page.count('href="/training/workshop-') == 40
    assert topic_page.count('href="/newsletters/issue-') == 120  # 20 issues of 6 sections
    help_page = client.get(reverse("resources:help-route-list")).content.decode()
    # Each route's number, and the first one's again at the top of the page.
    assert help_page.count('<a class="govuk-link" href="tel:020794') == 101
