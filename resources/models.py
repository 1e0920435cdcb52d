from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from blocks import images
from blocks.publishing import Publishable, PublishableQuerySet
from blocks.reviews import NextReviewField, Reviewed


class Topic(models.Model):
    """A subject the site's content is about, such as online safety: sections, workshops, events,
    resource links and funding schemes carry topics, and each topic has a page listing them."""

    name = models.CharField(max_length=100, unique=True, help_text="E.g. “Online safety”.")
    slug = models.SlugField(
        unique=True, max_length=100, help_text="Used in the web address; filled from the name."
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences at the top of the topic's page."
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Topics are listed from the lowest number to the highest."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The topic pages are the search app's (it reads every content app).
        return reverse("search:topic-detail", kwargs={"slug": self.slug})

    def search_document(self):
        return {"title": self.name, "text": [self.description]}


class Audience(models.Model):
    """A group of people the site has a way in for ("For parents and carers"): a page with an
    introduction the team writes, then the workshops chosen for them and everything on their
    topics."""

    name = models.CharField(
        max_length=100, unique=True, help_text="Who it is for, e.g. “Parents and carers”."
    )
    slug = models.SlugField(
        unique=True,
        max_length=100,
        help_text="Used in the web address after /for/, e.g. “parents-and-carers”.",
    )
    introduction = models.TextField(
        help_text="A short introduction at the top of the page: who it is for and how the team "
        "can help. Plain text; a blank line starts a new paragraph."
    )
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="audiences",
        help_text="The page lists the newsletter sections, events, resources and funding schemes "
        "on these topics.",
    )
    contacts = models.ManyToManyField(
        "Contact", blank=True, related_name="audiences", help_text="Contacts these people may need."
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Audiences are listed from the lowest number to the highest."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The audience pages are the search app's (it reads every content app).
        return reverse("search:audience-detail", kwargs={"slug": self.slug})

    @property
    def heading(self):
        """“For parents and carers” from “Parents and carers”; “For NHS staff” keeps its
        capitals."""
        name = self.name
        if name[1:2].islower():
            name = name[:1].lower() + name[1:]
        return f"For {name}"

    def search_document(self):
        return {"title": self.heading, "text": [self.introduction]}


class TeamMember(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True, help_text="Used in the web address; filled from the name.")
    role = models.CharField(max_length=150, help_text="Job title as it should appear on the site.")
    photo = images.ImageField(
        upload_to="team/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text="Optional. A head-and-shoulders photo (JPEG, PNG or WebP, at most 10 MB). "
        "Without one, the person's initials are shown. Location and camera details are "
        "removed when it is saved.",
    )
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        help_text="Describe the photo for people who cannot see it, e.g. “Kiran Malik smiling”.",
    )
    bio = models.TextField(
        "short biography", blank=True, help_text="One or two sentences about what they do."
    )
    order = models.PositiveIntegerField(
        default=0, help_text="People are listed from the lowest number to the highest."
    )
    photo_decorative = models.BooleanField(
        "decorative photo",
        default=False,
        help_text="Tick only if the photo adds nothing to the text (it is then skipped by "
        "screen readers, and no description is needed).",
    )
    # Filled in when the photo is saved: pages use them to pick renditions and reserve space.
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.name}, {self.role}"

    def clean(self):
        super().clean()
        images.check_alt_text(self.photo, self.photo_alt, self.photo_decorative, "photo_alt")

    def get_absolute_url(self):
        return reverse("resources:team") + f"#{self.slug}"

    def search_document(self):
        return {"title": self.name, "text": [self.role, self.bio]}

    @property
    def initials(self):
        return "".join(part[0] for part in self.name.split() if part)[:3].upper()


