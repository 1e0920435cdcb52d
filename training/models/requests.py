"""A professional's request for a workshop, from the public form."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocks.submissions import InTheirLanguage, Submission

from .content import Workshop


class TrainingRequest(Submission, InTheirLanguage):
    """What a professional asked for."""

    # WRAP-2026-0042 and TRAIN-2026-0043: one count each year, whatever the workshop.
    reference_series = "training"

    class Sector(models.TextChoices):
        SCHOOL = "school", _("School")
        FURTHER_EDUCATION = "further-education", _("Further education")
        HEALTH = "health", _("Health")
        SOCIAL_CARE = "social-care", _("Social care")
        POLICE = "police", _("Police")
        FAITH = "faith", _("Faith setting")
        COMMUNITY = "community", _("Community group")
        OTHER = "other", _("Other")

    class Delivery(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in-person", _("In person")
        EITHER = "either", _("Either")

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        SCHEDULED = "scheduled", "Scheduled"
        DELIVERED = "delivered", "Delivered"
        DECLINED = "declined", "Declined"

    class EmailKind(models.TextChoices):
        """The two emails each request sends (training.emails), as the outbox's ``kind``."""

        TEAM = "team", "To the team"
        REQUESTER = "requester", "Acknowledgement to the requester"

    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        help_text="Empty when the requester was not sure yet.",
    )
    organisation = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    contact_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=30, blank=True)
    who_it_is_for = models.TextField("who the training is for", max_length=2000)
    participants = models.PositiveIntegerField("approximate number of participants")
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    location = models.TextField("address or postcode", max_length=500, blank=True)
    preferred_date_1 = models.DateField(null=True, blank=True)
    preferred_date_2 = models.DateField(null=True, blank=True)
    preferred_date_3 = models.DateField(null=True, blank=True)
    accessibility_needs = models.TextField(max_length=2000, blank=True)
    message = models.TextField("anything else", max_length=4000, blank=True)
    consent = models.BooleanField("agreed to the privacy notice", default=False)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        help_text="Move it on as you go: contacted, then scheduled, then delivered (or declined).",
    )
    first_contacted_at = models.DateTimeField(
        "first moved on from new",
        null=True,
        blank=True,
        editable=False,
        help_text="When its status first changed from “New”: the team's first contact.",
    )

    def __str__(self):
        return f"{self.reference}: {self.organisation}"

    def get_absolute_url(self):
        return reverse("admin:training_trainingrequest_change", args=[self.pk])

    @property
    def preferred_dates(self):
        return [
            d for d in (self.preferred_date_1, self.preferred_date_2, self.preferred_date_3) if d
        ]

    @property
    def team_emailed_at(self):
        return self.emailed_at(self.EmailKind.TEAM)

    @property
    def requester_emailed_at(self):
        return self.emailed_at(self.EmailKind.REQUESTER)

    def save(self, *args, **kwargs):
        if self.status != self.Status.NEW and self.first_contacted_at is None:
            self.first_contacted_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_contacted_at"}
        super().save(*args, **kwargs)

    def get_reference_prefix(self):
        """The workshop's short name (WRAP), or TRAIN when none was chosen."""
        prefix = "".join(
            ch
            for ch in (self.workshop.short_name if self.workshop else "")
            if ch.isascii() and ch.isalnum()
        )
        return prefix.upper()[:12] or "TRAIN"
