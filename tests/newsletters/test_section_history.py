"""A section heading used in several issues ("Prevent news") has a page listing that section from
every published issue, newest first, linked from the section on each issue's page."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import future, make_issue, make_section

pytestmark = pytest.mark.django_db

HISTORY = "/newsletters/sections/prevent-news/"


def issue_of(month, **overrides):
    return make_issue(
        title=f"Prevent Newsletter, {month:%B %Y}", month=month, volume=month.month, **overrides
    )


def news(issue, body="<p>News.</p>", **overrides):
    return make_section(issue, slug="prevent-news", heading="Prevent news", body=body, **overrides)


@pytest.fixture
def two_issues():
    july = issue_of(datetime.date(2023, 7, 1))
    october = issue_of(datetime.date(2023, 10, 1))
    news(
        july,
        "<h3>The Independent Review of Prevent</h3><p>During the February half term, the "
        "Independent Review of Prevent was published.</p>",
    )
    news(october, "<p>The CONTEST strategy &amp; what it means.</p><p>Second paragraph.</p>")
    return july, october


def test_section_history_lists_the_section_from_every_published_issue_newest_first(
    client, two_issues
):
    july, october = two_issues
    news(issue_of(datetime.date(2023, 11, 1), status="draft"), "<p>Draft news.</p>")
    news(issue_of(datetime.date(2023, 12, 1), publish_at=future()), "<p>Scheduled news.</p>")
    make_section(july, slug="community-projects", body="<p>Not news.</p>")

    response = client.get(reverse("newsletters:section-history", args=["prevent-news"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Prevent news</h1>' in html
    assert "<title>Prevent news: every issue – Westminster Prevent team</title>" in html
    # Each with its issue's label, its heading linked to its place in the issue, and its
    # opening words (after any sub-heading).
    october_entry = html.index('href="/newsletters/' + october.slug + '/#prevent-news"')
    july_entry = html.index('href="/newsletters/' + july.slug + '/#prevent-news"')
    assert october_entry < july_entry
    assert "October 2023, Vol. 10" in html and "July 2023, Vol. 7" in html
    assert "The CONTEST strategy &amp; what it means." in html
    assert "Second paragraph" not in html
    assert "During the February half term, the Independent Review" in html
    assert "The Independent Review of Prevent</a>" in html  # its sub-heading, linked
    for text in ("Draft news", "Scheduled news", "Not news"):
        assert text not in html
    # Breadcrumbs back to the newsletters.
    assert 'href="/newsletters/">Newsletters</a>' in html


def test_section_history_of_a_heading_no_published_issue_has_is_not_found(client):
    news(issue_of(datetime.date(2023, 11, 1), status="draft"))
    assert client.get(HISTORY).status_code == 404
    assert client.get("/newsletters/sections/no-such-section/").status_code == 404


def test_each_section_links_to_its_history_when_another_published_issue_has_it(client, two_issues):
    july, october = two_issues
    once_only = make_section(july, slug="community-projects", heading="Community projects")

    html = client.get(july.get_absolute_url()).content.decode()

    assert f'<a class="govuk-link" href="{HISTORY}">“Prevent news” in every issue</a>' in html
    assert "/newsletters/sections/community-projects/" not in html
    assert once_only.heading in html


def test_a_section_in_no_other_published_issue_has_no_history_link(client):
    july = issue_of(datetime.date(2023, 7, 1))
    news(july)
    news(issue_of(datetime.date(2023, 11, 1), status="draft"))
    news(issue_of(datetime.date(2023, 12, 1), publish_at=future()))

    assert HISTORY not in client.get(july.get_absolute_url()).content.decode()
    # The page exists all the same, with the one issue.
    history = client.get(HISTORY)
    assert history.status_code == 200
    assert history.content.decode().count('/#prevent-news"') == 1


def test_sitemap_lists_a_section_history_once_two_published_issues_have_the_section(client):
    july = issue_of(datetime.date(2023, 7, 1))
    news(july)
    news(issue_of(datetime.date(2023, 11, 1), status="draft"))
    assert HISTORY not in client.get("/sitemap.xml").content.decode()

    news(issue_of(datetime.date(2023, 10, 1)))
    assert client.get("/sitemap.xml").content.decode().count(f"{HISTORY}</loc>") == 1