class Contact(Reviewed):
    service = models.CharField(
        "service name", max_length=150, help_text="E.g. “Adult Social Care”."
    )
    slug = models.SlugField(unique=True, help_text="Used in the web address; filled from the name.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, help_text="Optional. As people dial it.")
    purpose = models.TextField(
        "contact it for",
        blank=True,
        help_text="Optional. What people should contact this service about.",
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Contacts are listed from the lowest number to the highest."
    )

    class Meta:
        ordering = ["order", "service"]

    def __str__(self):
        return self.service

    def get_absolute_url(self):
        return reverse("resources:contact-list") + f"#{self.slug}"

    def search_document(self):
        return {"title": self.service, "text": [self.purpose, self.email, self.phone]}


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


# As people dial it: digits and spaces, with a + only in front of an international number.
dialled_number = RegexValidator(
    r"^\+?[0-9][0-9 ]*$",
    "Enter the number as people dial it, using only digits and spaces, e.g. “0800 011 3764”.",
)


class HelpRoute(Reviewed):
    """A way to get help on the "Worried about someone?" page."""

    # In the order the page shows them: each is a part of the page with its own heading.
    class Part(models.TextChoices):
        PUBLIC = "public", "Family, friends and the public"
        PROFESSIONALS = "professionals", "Professionals"
        SUSPICIOUS = "suspicious", "Suspicious activity"
        ONLINE = "online", "Terrorist or extremist content online"
        SAFEGUARDING = "safeguarding", "Children's and adults' safeguarding"

    name = models.CharField(
        max_length=150, help_text="The service as people know it, e.g. “ACT Early Support Line”."
    )
    slug = models.SlugField(
        unique=True,
        max_length=150,
        help_text="Used to link straight to this entry on the page; filled from the name.",
    )
    part = models.CharField(
        "part of the page",
        max_length=20,
        choices=Part.choices,
        help_text="The part of the page it appears in.",
    )
    description = models.TextField(
        "what it is for",
        help_text="One or two short sentences, speaking to the reader, e.g. “Call if you are "
        "worried that someone you know is being drawn into extremism.”",
    )
    phone = models.CharField(
        max_length=40,
        blank=True,
        validators=[dialled_number],
        help_text="Optional. As people dial it, e.g. “0800 011 3764”. Copy it from the service's "
        "own page; never guess a number.",
    )
    textphone = models.CharField(
        max_length=40,
        blank=True,
        validators=[dialled_number],
        help_text="Optional. A number for people who are deaf or have a hearing or speech "
        "impairment, e.g. “18001 101”.",
    )
    email = models.EmailField(blank=True, help_text="Optional.")
    url = models.URLField(
        "web address",
        max_length=500,
        blank=True,
        help_text="Optional. The service's own page or online form. Never guess an address.",
    )
    hours = models.CharField(
        "when",
        max_length=250,
        blank=True,
        help_text="Optional. When people can call, e.g. “Every day, 9am to 5pm”. Leave empty "
        "for a website or an email address.",
    )
    order = models.PositiveIntegerField(
        default=0,
        help_text="Within its part of the page, ways to get help are listed from the lowest "
        "number to the highest.",
    )
    # Numbers and opening hours change often, and people in distress call what the page says:
    # checked twice a year.
    next_review_on = NextReviewField(months=6)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "way to get help"
        verbose_name_plural = "ways to get help"

    def __str__(self):
        return f"{self.name} ({self.get_part_display()})"

    def clean(self):
        super().clean()
        if not (self.phone or self.textphone or self.email or self.url):
            raise ValidationError(
                "Give at least one way to reach it: a phone number, an email address or a web "
                "address."
            )

    def get_absolute_url(self):
        return reverse("resources:help-route-list") + f"#{self.slug}"

    def search_document(self):
        # Numbers also as one run of digits, as people often type them.
        numbers = [n for n in (self.phone, self.textphone) if n]
        return {
            "title": self.name,
            "text": [
                self.description,
                *numbers,
                *(n.replace(" ", "") for n in numbers),
                self.email,
                self.hours,
            ],
        }

    @property
    def phone_href(self):
        return "tel:" + self.phone.replace(" ", "")

    @property
    def textphone_href(self):
        return "tel:" + self.textphone.replace(" ", "")

    @property
    def url_text(self):
        """The address as people read it: no https:// and no closing slash."""
        return self.url.split("://", 1)[-1].rstrip("/")
