import posixpath
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocks import images
from blocks.storage import private_storage
from blocks.submissions import InTheirLanguage, Submission

from .postcodes import validate_postcode

# Pixels wide: sharp at the admin's 240 CSS pixels on a high-density screen.
PREVIEW_WIDTH = 480


class Report(Submission, InTheirLanguage):
    """What a resident saw: extremist leaflets, stickers, posters or graffiti. It may hold
    personal data (contact details, whatever was typed)."""

    # REP-2026-0007: numbers restart each January.
    reference_series = "report"
    reference_prefix = "REP"

    class Kind(models.TextChoices):
        LEAFLET = "leaflet", _("Leaflet")
        STICKER = "sticker", _("Sticker")
        POSTER = "poster", _("Poster")
        GRAFFITI = "graffiti", _("Graffiti")
        OTHER = "other", _("Something else")

    class StillThere(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        NOT_SURE = "not-sure", _("Not sure")

    class EmailKind(models.TextChoices):
        """The emails a report sends (reports.emails), as the outbox's ``kind``."""

        TEAM = "team", "To the team"
        REPORTER = "reporter", "Acknowledgement to the reporter"

    class Status(models.TextChoices):
        NEW = "new", "New"
        REVIEWED = "reviewed", "Reviewed"
        PASSED_TO_POLICE = "passed-to-police", "Passed to police"
        REMOVED = "removed", "Removed"
        CLOSED = "closed", "Closed"

    kind = models.CharField("what was seen", max_length=10, choices=Kind.choices)
    kind_other = models.CharField(
        "something else",
        max_length=200,
        blank=True,
        help_text="What it was, when the reporter chose “something else”.",
    )
    place = models.TextField(
        "where", max_length=500, help_text="The street address or a description of the place."
    )
    postcode = models.CharField(
        max_length=8,
        blank=True,
        validators=[validate_postcode],
        help_text="Optional. Written as SW1A 1AA; the summary groups reports by its first part.",
    )
    seen_on = models.DateField("date seen")
    still_there = models.CharField(max_length=10, choices=StillThere.choices)
    description = models.TextField("what it says or shows", max_length=5000)
    contact_name = models.CharField("name", max_length=150, blank=True)
    email = models.EmailField(
        max_length=254, blank=True, help_text="Empty when the report was sent anonymously."
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NEW,
        help_text="Move it on as you go. Each change is recorded with your name and the time.",
    )

    def __str__(self):
        # Shown in the admin's history, which outlives the report: no personal data here.
        return f"{self.reference} ({self.get_kind_display().lower()})"

    def get_absolute_url(self):
        return reverse("admin:reports_report_change", args=[self.pk])

    @property
    def what_was_seen(self):
        if self.kind == self.Kind.OTHER and self.kind_other:
            return f"Something else: {self.kind_other}"
        return self.get_kind_display()


def photo_file_name(photo, filename):
    # Named by the photo's random key: nothing of the reporter's file name is kept, and the
    # name tells nobody where to look for another.
    extension = posixpath.splitext(filename)[1].lower()
    return f"reports/{photo.key.hex}{extension}"


class ReportPhoto(models.Model):
    """A photo sent with a report: re-encoded without metadata, kept in the private store and
    shown only to report handlers (reports.views.photo)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    image = models.FileField(storage=private_storage, upload_to=photo_file_name, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self):
        return f"Photo {self.key.hex[:8]} of {self.report}"

    def get_absolute_url(self):
        return reverse("reports:photo", kwargs={"key": self.key})

    def get_preview_url(self):
        return reverse("reports:photo-preview", kwargs={"key": self.key})

    @property
    def preview_name(self):
        """The small copy the admin shows, beside the photo in the private store."""
        return images.rendition_name(self.image.name, min(PREVIEW_WIDTH, self.width), "jpg")

    @staticmethod
    def preview_bytes(image):
        """A small JPEG of ``image`` (a cleaned Pillow image) for the admin: never enlarged."""
        return images.encode(images.resized(image, min(PREVIEW_WIDTH, image.width)), "JPEG")

    def store(self, content, extension, preview):
        """Write the photo's bytes and its preview's to the private store; the caller saves
        the row (and deletes both files, ``stored_names``, if that fails)."""
        self.image.save(f"photo.{extension}", ContentFile(content), save=False)
        self.image.storage.save(self.preview_name, ContentFile(preview))

    @property
    def stored_names(self):
        return [self.image.name, self.preview_name] if self.image else []


class StatusChange(models.Model):
    """Who moved a report to which status, and when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=Report.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "changed_at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.get_status_display()}"

    def get_absolute_url(self):
        return self.report.get_absolute_url()
