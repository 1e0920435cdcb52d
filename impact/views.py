from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from blocks.admin import csv_download, in_group
from blocks.staff import StaffGroup

from . import charts, periods
from .figures import attendance_rows, figures

# Who may see the figures: the team's coordinators and its managers (and superusers).
GROUPS = (StaffGroup.TRAINING_COORDINATORS, StaffGroup.MANAGERS)


def may_see_impact(user):
    return any(in_group(user, group) for group in GROUPS)


def check_access(request):
    if not may_see_impact(request.user):
        raise PermissionDenied


def impact(request):
    """The team's impact for a financial quarter or year: charts, their tables and CSV links."""
    check_access(request)
    period = periods.from_key(request.GET.get("period"))
    found = figures(period)
    sections = [
        {"table": table, "chart": charts.chart(table), "csv": f"{table.slug}.csv"}
        for table in found["tables"].values()
    ]
    context = {
        **admin.site.each_context(request),
        "title": "The team's impact",
        "period": period,
        "periods": periods.choices(),
        "headline": found["headline"],
        "sections": sections,
        "reports_summary_url": reverse("admin:reports_report_summary"),
    }
    return TemplateResponse(request, "impact/impact.html", context)


def table_csv(request, slug):
    """One of the page's tables, for the chosen period, as a spreadsheet."""
    check_access(request)
    period = periods.from_key(request.GET.get("period"))
    table = figures(period)["tables"].get(slug)
    if table is None:
        raise Http404("No such table")
    columns = [
        (heading, lambda row, i=i: "" if row[i] is None else row[i])
        for i, heading in enumerate(table.headings)
    ]
    return csv_download(f"{slug}-{period.key}.csv", columns, table.rows)


def home_office_csv(request):
    """The period's sessions as the Home Office return asks for them: one row for each sector
    at each session."""
    check_access(request)
    period = periods.from_key(request.GET.get("period"))
    columns = [
        ("Date", lambda a: timezone.localtime(a.session.starts_at).date().isoformat()),
        ("Workshop", lambda a: a.session.workshop.title),
        ("Sector", lambda a: a.get_sector_display()),
        ("Attendees", lambda a: a.attendees),
        (
            "Delivered by",
            lambda a: a.session.delivered_by.name if a.session.delivered_by else "",
        ),
    ]
    return csv_download(f"home-office-sessions-{period.key}.csv", columns, attendance_rows(period))
