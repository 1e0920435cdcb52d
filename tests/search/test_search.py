"""The search page: what it finds and in what order, how each result is shown, filters by kind,
pages, and what it does with a search that finds nothing or with hostile input.

Every test runs on the database the suite runs on: SQLite (the simple search) by default, and
PostgreSQL (full-text search) with DATABASE_URL, as .ci/run does both.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blocks.publishing import Status
from search.models import SearchLog
from search.views import RESULTS_PER_PAGE
from tests.factories import (
    future,
    make_event,
    make_issue,
    make_link,
    make_member,
    make_scheme,
    make_section,
    make_workshop,
    past,
)

pytestmark = pytest.mark.django_db

SEARCH = "/search/"
_result_link = re.compile(
    r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]*)">(.*?)</a></h3>'
)


def search(client, q=None, **params):
    if q is not None:
        params["q"] = q
    return client.get(SEARCH, params)


def page_text(response):
    return response.content.decode()


def result_links(response):
    """(href, title) of each result, in the order shown; the title without its marks."""
    return [
        (href, re.sub(r"</?mark>", "", title))
        for href, title in _result_link.findall(page_text(response))
    ]


def extracts(response):
    return re.findall(
        r'<p class="govuk-body app-search-result__extract">(.*?)</p>', page_text(response)
    )


@pytest.fixture
def july_2023():
    call_command("load_initial_content", stdout=io.StringIO())


# --- What it finds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("WRAP", "/training/workshop-to-raise-awareness-of-prevent/"),
        ("grooming", "/training/online-grooming-for-parents-and-carers/"),
        ("misogyny", "/training/incel-ideology-and-extreme-misogyny/"),
        ("Places of Worship funding", "/funding/places-of-worship-security-funding-scheme/"),
        ("Kiran", "/team/#kiran-malik"),
    ],
)
def test_searching_the_july_2023_content_finds_the_expected_item_first(client, july_2023, q, first):
    response = search(client, q)
    assert response.status_code == 200
    links = result_links(response)
    assert links and links[0][0] == first, links


def test_a_section_is_found_by_its_text_and_links_to_its_anchor_on_the_issue_page(
    client, july_2023
):
    links = result_links(search(client, "Independent Review"))
    assert ("/newsletters/july-2023/#prevent-news", "Prevent news") in links


PARTIAL = "No results contain all of your words. Showing results for some of them."


def test_results_with_every_word_come_first_then_those_with_some(client):
    make_workshop(title="Online safety", summary="For schools.")
    make_workshop(title="Online grooming", summary="For parents and carers.")
    response = search(client, "online grooming")
    assert [title for _, title in result_links(response)] == ["Online grooming", "Online safety"]
    assert PARTIAL not in page_text(response)


def test_when_no_result_has_every_word_the_page_says_it_shows_those_with_some(client):
    make_workshop(title="Online safety", summary="For schools.")
    response = search(client, "online knitting")
    assert [title for _, title in result_links(response)] == ["Online safety"]
    assert PARTIAL in page_text(response)
    assert PARTIAL not in page_text(search(client, "online"))


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("radicalization", "Radicalisation"),
        ("organize", "Organise"),
        ("program", "Programme"),
        ("behavior", "Behaviour"),
        ("programme", "Program"),
    ],
)
def test_british_and_american_spellings_find_each_other(client, typed, written):
    make_link(title=f"{written} research", description="A study.")
    assert [title for _, title in result_links(search(client, typed))] == [f"{written} research"]


def test_a_closed_scheme_and_a_past_event_say_so_in_their_results(client):
    make_scheme(name="Old grants scheme", opens_on=past(60).date(), closes_on=past(30).date())
    make_scheme(name="Open grants scheme", closes_on=future(30).date())
    make_event(title="Old grants event", starts_at=past(10))
    make_event(title="New grants event", starts_at=future(10))
    html = page_text(search(client, "grants"))
    results = re.findall(r'<li class="app-search-result">(.*?)</li>', html, re.DOTALL)
    said = {re.search(r'href="[^"]*">(.*?)</a>', r).group(1): r for r in results}
    said = {re.sub(r"</?mark>", "", title): r for title, r in said.items()}
    assert "Closed" in said["Old grants scheme"]
    assert "Past event" in said["Old grants event"]
    assert "Closed" not in said["Open grants scheme"]
    assert "Past event" not in said["New grants event"]


def test_names_are_marked_in_titles_as_in_the_text(client):
    make_member(name="Kiran Malik", role="Prevent coordinator")
    html = page_text(search(client, "kiran"))
    assert "<mark>Kiran</mark> Malik</a>" in html


def test_a_quoted_phrase_must_be_found_whole_and_a_minus_word_not_at_all(client):
    make_workshop(title="Online grooming", summary="For parents and carers.")
    make_workshop(title="Grooming online", summary="For schools.")
    titles = [title for _, title in result_links(search(client, '"online grooming"'))]
    assert titles == ["Online grooming"]
    titles = [title for _, title in result_links(search(client, "grooming -schools"))]
    assert titles == ["Online grooming"]


def test_items_with_the_words_in_their_title_come_first(client):
    make_link(title="Extremism statistics", description="Figures on radicalisation.")
    make_link(title="Radicalisation research", description="A study.")
    assert [title for _, title in result_links(search(client, "radicalisation"))] == [
        "Radicalisation research",
        "Extremism statistics",
    ]


def test_a_word_only_in_a_draft_issue_finds_nothing(client, july_2023):
    draft = make_issue(title="Draft issue", status=Status.DRAFT)
    make_section(draft, heading="Not yet", body="<p>Zanzibar is only in this draft.</p>")
    make_workshop(title="Zanzibar workshop", status=Status.DRAFT)
    response = search(client, "Zanzibar")
    assert result_links(response) == []
    assert "No results for ‘Zanzibar’" in page_text(response)


def test_a_scheduled_issue_is_found_only_once_its_time_has_come(client, monkeypatch):
    moment = future(days=2)
    issue = make_issue(title="Scheduled issue", publish_at=moment)
    make_section(issue, heading="Coming soon", body="<p>Quokkas in Westminster.</p>")
    assert result_links(search(client, "quokkas")) == []

    # No save in between: the entry already knows when it becomes public.
    later = moment + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert [title for _, title in result_links(search(client, "quokkas"))] == ["Coming soon"]


def test_an_edit_is_found_at_once_and_a_deleted_item_no_longer(client):
    workshop = make_workshop(title="Old name")
    workshop.title = "Neurodiversity awareness"
    workshop.save()
    assert result_links(search(client, "neurodiversity")) == [
        (workshop.get_absolute_url(), "Neurodiversity awareness")
    ]
    workshop.delete()
    assert result_links(search(client, "neurodiversity")) == []


# --- How results are shown --------------------------------------------------------------------


def test_each_result_shows_its_kind_linked_title_date_and_an_extract_with_the_words_marked(
    client,
):
    issue = make_issue(slug="july-2023", month=datetime.date(2023, 7, 1))
    make_section(
        issue,
        heading="Prevent news",
        slug="prevent-news",
        body="<p>Many words before. The Independent Review of Prevent was published.</p>",
    )
    response = search(client, "independent review")
    text = page_text(response)
    assert "1 result for ‘independent review’" in text
    assert '<p class="govuk-caption-m govuk-!-margin-bottom-1">Newsletter section</p>' in text
    assert result_links(response) == [("/newsletters/july-2023/#prevent-news", "Prevent news")]
    assert '<time datetime="2023-07-01">July 2023</time>' in text
    [extract] = extracts(response)
    assert "<mark>Independent</mark> <mark>Review</mark> of Prevent" in extract


def test_an_event_shows_the_day_it_starts(client):
    starts = timezone.make_aware(datetime.datetime(2031, 3, 5, 18, 0))
    make_event(title="Webinar on misogyny", starts_at=starts)
    assert '<time datetime="2031-03-05">5 March 2031</time>' in page_text(search(client, "webinar"))


def test_html_in_content_is_shown_as_text_never_run(client):
    make_section(
        make_issue(),
        heading="Heading with <b>tags</b>",
        body="<p>Text about &lt;script&gt;alert('content')&lt;/script&gt; grooming.</p>",
    )
    response = search(client, "grooming")
    text = page_text(response)
    assert len(result_links(response)) == 1
    assert "<script>alert" not in text
    assert "Heading with &lt;b&gt;tags&lt;/b&gt;" in text and "<b>tags</b>" not in text
    [extract] = extracts(response)
    assert "alert(&#x27;content&#x27;)" in extract
    # PostgreSQL's ts_headline leaves out what its parser takes for tags; the simple search's
    # extract keeps them, as text.
    if connection.vendor != "postgresql":
        assert "&lt;script&gt;alert(&#x27;content&#x27;)&lt;/script&gt;" in extract


def test_html_in_the_search_is_shown_as_text_never_run(client):
    response = search(client, "<script>alert('query')</script>")
    text = page_text(response)
    assert "<script>alert" not in text
    escaped = "&lt;script&gt;alert(&#x27;query&#x27;)&lt;/script&gt;"
    assert f"<title>Search results for ‘{escaped}’ – Westminster Prevent team</title>" in text
    assert f'value="{escaped}"' in text
    assert f"No results for ‘{escaped}’" in text


def test_only_the_marks_are_html_in_an_extract(client):
    make_section(
        make_issue(), heading="Marks", body="<p>&lt;mark&gt;fake&lt;/mark&gt; grooming</p>"
    )
    [extract] = extracts(search(client, "grooming"))
    assert set(re.findall(r"<[^>]*>", extract)) == {"<mark>", "</mark>"}
    if connection.vendor != "postgresql":  # ts_headline leaves tag-like text out
        assert "&lt;mark&gt;fake&lt;/mark&gt;" in extract
    assert "<mark>grooming</mark>" in extract


# --- Filters and pages --------------------------------------------------------------------------


def test_filters_show_the_count_of_each_kind_for_the_search_and_narrow_the_results(client):
    for n in range(3):
        make_workshop(title=f"Safeguarding workshop {n}")
    make_event(title="Safeguarding webinar")
    make_member(name="Sam Jones", bio="Leads on safeguarding.")
    make_link(title="Unrelated guidance")

    response = search(client, "safeguarding")
    text = page_text(response)
    assert "5 results for ‘safeguarding’" in text
    assert '<strong aria-current="true">All types (5)</strong>' in text
    assert '<a class="govuk-link" href="?q=safeguarding&amp;kind=workshop">Workshop (3)</a>' in text
    assert '<a class="govuk-link" href="?q=safeguarding&amp;kind=event">Event (1)</a>' in text
    assert (
        '<a class="govuk-link" href="?q=safeguarding&amp;kind=member">Team member (1)</a>' in text
    )
    assert "Resource link" not in text

    filtered = search(client, "safeguarding", kind="workshop")
    text = page_text(filtered)
    assert "3 workshop results for ‘safeguarding’" in text
    assert len(result_links(filtered)) == 3
    # The counts are still those of every kind, and "All types" leads back.
    assert '<strong aria-current="true">Workshop (3)</strong>' in text
    assert '<a class="govuk-link" href="?q=safeguarding">All types (5)</a>' in text
    assert "Search results for ‘safeguarding’: Workshop –" in text


def test_an_unknown_kind_shows_every_result(client):
    make_workshop(title="Safeguarding workshop")
    response = search(client, "safeguarding", kind="<script>")
    assert response.status_code == 200
    assert len(result_links(response)) == 1


def test_a_filter_with_nothing_of_its_kind_points_to_all_the_results(client):
    make_workshop(title="Safeguarding workshop")
    text = page_text(search(client, "safeguarding", kind="event"))
    assert "No event results for ‘safeguarding’" in text
    assert (
        '<a class="govuk-link" href="?q=safeguarding">See all 1 result for ‘safeguarding’</a>'
        in text
    )


def test_results_come_in_pages_whose_links_keep_the_search_and_filter(client):
    total = RESULTS_PER_PAGE * 2 + 3
    for n in range(total):
        make_link(title=f"Extremism guidance {n:02d}")
    first = search(client, "extremism guidance", kind="link")
    assert len(result_links(first)) == RESULTS_PER_PAGE
    assert "Page 1 of 3." in page_text(first)
    assert 'href="?q=extremism+guidance&amp;kind=link&amp;page=2" rel="next"' in page_text(first)

    last = search(client, "extremism guidance", kind="link", page=3)
    assert len(result_links(last)) == 3
    assert "(page 3)" in page_text(last)
    seen = {
        href
        for page in (1, 2, 3)
        for href, _ in result_links(search(client, "extremism guidance", page=page))
    }
    assert len(seen) == total


@pytest.mark.parametrize("page", ["4", "0", "-1", "two", "1.5", "9" * 30])
def test_a_page_that_does_not_exist_is_not_found(client, page):
    for n in range(RESULTS_PER_PAGE * 3):
        make_link(title=f"Extremism guidance {n}")
    assert search(client, "extremism", page=page).status_code == 404


@pytest.mark.parametrize("matching", [6, 30])
def test_a_search_takes_the_same_number_of_queries_however_many_results(
    client, django_assert_num_queries, matching
):
    for n in range(matching):
        make_link(title=f"Extremism guidance {n}", description="Extremism " * n)
        make_workshop(title=f"Extremism workshop {n}")
    # The team's synonyms for the words, the kinds and their counts, the page of results, the
    # log of the search; the live banners; whether the team marked the page sensitive.
    with django_assert_num_queries(6):
        response = search(client, "extremism")
    assert len(result_links(response)) == min(matching * 2, RESULTS_PER_PAGE)
    # A second page is not logged.
    with django_assert_num_queries(5):
        search(client, "extremism", page=2)
    # When no result has every word, one more: the words of the index near those typed.
    with django_assert_num_queries(7):
        response = search(client, "extremism knitting")
    assert len(result_links(response)) == min(matching * 2, RESULTS_PER_PAGE)


# --- No search, no results ----------------------------------------------------------------------


@pytest.mark.parametrize("q", [None, "", "   "])
def test_without_a_search_the_page_shows_the_form_and_a_short_sentence(client, q):
    make_workshop(title="Anything")
    response = search(client, q)
    text = page_text(response)
    assert response.status_code == 200
    assert '<label class="govuk-label govuk-label--xl" for="search-q">Search</label>' in text
    assert "Search the newsletters, training, events, funding schemes, resources" in text
    assert "results for" not in text and "No results" not in text
    assert result_links(response) == []
    assert "<title>Search – Westminster Prevent team</title>" in text
    assert not SearchLog.objects.exists()


def test_a_search_that_finds_nothing_helps_to_search_again_or_look_around(client):
    response = search(client, "xylophone")
    text = page_text(response)
    assert "No results for ‘xylophone’" in text
    assert "check the spelling" in text
    assert "try fewer words, or other words that mean the same thing" in text
    for name in [
        "newsletters:issue-list",
        "training:workshop-list",
        "training:event-list",
        "resources:scheme-list",
        "resources:link-list",
        "search:topic-list",
    ]:
        assert f'href="{reverse(name)}"' in text, name
    assert 'value="xylophone"' in text


# --- Hostile input ----------------------------------------------------------------------------

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "quotes": '"grooming\' "',
    "sql": "'; DROP TABLE search_searchentry; --",
    "sql-or": "1' OR '1'='1",
    "long": "grooming " * 1200,
    "emoji": "🙂 grooming 🔍",
    "nul": "groo\x00ming\x00",
    "unbalanced-quotes": '"online grooming',
    "websearch-operators": "-or - ! & | ( ) :* grooming <->",
    "punctuation": "!?.,;:'\"()[]{}",
    "like-wildcards": "%_%",
    "backslashes": "\\\\ grooming \\",
    "control": "\x01\x1f grooming \x7f",
    "private-use": "\ue000grooming\ue001",
}


@pytest.mark.parametrize("q", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_searches_are_answered_safely_and_logged_cut_and_clean(client, q):
    make_workshop(title="Online grooming for parents and carers")
    response = search(client, q)
    assert response.status_code == 200
    text = page_text(response)
    assert "<script>alert" not in text
    assert "\x00" not in text
    log = SearchLog.objects.get()
    assert len(log.term) <= 100 and "\x00" not in log.term
    assert log.results == len(result_links(response))


def test_a_long_search_is_cut_to_100_characters_before_it_is_run(client):
    make_workshop(title="Online grooming")
    response = search(client, "grooming " * 1200)
    assert len(result_links(response)) == 1
    # At the end of the last whole word.
    assert SearchLog.objects.get().term == ("grooming " * 11).strip()


def test_nul_characters_are_removed_rather_than_refused(client):
    make_workshop(title="Online grooming")
    response = client.get(SEARCH + "?q=groo%00ming")
    assert response.status_code == 200
    assert len(result_links(response)) == 1
    assert SearchLog.objects.get().term == "grooming"


def test_a_query_string_that_is_not_utf8_is_answered(client):
    assert client.get(SEARCH + "?q=%ff%fe%00grooming").status_code == 200


# --- Requests and caches -----------------------------------------------------------------------


def test_head_is_answered_and_post_refused(client):
    assert client.head(SEARCH, {"q": "grooming"}).status_code == 200
    assert client.post(SEARCH, {"q": "grooming"}).status_code == 405
    assert not SearchLog.objects.exists()


def test_results_are_kept_by_no_shared_cache_and_not_listed_by_search_engines(client):
    response = search(client, "grooming")
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in page_text(response)
    assert '<link rel="canonical"' not in page_text(response)


def test_results_always_include_what_was_added_since_the_last_search(client):
    make_workshop(title="Online grooming")
    assert len(result_links(search(client, "grooming"))) == 1
    make_workshop(title="Grooming awareness")
    assert len(result_links(search(client, "grooming"))) == 2
    assert SearchLog.objects.count() == 2


def test_every_page_but_the_search_page_has_the_search_box_in_its_header(client, july_2023):
    for path in ["/", "/newsletters/july-2023/", "/training/", "/no-such-page/"]:
        text = page_text(client.get(path))
        header = text[text.index("<header") : text.index("</header>")]
        assert '<search class="app-header__search">' in header, path
        assert f'<form action="{SEARCH}" method="get">' in header, path
        # The box is named by its button's visible word, so "click Search" in voice control
        # finds what the screen shows; a visually-hidden label would name it with hidden words.
        assert (
            '<input class="govuk-input app-search__input" id="site-search" name="q" type="search"'
            ' aria-labelledby="site-search-button">' in header
        ), path
        assert 'id="site-search-button">Search</button>' in header, path
        assert "govuk-visually-hidden" not in header, path


def test_the_search_page_has_one_search_box(client, july_2023):
    for path in [SEARCH, SEARCH + "?q=prevent"]:
        text = page_text(client.get(path))
        assert text.count('type="search"') == 1, path
        assert text.count("<search") == 0 and text.count("<form") == 1, path
        assert '<label class="govuk-label govuk-label--xl" for="search-q">Search</label>' in text


def test_the_header_search_box_searches(july_2023):
    # What a browser sends when the header's form is submitted, without JavaScript.
    response = Client().get(SEARCH + "?q=Kiran")
    assert result_links(response)[0] == ("/team/#kiran-malik", "Kiran Malik")
