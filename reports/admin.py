import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from blocks.admin import GroupOnlyMixin, csv_download, wrapping_time
from blocks.staff import StaffGroup
from outbox.admin import EmailsInline

from .models import Report, ReportPhoto, StatusChange
from .postcodes import district

SUMMARY_MONTHS = 12
PREVIEW_WIDTH = 240


def month_start(day):
    """Midnight, UK time, on the first of the month ``day`` is in."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, 1))


def add_months(start, months):
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)


class MonthReceivedFilter(admin.SimpleListFilter):
    title = "month received"
    parameter_name = "month"

    def lookups(self, request, model_admin):
        months = model_admin.get_queryset(request).datetimes("received_at", "month", "DESC")
        return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            start = month_start(datetime.datetime.strptime(self.value(), "%Y-%m"))
        except (TypeError, ValueError):
            # An address typed by hand: an unknown month lists nothing, rather than failing.
            return queryset.none()
        return queryset.filter(received_at__gte=start, received_at__lt=add_months(start, 1))


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    fields = ["preview", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    view_on_site = False
    verbose_name_plural = "photos (location and other details removed)"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="photo")
    def preview(self, photo):
        height = max(1, round(photo.height * PREVIEW_WIDTH / photo.width))
        return format_html(
            '<a href="{url}" target="_blank"><img src="{preview}" width="{width}" '
            'height="{height}" alt="Photo sent with {report} (opens the full size in a new tab)">'
            "</a>",
            url=photo.get_absolute_url(),
            preview=photo.get_preview_url(),
            width=PREVIEW_WIDTH,
            height=height,
            report=photo.report.reference,
        )

    @admin.display(description="size in pixels")
    def size(self, photo):
        return f"{photo.width} × {photo.height}"


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["status", "changed_by", "changed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "status history"

    def has_add_permission(self, request, obj=None):
        return False


class ReportEmailsInline(EmailsInline):
    kinds = Report.EmailKind


@admin.register(Report)
class ReportAdmin(GroupOnlyMixin, admin.ModelAdmin):
    staff_group = StaffGroup.REPORT_HANDLERS
    # What the team acts on first, next to the reference: the list must fit beside the side
    # menu and the filters at 1280 pixels (tests/browser/test_admin_lists.py).
    list_display = [
        "reference",
        "status",
        "photo_count",
        "what",
        "short_place",
        "seen_on",
        "received",
    ]
    list_filter = ["status", "kind", MonthReceivedFilter]
    search_fields = ["reference", "postcode", "place"]
    actions = ["export_csv"]
    view_on_site = False
    inlines = [ReportPhotoInline, StatusChangeInline, ReportEmailsInline]
    fieldsets = [
        ("Team workflow", {"fields": ["status", "notes"]}),
        (
            "What was seen",
            {
                "fields": [
                    "reference",
                    "received_at",
                    "kind",
                    "kind_other",
                    "description",
                    "place",
                    "postcode",
                    "seen_on",
                    "still_there",
                ]
            },
        ),
        (
            "Reporter",
            {
                "description": "Both empty when the report was sent anonymously.",
                "fields": ["contact_name", "email"],
            },
        ),
    ]
    # What the resident sent is kept as sent; the team records its work in status and notes.
    readonly_fields = [
        field
        for _, options in fieldsets
        for field in options["fields"]
        if field not in ("status", "notes")
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos"))

    def has_add_permission(self, request, *args):
        # Reports arrive through the public form, which gives them a reference and emails.
        return False

    @admin.display(description="what")
    def what(self, report):
        return report.what_was_seen

    @admin.display(description="where", ordering="place")
    def short_place(self, report):
        place = report.place if len(report.place) <= 60 else f"{report.place[:59]}…"
        return f"{place} ({report.postcode})" if report.postcode else place

    @admin.display(description="received", ordering="received_at")
    def received(self, report):
        return wrapping_time(report.received_at)

    @admin.display(description="photos", ordering="photo_count")
    def photo_count(self, report):
        return report.photo_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:
            StatusChange.objects.create(report=obj, status=obj.status, changed_by=request.user)

    @admin.action(description="Export selected reports to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        columns = [
            ("Reference", lambda r: r.reference),
            ("Received", lambda r: timezone.localtime(r.received_at).strftime("%Y-%m-%d %H:%M")),
            ("Status", lambda r: r.get_status_display()),
            ("What was seen", lambda r: r.get_kind_display()),
            ("Something else", lambda r: r.kind_other),
            ("What it says or shows", lambda r: r.description),
            ("Where", lambda r: r.place),
            ("Postcode", lambda r: r.postcode),
            ("Date seen", lambda r: r.seen_on.isoformat()),
            ("Still there", lambda r: r.get_still_there_display()),
            ("Photos", lambda r: r.photo_count),
            ("Name", lambda r: r.contact_name),
            ("Email", lambda r: r.email),
            ("Team notes", lambda r: r.notes),
        ]
        return csv_download(f"reports-{timezone.localdate():%Y-%m-%d}.csv", columns, queryset)

    def get_urls(self):
        summary = path(
            "summary/",
            self.admin_site.admin_view(self.summary_view),
            name="reports_report_summary",
        )
        return [summary, *super().get_urls()]

    def summary_view(self, request):
        """Reports received in each of the last 12 months, by kind and by postcode district,
        so the team can see where leafleting clusters."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        kinds = dict(Report.Kind.choices)
        kind = request.GET.get("kind")
        if kind not in kinds:
            kind = None
        this_month = month_start(timezone.localdate())
        months = [add_months(this_month, n - SUMMARY_MONTHS + 1) for n in range(SUMMARY_MONTHS)]
        counts = (
            Report.objects.received_since(months[0])
            .annotate(month=TruncMonth("received_at"))
            .values_list("month", "kind", "postcode")
            .annotate(count=Count("pk"))
            .order_by()
        )
        column = {(m.year, m.month): i for i, m in enumerate(months)}
        by_kind = {value: [0] * SUMMARY_MONTHS for value in kinds}
        by_district = {}
        for month, report_kind, postcode, count in counts:
            i = column.get((month.year, month.month))
            if i is None:
                continue
            by_kind[report_kind][i] += count
            if kind in (None, report_kind):
                place = district(postcode) or "No postcode"
                by_district.setdefault(place, [0] * SUMMARY_MONTHS)[i] += count
        districts = sorted(
            by_district.items(),
            key=lambda item: (item[0] == "No postcode", -sum(item[1]), item[0]),
        )
        month_totals = [sum(row[i] for row in by_kind.values()) for i in range(SUMMARY_MONTHS)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Reports by month",
            "months": months,
            "kinds": list(kinds.items()),
            "chosen_kind": kind,
            "chosen_kind_label": kinds.get(kind),
            "by_kind": [(kinds[k], row, sum(row)) for k, row in by_kind.items()],
            "month_totals": month_totals,
            "grand_total": sum(month_totals),
            "by_district": [(name, row, sum(row)) for name, row in districts],
        }
        return TemplateResponse(request, "admin/reports/report/summary.html", context)
