"""The team's figures for a period, each an exact count from the database, as tables.

``figures(period)`` runs the same seven queries whatever the period (the page 12 in all, with
the signed-in user, their groups and the admin menu's permissions; tests/impact pins them):
attendance, feedback, requests, reports, subscribers gained, subscribers lost, and searches that
found nothing.
"""

from dataclasses import dataclass, field
from statistics import median

from django.db.models import Avg, Count
from django.utils import timezone

from newsletters.models import FormerSubscriber, Subscriber
from reports.models import Report
from reports.postcodes import district
from search.models import SearchLog
from training.models import MOMENTS, STATEMENTS, Attendance, Feedback, TrainingRequest

# How many of the searches that found nothing the page lists.
TOP_SEARCHES = 10


@dataclass
class Table:
    slug: str  # its CSV's name and the id of its section
    title: str
    headings: list
    rows: list  # tuples, one value per heading
    # "bars": one bar a row, of its last column; "paired": before and after, on a 1-to-5 scale.
    chart: str = "bars"
    notes: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.rows


def in_period(prefix, period):
    return {f"{prefix}__gte": period.start, f"{prefix}__lt": period.end}


def attendance_rows(period):
    """Each sector's attendance at each session that started in the period and has ended."""
    return (
        Attendance.objects.filter(
            **in_period("session__starts_at", period), session__ends_at__lte=timezone.now()
        )
        .select_related("session__workshop", "session__delivered_by")
        .order_by("session__starts_at", "session__pk", "sector")
    )


def figures(period):
    """{slug: Table} and the headline numbers, for the period."""
    sector_labels = dict(TrainingRequest.Sector.choices)
    attendance = list(
        attendance_rows(period).values_list(
            "session_id", "session__workshop__title", "sector", "attendees"
        )
    )
    sessions = {session_id for session_id, *_ in attendance}
    people = sum(row[3] for row in attendance)
    by_sector, by_workshop = {}, {}
    for _, workshop, sector, count in attendance:
        by_sector[sector] = by_sector.get(sector, 0) + count
        by_workshop[workshop] = by_workshop.get(workshop, 0) + count

    averages = Feedback.objects.filter(**in_period("session__starts_at", period)).aggregate(
        responses=Count("pk"),
        **{
            f"{stem}_{moment}": Avg(f"{stem}_{moment}")
            for stem, _ in STATEMENTS
            for moment in MOMENTS
        },
    )
    responses = averages.pop("responses")

    requests = list(
        TrainingRequest.objects.filter(**in_period("received_at", period))
        .order_by()
        .values_list("status", "received_at", "first_contacted_at")
    )
    status_counts = dict.fromkeys(TrainingRequest.Status, 0)
    waits = []
    for status, received_at, contacted_at in requests:
        status_counts[status] += 1
        if contacted_at:
            waits.append((contacted_at - received_at).total_seconds() / 86400)

    reports = (
        Report.objects.filter(**in_period("received_at", period))
        .order_by()
        .values_list("kind", "postcode")
        .annotate(count=Count("pk"))
    )
    kind_labels = dict(Report.Kind.choices)
    by_kind = dict.fromkeys(kind_labels.values(), 0)
    by_district = {}
    for kind, postcode, count in reports:
        by_kind[kind_labels.get(kind, kind)] += count
        place = district(postcode) or "No postcode"
        by_district[place] = by_district.get(place, 0) + count

    gained = Subscriber.objects.filter(**in_period("confirmed_at", period)).count()
    lost = FormerSubscriber.objects.filter(**in_period("left_at", period)).count()

    searches = list(
        SearchLog.objects.filter(**in_period("created_at", period), results=0)
        .order_by()
        .values("term")
        .annotate(count=Count("pk"))
        .order_by("-count", "term")
        .values_list("term", "count")[:TOP_SEARCHES]
    )

    def rounded(value):
        return None if value is None else round(value, 1)

    confidence_rows = []
    for stem, statement in STATEMENTS:
        before = rounded(averages[f"{stem}_before"])
        after = rounded(averages[f"{stem}_after"])
        change = None if before is None else round(after - before, 1)
        confidence_rows.append((statement, before, after, change))

    tables = [
        Table(
            "people-by-sector",
            "People trained, by sector",
            ["Sector", "People trained"],
            sorted(
                ((sector_labels.get(s, s), n) for s, n in by_sector.items()),
                key=lambda row: (-row[1], row[0]),
            ),
        ),
        Table(
            "people-by-workshop",
            "People trained, by workshop",
            ["Workshop", "People trained"],
            sorted(by_workshop.items(), key=lambda row: (-row[1], row[0])),
        ),
        Table(
            "confidence",
            "Average confidence before and after, from 1 to 5",
            ["Statement", "Before", "After", "Change"],
            confidence_rows if responses else [],
            chart="paired",
            notes=[f"From {responses} feedback response{'s' if responses != 1 else ''}."],
        ),
        Table(
            "requests",
            "Training requests received, by where they are now",
            ["Status", "Requests"],
            [(status.label, status_counts[status]) for status in TrainingRequest.Status],
        ),
        Table(
            "reports-by-kind",
            "Reports received, by kind",
            ["What was seen", "Reports"],
            sorted(by_kind.items(), key=lambda row: (-row[1], row[0])),
        ),
        Table(
            "reports-by-district",
            "Reports received, by postcode district",
            ["Postcode district", "Reports"],
            sorted(by_district.items(), key=lambda row: (row[0] == "No postcode", -row[1], row[0])),
        ),
        Table(
            "subscribers",
            "Newsletter subscribers gained and lost",
            ["Change", "Subscribers"],
            [("Gained (confirmed their sign-up)", gained), ("Lost (left)", lost)],
        ),
        Table(
            "searches-found-nothing",
            f"The {TOP_SEARCHES} most frequent searches that found nothing",
            ["Search", "Times searched"],
            searches,
        ),
    ]
    # A table whose every count is 0 has nothing to chart.
    for table in tables:
        if table.chart == "bars" and not any(row[-1] for row in table.rows):
            table.rows = []
    headline = {
        "sessions": len(sessions),
        "people": people,
        "responses": responses,
        "response_rate": round(100 * responses / people) if people else None,
        "requests": len(requests),
        "median_days_to_contact": round(median(waits), 1) if waits else None,
        "contacted": len(waits),
    }
    return {"tables": {table.slug: table for table in tables}, "headline": headline}
