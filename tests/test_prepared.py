"""Prepared queries give exactly what their querysets give, for any values, and refuse what they
cannot prepare safely."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from newsletters.models import Issue
from newsletters.views import LINKED_ITEMS
from prevent_site.prepared import PreparedQuery
from prevent_site.publishing import Status
from resources.models import FundingScheme
from tests import factories
from training.models import Event, Workshop

pytestmark = pytest.mark.django_db


def linked_workshops(issue_id, now):
    return (
        Workshop.objects.published(now)
        .only("slug", "title")
        .filter(sections__issue=issue_id)
        .annotate(linked_from=F("sections"))
    )


def rows(items):
    return [(item.pk, item.slug, item.title, item.linked_from) for item in items]


def test_rows_are_the_querysets_for_every_issue_and_time():
    prepared = PreparedQuery(linked_workshops, issue_id=int, now=datetime.datetime)
    now = timezone.now()
    soon = factories.make_workshop(title="Soon", publish_at=now + datetime.timedelta(days=2))
    draft = factories.make_workshop(title="Draft", status=Status.DRAFT)
    issues = [factories.make_issue(), factories.make_issue()]
    for n, issue in enumerate(issues):
        first, second = factories.make_section(issue), factories.make_section(issue)
        shared = factories.make_workshop(title=f"Shared {n}", order=1)
        first.workshops.set([shared, soon, draft, factories.make_workshop(order=0)])
        second.workshops.set([shared])

    for issue in issues:
        for when in (now, now + datetime.timedelta(days=3)):
            expected = rows(linked_workshops(issue.pk, when))
            assert rows(prepared(issue_id=issue.pk, now=when)) == expected
            assert ("Soon" in str(expected)) == (when > now)
            assert "Draft" not in str(expected)
    # Only the fields asked for are loaded; the others load on access, as with only().
    item = prepared(issue_id=issues[0].pk, now=now)[0]
    assert item.get_deferred_fields() >= {"body", "summary"}


def test_dates_and_limits_are_prepared_too():
    issues = [factories.make_issue(month=datetime.date(2023, month, 1)) for month in (1, 4, 7, 10)]
    newer = PreparedQuery(
        lambda month: Issue.objects.filter(month__gt=month).order_by("month")[:1],
        month=datetime.date,
    )
    assert newer(month=datetime.date(2023, 4, 1)) == [issues[2]]
    assert newer(month=datetime.date(2023, 10, 1)) == []


def test_values_the_query_has_no_place_for_are_ignored_and_missing_ones_refused():
    prepared = PreparedQuery(lambda issue_id: Issue.objects.filter(pk=issue_id), issue_id=int)
    issue = factories.make_issue()
    assert prepared(issue_id=issue.pk, now=timezone.now()) == [issue]
    with pytest.raises(TypeError, match="issue_id"):
        prepared(now=timezone.now())


def test_a_query_whose_sql_depends_on_the_values_is_refused():
    by_count = PreparedQuery(lambda count: Event.objects.all()[:count], count=int)
    with pytest.raises(ValueError, match="SQL changes with the values"):
        by_count(count=3)


def test_a_query_that_reads_the_clock_itself_is_refused():
    # published() without the time would keep the time of the first request for good.
    clock = PreparedQuery(
        lambda issue_id: Workshop.objects.published().filter(sections__issue=issue_id),
        issue_id=int,
    )
    with pytest.raises(ValueError, match="depends on something other than the placeholders"):
        clock(issue_id=1)


def test_a_query_that_reads_todays_date_is_refused():
    # The date stays the same all day, so two builds a moment apart would agree on it.
    today = PreparedQuery(
        lambda now: FundingScheme.objects.published(now).filter(
            closes_on__gte=timezone.localdate()
        ),
        now=datetime.datetime,
    )
    with pytest.raises(ValueError, match="depends on something other than the placeholders"):
        today(now=timezone.now())


def test_a_query_with_related_objects_joined_is_refused():
    joined = PreparedQuery(
        lambda now: Event.objects.published(now).select_related("workshop"), now=datetime.datetime
    )
    with pytest.raises(ValueError, match="related objects"):
        joined(now=timezone.now())


def test_a_placeholder_the_queryset_does_not_use_is_refused():
    unused = PreparedQuery(lambda issue_id: Issue.objects.all(), issue_id=int)
    with pytest.raises(ValueError, match="issue_id is not among"):
        unused(issue_id=1)


def test_every_kind_of_item_linked_from_an_issue_matches_its_queryset():
    items = factories.make_newsletter_content()
    issue = items["issue"]
    now = timezone.now()
    for relation, prepared in LINKED_ITEMS.items():
        got = [(item.pk, item.linked_from) for item in prepared(issue_id=issue.pk, now=now)]
        assert got, relation
        queryset = prepared.build(
            **{name: {"issue_id": issue.pk, "now": now}[name] for name in prepared.placeholders}
        )
        assert got == [(item.pk, item.linked_from) for item in queryset], relation
