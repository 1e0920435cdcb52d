"""The search index: one entry for each thing the search can find, kept current as content is
saved and deleted, and built again by rebuild_search_index."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from blocks.publishing import Status
from newsletters.models import Issue, Section
from search import index
from search.models import SearchEntry
from search.pages import PAGES
from tests.factories import (
    future,
    make_contact,
    make_event,
    make_issue,
    make_link,
    make_member,
    make_project,
    make_scheme,
    make_section,
    make_workshop,
    past,
)

pytestmark = pytest.mark.django_db


def entry_for(item):
    return SearchEntry.objects.get(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )


def every_kind():
    """One item of each kind the search finds, published, with the words of its entry."""
    issue = make_issue(title="Prevent Newsletter, March 2024", month=datetime.date(2024, 3, 1))
    return {
        "issue": issue,
        "section": make_section(issue, heading="Prevent news", body="<p>The review.</p>"),
        "workshop": make_workshop(
            title="Workshop to Raise Awareness of Prevent", short_name="WRAP"
        ),
        "event": make_event(title="Webinar for schools"),
        "scheme": make_scheme(name="Places of Worship Security Funding Scheme"),
        "project": make_project(title="Neurodiversity and radicalisation"),
        "link": make_link(title="Prevent duty guidance"),
        "contact": make_contact(service="Adult Social Care"),
        "member": make_member(name="Kiran Malik", role="Prevent Programme Manager"),
    }


def test_each_kind_of_item_has_an_entry_linking_to_its_own_page():
    for kind, item in every_kind().items():
        entry = entry_for(item)
        assert entry.kind == kind
        assert entry.kind in SearchEntry.Kind.values
        assert entry.url == item.get_absolute_url(), kind


def test_an_entry_holds_the_title_plain_text_and_date_shown_in_results():
    items = every_kind()
    section = entry_for(items["section"])
    assert (section.title, section.text) == ("Prevent news", "The review.")
    assert section.url == f"/newsletters/{items['issue'].slug}/#{items['section'].slug}"
    assert section.date == datetime.date(2024, 3, 1)
    assert entry_for(items["workshop"]).title == "Workshop to Raise Awareness of Prevent (WRAP)"
    assert entry_for(items["member"]).text == "Prevent Programme Manager"
    event = items["event"]
    assert entry_for(event).date == timezone.localtime(event.starts_at).date()
    assert entry_for(items["scheme"]).date == items["scheme"].opens_on
    assert entry_for(items["contact"]).date is None


def test_rich_text_is_indexed_as_words_without_tags_or_entities():
    issue = make_issue()
    section = make_section(
        issue,
        body="<h3>Online&nbsp;safety</h3><p>Grooming &amp; exploitation</p><ul><li>One</li>"
        "<li>Two</li></ul><p><script>alert(1)</script>Safe</p>",
    )
    assert entry_for(section).text == "Online safety Grooming & exploitation One Two Safe"


def test_characters_that_would_pass_for_search_marks_are_taken_out_of_entries():
    section = make_section(make_issue(), heading="Plain", body=f"<p>a{index.MARK_START}b</p>")
    assert entry_for(section).text == "ab"


def test_drafts_are_never_public_and_scheduled_items_are_public_from_their_time():
    moment = future(3)
    draft = make_workshop(status=Status.DRAFT)
    scheduled = make_event(publish_at=moment)
    assert entry_for(draft).public_from is None
    assert entry_for(scheduled).public_from == moment
    # A section is public when its issue is.
    section = make_section(make_issue(status=Status.DRAFT))
    assert entry_for(section).public_from is None


def test_saving_an_item_rewrites_its_entry():
    workshop = make_workshop(title="Old title")
    workshop.title = "New title"
    workshop.save()
    assert entry_for(workshop).title == "New title"
    assert SearchEntry.objects.count() == 1


def test_saving_an_issue_rewrites_its_sections_entries():
    issue = make_issue(status=Status.DRAFT, slug="draft-issue")
    section = make_section(issue, slug="news")
    assert entry_for(section).public_from is None

    issue.status, issue.publish_at, issue.slug = Status.PUBLISHED, past(), "march-2024"
    issue.save()
    entry = entry_for(section)
    assert entry.public_from == issue.publish_at
    assert entry.url == "/newsletters/march-2024/#news"


def test_deleting_an_item_removes_its_entry_and_an_issue_takes_its_sections_with_it():
    issue = make_issue()
    make_section(issue)
    make_section(issue)
    link = make_link()
    assert SearchEntry.objects.count() == 4
    link.delete()
    assert SearchEntry.objects.count() == 3
    issue.delete()
    assert not SearchEntry.objects.exists()


def test_rebuild_search_index_writes_every_entry_again():
    items = every_kind()
    SearchEntry.objects.all().delete()
    Section.objects.filter(pk=items["section"].pk).update(heading="Changed without a signal")
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    # The nine items and the site's own pages.
    total = 9 + len(PAGES)
    assert out.getvalue().strip() == f"Indexed {total} items for the site search."
    assert SearchEntry.objects.count() == total
    assert entry_for(items["section"]).title == "Changed without a signal"


def test_loading_the_initial_content_indexes_it_and_loading_it_again_changes_nothing():
    call_command("load_initial_content", stdout=io.StringIO())
    first = list(SearchEntry.objects.order_by("pk").values(*index.ENTRY_FIELDS, "object_id"))
    issue = Issue.objects.get(slug="july-2023")
    # 37 items of content, and its 8 topics, 4 audiences and 9 ways to get help.
    assert len(first) == 58
    assert entry_for(issue).public_from == issue.publish_at
    call_command("load_initial_content", stdout=io.StringIO())
    assert (
        list(SearchEntry.objects.order_by("pk").values(*index.ENTRY_FIELDS, "object_id")) == first
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the vector is PostgreSQL's")
def test_on_postgresql_each_entry_has_a_weighted_vector_and_a_gin_index_covers_them():
    workshop = make_workshop(title="Online grooming", summary="For parents and carers.")
    vector = entry_for(workshop).search_vector
    assert "'groom':2A" in vector and "'parent':4B" in vector
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_searchentry' "
            "AND indexdef LIKE '%%USING gin (search_vector)%%'"
        )
        assert cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plain column")
def test_on_sqlite_the_vector_column_exists_and_stays_empty():
    make_workshop(title="Online grooming")
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "search_searchentry")
    assert "search_vector" in [column.name for column in columns]
    assert SearchEntry.objects.get().search_vector is None
