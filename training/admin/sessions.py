"""Sessions the team delivers, each with its attendance and its feedback address."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from blocks.admin import GroupOnlyMixin, wrapping_time
from blocks.staff import StaffGroup
from outbox.admin import EmailsInline

from .. import qr
from ..models import Attendance, Session, TrainingRequest


def feedback_panel(session):
    """The session's feedback address, its QR code and the printable sheet, for admin pages."""
    address = qr.feedback_address(session)
    return render_to_string(
        "admin/training/session/feedback_panel.html",
        {
            "session": session,
            "address": address,
            "qr": qr.qr_svg(address),
            "sheet_url": reverse("admin:training_session_sheet", args=[session.pk]),
        },
    )


def schedule_url(training_request):
    return (
        reverse("admin:training_session_add")
        + "?"
        + urlencode({"training_request": training_request.pk})
    )


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 1
    fields = ["sector", "attendees"]
    verbose_name = "attendees from a sector"
    verbose_name_plural = "Attendance, once delivered: how many came from each sector"


class SessionEmailsInline(EmailsInline):
    kinds = Session.EmailKind


@admin.register(Session)
class SessionAdmin(GroupOnlyMixin, admin.ModelAdmin):
    staff_group = StaffGroup.TRAINING_COORDINATORS
    # Beside the side menu and the filters at 1280 pixels (tests/browser/test_admin_lists.py):
    # Django keeps a related object's column on one line, so the workshop and the team member
    # are shown as text that wraps.
    list_display = [
        "starts",
        "workshop_title",
        "organisation",
        "delivered_by_name",
        "attendee_count",
        "feedback_count",
    ]
    list_filter = ["workshop", "online", "delivered_by"]
    list_select_related = ["workshop", "delivered_by"]
    search_fields = ["organisation", "place", "training_request__reference"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["training_request"]
    view_on_site = False
    inlines = [AttendanceInline, SessionEmailsInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "workshop",
                    "training_request",
                    "starts_at",
                    "ends_at",
                    "online",
                    "place",
                    "organisation",
                    "organiser_email",
                    "delivered_by",
                    "notes",
                ]
            },
        ),
        ("Feedback from attendees", {"fields": ["feedback_link"]}),
    ]
    readonly_fields = ["feedback_link"]

    def get_queryset(self, request):
        # Counted in the list's query, not by loading every response.
        return (
            super()
            .get_queryset(request)
            .prefetch_related("attendance")
            .annotate(feedback_total=Count("feedback"))
        )

    @admin.display(description="starts", ordering="starts_at")
    def starts(self, obj):
        return wrapping_time(obj.starts_at)

    @admin.display(description="workshop", ordering="workshop__title")
    def workshop_title(self, obj):
        return obj.workshop.title

    @admin.display(description="delivered by", ordering="delivered_by__name")
    def delivered_by_name(self, obj):
        return obj.delivered_by.name if obj.delivered_by else "Not recorded"

    @admin.display(description="attendees")
    def attendee_count(self, obj):
        return obj.attendees if obj.attendance.all() else "Not recorded"

    @admin.display(description="feedback", ordering="feedback_total")
    def feedback_count(self, obj):
        return obj.feedback_total

    @admin.display(description="Feedback address")
    def feedback_link(self, obj):
        if obj.pk is None:
            return "Given when the session is saved."
        return feedback_panel(obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        try:
            training_request = TrainingRequest.objects.get(pk=request.GET.get("training_request"))
        except (TrainingRequest.DoesNotExist, ValueError, TypeError):
            return initial
        initial.update(
            training_request=training_request.pk,
            workshop=training_request.workshop_id,
            organisation=training_request.organisation,
            organiser_email=training_request.email,
            online=training_request.delivery == TrainingRequest.Delivery.ONLINE,
            place=training_request.location,
        )
        if training_request.preferred_dates:
            day = training_request.preferred_dates[0]
            initial["starts_at"] = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
            initial["ends_at"] = initial["starts_at"] + timedelta(hours=2)
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The request follows its session: scheduled once it has one, delivered once its
        # attendance is recorded after it ended.
        session = form.instance
        training_request = session.training_request
        if training_request is None:
            return
        status = TrainingRequest.Status
        delivered = session.ends_at <= timezone.now() and session.attendance.exists()
        wanted = status.DELIVERED if delivered else status.SCHEDULED
        if training_request.status != wanted and training_request.status != status.DECLINED:
            training_request.status = wanted
            training_request.save(update_fields=["status"])

    def get_urls(self):
        sheet = path(
            "<int:pk>/feedback-sheet/",
            self.admin_site.admin_view(self.sheet_view),
            name="training_session_sheet",
        )
        return [sheet, *super().get_urls()]

    def sheet_view(self, request, pk):
        """The A4 page to print, or show on the last slide: the QR code and the address."""
        session = get_object_or_404(self.get_queryset(request).select_related("workshop"), pk=pk)
        if not self.has_view_permission(request, session):
            raise PermissionDenied
        address = qr.feedback_address(session)
        return TemplateResponse(
            request,
            "admin/training/session/feedback_sheet.html",
            {
                "session": session,
                "address": address,
                "qr": qr.qr_svg(address, scale=10),
            },
        )
