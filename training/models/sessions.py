"""Sessions the team delivers, and who came to them."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .content import Workshop
from .requests import TrainingRequest


def new_feedback_code():
    # 128 random bits: the address cannot be guessed, and is short enough for a QR code.
    return secrets.token_urlsafe(16)


class SessionQuerySet(models.QuerySet):
    def ended_before(self, moment):
        return self.filter(ends_at__lt=moment)

    def feedback_closed(self, now=None):
        """Sessions whose feedback form has closed (Session.feedback_open is False)."""
        return self.filter(ends_at__lte=self._ended_for_feedback_by(now))

    def feedback_open(self, now=None):
        """Sessions whose feedback form is still open (Session.feedback_open)."""
        return self.filter(ends_at__gt=self._ended_for_feedback_by(now))

    @staticmethod
    def _ended_for_feedback_by(now):
        # A session's form closes FEEDBACK_OPEN_DAYS after it ends (Session.feedback_closes_at).
        return (now or timezone.now()) - timedelta(days=settings.FEEDBACK_OPEN_DAYS)


class Session(models.Model):
    """One delivery of a workshop, from a training request or added by the team."""

    class EmailKind(models.TextChoices):
        FEEDBACK_LINK = "feedback-link", "Feedback link to the organiser"

    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="sessions", help_text="What was delivered."
    )
    training_request = models.OneToOneField(
        TrainingRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session",
        help_text="The request it answers, if it came through the form.",
    )
    starts_at = models.DateTimeField("starts", help_text="UK time.")
    ends_at = models.DateTimeField("ends", help_text="UK time.")
    online = models.BooleanField("online session", default=False)
    place = models.TextField(
        "address or venue", max_length=500, blank=True, help_text="For sessions held in person."
    )
    organisation = models.CharField(max_length=200, help_text="Who the session was for.")
    organiser_email = models.EmailField(
        "organiser's email address",
        max_length=254,
        blank=True,
        help_text="The morning after the session, the feedback link is emailed here. Filled from "
        "the request; leave empty to send nothing. Removed once the feedback form closes.",
    )
    delivered_by = models.ForeignKey(
        "resources.TeamMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        help_text="The team member who delivered it.",
    )
    feedback_code = models.CharField(
        max_length=32, unique=True, default=new_feedback_code, editable=False
    )
    notes = models.TextField("internal notes", blank=True, help_text="Only the team sees these.")
    emails = GenericRelation("outbox.OutboundEmail")

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="session_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.workshop.short_name or self.workshop.title} for {self.organisation}, " + (
            f"{timezone.localtime(self.starts_at):%-d %b %Y}"
        )

    def get_absolute_url(self):
        return reverse("admin:training_session_change", args=[self.pk])

    def get_feedback_url(self):
        return reverse("training:feedback", kwargs={"code": self.feedback_code})

    @property
    def feedback_closes_at(self):
        return self.ends_at + timedelta(days=settings.FEEDBACK_OPEN_DAYS)

    @property
    def feedback_open(self):
        return timezone.now() < self.feedback_closes_at

    @property
    def attendees(self):
        return sum(row.attendees for row in self.attendance.all())


class Attendance(models.Model):
    """How many of a session's attendees came from one sector."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    sector = models.CharField(max_length=20, choices=TrainingRequest.Sector.choices)
    attendees = models.PositiveIntegerField(help_text="How many came from this sector.")

    class Meta:
        ordering = ["session", "sector"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(fields=["session", "sector"], name="one_row_per_sector"),
        ]

    def __str__(self):
        return f"{self.attendees} from {self.get_sector_display().lower()}"
