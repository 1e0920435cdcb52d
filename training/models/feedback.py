"""Attendees' anonymous feedback on a session: confidence before and after, and quotes."""

from django.db import models
from django.urls import reverse

from blocks.submissions import Submission, SubmissionQuerySet

from .requests import TrainingRequest
from .sessions import Session


class Confidence(models.IntegerChoices):
    NOT_AT_ALL = 1, "1 – not at all confident"
    SLIGHTLY = 2, "2"
    SOMEWHAT = 3, "3"
    QUITE = 4, "4"
    VERY = 5, "5 – very confident"


# The three statements attendees rate, before and after: (field stem, what they rate).
STATEMENTS = [
    ("prevent", "Understanding what Prevent is"),
    ("signs", "Recognising signs that someone may be being drawn into extremism"),
    ("referral", "Knowing how to share a concern and with whom"),
]
# When they rate each: its fields are "<stem>_before" and "<stem>_after".
MOMENTS = ("before", "after")


class FeedbackQuerySet(SubmissionQuerySet):
    def publishable(self):
        """Those with a quote its author agreed to publish (Feedback.can_be_published)."""
        return self.filter(publish_consent=True).exclude(quote="")

    def published_quotes(self):
        """Quotes their authors agreed to publish and the team approved, newest first."""
        return (
            self.publishable()
            .filter(quote_approved_at__isnull=False)
            .order_by("-quote_approved_at")
        )


class Feedback(Submission):
    """An attendee's anonymous answers about a session (the /feedback/<code>/ form)."""

    reference_series = "feedback"
    reference_prefix = "FB"

    class Naming(models.TextChoices):
        ANONYMOUS = "anonymous", "Anonymous"
        ROLE = "role", "By my role, for example “A teacher in Westminster”"
        NAME_AND_ROLE = "name-and-role", "By my first name and role"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    sector = models.CharField(
        "sector or role", max_length=20, choices=TrainingRequest.Sector.choices, blank=True
    )
    prevent_before = models.PositiveSmallIntegerField(choices=Confidence.choices)
    prevent_after = models.PositiveSmallIntegerField(choices=Confidence.choices)
    signs_before = models.PositiveSmallIntegerField(choices=Confidence.choices)
    signs_after = models.PositiveSmallIntegerField(choices=Confidence.choices)
    referral_before = models.PositiveSmallIntegerField(choices=Confidence.choices)
    referral_after = models.PositiveSmallIntegerField(choices=Confidence.choices)
    most_useful = models.TextField("what was most useful", max_length=2000, blank=True)
    could_be_better = models.TextField("what could be better", max_length=2000, blank=True)
    quote = models.TextField(
        max_length=600, blank=True, help_text="What they would like us to publish."
    )
    naming = models.CharField("how to name them", max_length=20, choices=Naming.choices, blank=True)
    role = models.CharField(max_length=100, blank=True, help_text="E.g. “teacher”.")
    first_name = models.CharField(max_length=60, blank=True)
    publish_consent = models.BooleanField("agreed to publication", default=False)
    quote_approved_at = models.DateTimeField(
        "quote approved",
        null=True,
        blank=True,
        help_text="Set by “Approve quote”: the quote then shows on the workshop's page.",
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta(Submission.Meta):
        verbose_name = "feedback response"

    def __str__(self):
        return f"{self.reference}: {self.session}"

    def get_absolute_url(self):
        return reverse("admin:training_feedback_change", args=[self.pk])

    @property
    def attribution(self):
        """How the quote is signed, as its author chose."""
        match self.naming:
            case self.Naming.ROLE if self.role:
                article = "An" if self.role[:1].lower() in "aeiou" else "A"
                return f"{article} {self.role} in Westminster"
            case self.Naming.NAME_AND_ROLE if self.first_name and self.role:
                return f"{self.first_name}, {self.role}"
        return "Anonymous"

    @property
    def can_be_published(self):
        return bool(self.quote and self.publish_consent)
