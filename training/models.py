import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocks.publishing import Publishable, PublishableQuerySet
from blocks.reviews import Reviewed
from blocks.richtext import RichTextField
from blocks.submissions import InTheirLanguage, Submission, SubmissionQuerySet


def typed_lines(text):
    """Each line an editor typed into a one-item-per-line box, trimmed, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class WorkshopQuerySet(PublishableQuerySet):
    def taking_requests(self):
        """Workshops people can ask for on the request form."""
        return self.published().filter(is_active=True)


class Workshop(Reviewed, Publishable):
    title = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=30,
        blank=True,
        help_text="Optional abbreviation people know it by, e.g. “WRAP”. Also used in request "
        "reference numbers.",
    )
    slug = models.SlugField(unique=True, max_length=200, help_text="Filled from the title.")
    summary = models.TextField(help_text="One or two sentences shown in lists and search results.")
    body = RichTextField(blank=True, help_text="The full description of the workshop.")
    who_it_is_for = models.CharField(
        "who it is for",
        max_length=300,
        blank=True,
        help_text="E.g. “Frontline staff, police, social services, education and health staff”.",
    )
    duration = models.CharField(
        max_length=60,
        blank=True,
        help_text="E.g. “45 minutes” or “Half a day”. Leave empty if it varies.",
    )
    online = models.BooleanField("can be delivered online", default=True)
    in_person = models.BooleanField("can be delivered in person", default=True)
    cost = models.CharField(max_length=60, default="Free")
    learning_outcomes = models.TextField(
        blank=True, help_text="What participants will learn: one outcome per line."
    )
    partner = models.CharField(
        "delivered with",
        max_length=200,
        blank=True,
        help_text="Optional partner, e.g. “Integrated Gangs & Exploitation Unit”.",
    )
    is_active = models.BooleanField(
        "taking requests",
        default=True,
        help_text="Untick when the team no longer offers it: the page stays, the request form "
        "stops listing it.",
    )
    order = models.PositiveIntegerField(default=0, help_text="Lowest number is listed first.")
    audience_pages = models.ManyToManyField(
        "resources.Audience",
        blank=True,
        related_name="workshops",
        help_text="The audience pages (“For parents and carers”…) that list this workshop.",
    )
    topics = models.ManyToManyField(
        "resources.Topic",
        blank=True,
        related_name="workshops",
        help_text="What it is about: it is listed on the page of each topic chosen here.",
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:workshop-detail", kwargs={"slug": self.slug})

    def search_document(self):
        # As the lists show it: "Workshop to Raise Awareness of Prevent (WRAP)".
        title = f"{self.title} ({self.short_name})" if self.short_name else self.title
        return {
            "title": title,
            "text": [
                self.summary,
                self.body,
                self.who_it_is_for,
                self.learning_outcomes,
                self.partner,
            ],
        }

    @property
    def outcomes_list(self):
        return typed_lines(self.learning_outcomes)

    @property
    def delivery_display(self):
        modes = [
            mode for flag, mode in ((self.online, "online"), (self.in_person, "in person")) if flag
        ]
        return " or ".join(modes).capitalize() if modes else "Ask the team"


class Testimonial(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="testimonials")
    quote = models.TextField(help_text="The participant's words, without quotation marks.")
    attribution = models.CharField(
        max_length=150, help_text="E.g. “WRAP participant”. Do not name people without consent."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["workshop", "order", "pk"]

    def __str__(self):
        return f"“{self.quote[:60]}” ({self.attribution})"

    def get_absolute_url(self):
        return self.workshop.get_absolute_url()


class EventQuerySet(PublishableQuerySet):
    def upcoming(self):
        return self.published().filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.published().filter(ends_at__lt=timezone.now()).order_by("-starts_at")


class Event(Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=200, help_text="Filled from the title.")
    starts_at = models.DateTimeField("starts", help_text="UK time.")
    ends_at = models.DateTimeField("ends", help_text="UK time.")
    online = models.BooleanField("online event", default=True)
    venue = models.CharField(
        max_length=300, blank=True, help_text="Address, for events held in person."
    )
    organiser = models.CharField(
        max_length=200, blank=True, help_text="E.g. “Home Office, with MOPAC”."
    )
    booking_url = models.URLField(
        "booking web address",
        max_length=500,
        blank=True,
        help_text="Leave empty if there is no booking link. Never guess an address.",
    )
    description = RichTextField(blank=True)
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text="Optional: the workshop this is a session of.",
    )
    funding_scheme = models.ForeignKey(
        "resources.FundingScheme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text="Optional: the funding scheme this event is about.",
    )
    topics = models.ManyToManyField(
        "resources.Topic",
        blank=True,
        related_name="events",
        help_text="What it is about: it is listed on the page of each topic chosen here.",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%-d %b %Y})"

    def get_absolute_url(self):
        return reverse("training:event-detail", kwargs={"slug": self.slug})

    def search_document(self):
        return {
            "title": self.title,
            "text": [self.description, self.organiser, self.venue],
            "date": timezone.localdate(self.starts_at),
            # After this day its result says "Past event", as its page does.
            "ends": timezone.localdate(self.ends_at),
        }

    @property
    def is_past(self):
        return self.ends_at < timezone.now()


class CommunityProject(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=200, help_text="Filled from the title.")
    year_span = models.CharField(max_length=20, help_text="Financial year, e.g. “2022-23”.")
    summary = models.TextField(help_text="One or two sentences shown in lists.")
    body = RichTextField(blank=True, help_text="The full description of the project.")
    outcomes = models.TextField(
        blank=True, help_text="What participants gained: one outcome per line."
    )
    delivery_partner = models.CharField(
        max_length=200, blank=True, help_text="Who delivered it, e.g. “An autism education expert”."
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        help_text="Optional: the workshop the project delivered.",
    )
    order = models.PositiveIntegerField(default=0, help_text="Lowest number is listed first.")

    class Meta:
        ordering = ["-year_span", "order", "title"]

    def __str__(self):
        return f"{self.title} ({self.year_span})"

    def get_absolute_url(self):
        return reverse("training:project-detail", kwargs={"slug": self.slug})

    def search_document(self):
        return {
            "title": self.title,
            "text": [self.summary, self.body, self.outcomes, self.delivery_partner],
        }

    @property
    def outcomes_list(self):
        return typed_lines(self.outcomes)


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
