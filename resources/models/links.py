"""Resource links and funding schemes."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from blocks.publishing import Publishable, PublishableQuerySet
from blocks.reviews import Reviewed


class ResourceLink(Reviewed):
    class Category(models.TextChoices):
        STATISTICS = "statistics", "Statistics"
        RESEARCH = "research", "Research"
        EDUCATION = "education", "Education and schools"
        ONLINE_SAFETY = "online-safety", "Online safety"
        GUIDANCE = "guidance", "Guidance"

    title = models.CharField(max_length=250)
    slug = models.SlugField(
        unique=True, max_length=250, help_text="Used in the web address; filled from the title."
    )
    url = models.URLField(
        "web address",
        max_length=500,
        blank=True,
        help_text="Leave empty if the address is not known: the title is then shown without a "
        "link. Never guess an address.",
    )
    publisher = models.CharField(
        max_length=150, blank=True, help_text="Who published it, e.g. “GOV.UK” or “GNET”."
    )
    description = models.TextField(blank=True, help_text="Optional. One sentence on what it is.")
    category = models.CharField(max_length=20, choices=Category.choices)
    order = models.PositiveIntegerField(
        default=0, help_text="Links are listed from the lowest number to the highest."
    )
    topics = models.ManyToManyField(
        "resources.Topic",
        blank=True,
        related_name="resource_links",
        help_text="What it is about: it is listed on the page of each topic chosen here.",
    )

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:link-list") + f"#{self.slug}"

    def search_document(self):
        return {"title": self.title, "text": [self.description, self.publisher]}


class FundingSchemeQuerySet(PublishableQuerySet):
    def open_now(self):
        today = timezone.localdate()
        return self.published().filter(opens_on__lte=today, closes_on__gte=today)


class FundingScheme(Reviewed, Publishable):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        OPENS_SOON = "opens-soon", "Opens soon"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=200, help_text="Filled from the name.")
    summary = models.TextField(help_text="One or two sentences shown in lists.")
    funder = models.CharField(max_length=150, blank=True, help_text="E.g. “Home Office”.")
    who_can_apply = models.TextField(blank=True)
    what_it_covers = models.TextField(blank=True)
    opens_on = models.DateField(help_text="First day applications are accepted.")
    closes_on = models.DateField(help_text="Last day applications are accepted.")
    how_to_apply = models.TextField(
        blank=True,
        help_text="How to apply, and where. Leave the dates out: the page says when "
        "applications open and close, from the dates above.",
    )
    guidance_url = models.URLField(
        "guidance web address",
        max_length=500,
        blank=True,
        help_text="The funder's official page about the scheme. Never guess an address.",
    )
    topics = models.ManyToManyField(
        "resources.Topic",
        blank=True,
        related_name="funding_schemes",
        help_text="What it is about: it is listed on the page of each topic chosen here.",
    )

    objects = FundingSchemeQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_on", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:scheme-detail", kwargs={"slug": self.slug})

    def search_document(self):
        return {
            "title": self.name,
            "text": [
                self.summary,
                self.funder,
                self.who_can_apply,
                self.what_it_covers,
                self.how_to_apply,
            ],
            "date": self.opens_on,
            # After this day its result says "Closed", as its page does.
            "ends": self.closes_on,
        }

    def state(self, today=None):
        """Open, opens soon or closed, worked out from the dates (never typed in)."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return self.State.OPENS_SOON
        if today > self.closes_on:
            return self.State.CLOSED
        return self.State.OPEN

    @property
    def state_label(self):
        state = self.state()
        if state == self.State.OPENS_SOON:
            return f"Opens on {self.opens_on:%-d %B %Y}"
        return state.label

    @property
    def window_sentence(self):
        """When applications open and close, in the tense state() gives: the words and the
        Open, Opens on… or Closed tag can never disagree."""
        opens, closes = f"{self.opens_on:%-d %B %Y}", f"{self.closes_on:%-d %B %Y}"
        match self.state():
            case self.State.OPENS_SOON:
                return f"Applications open on {opens} and close on {closes}."
            case self.State.CLOSED:
                return f"Applications opened on {opens} and closed on {closes}."
        return f"Applications are open until {closes}."
