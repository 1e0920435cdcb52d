"""The training offer people read: workshops and their testimonials, events and webinars,
and community projects."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from blocks.publishing import Publishable, PublishableQuerySet
from blocks.reviews import Reviewed
from blocks.richtext import RichTextField


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
