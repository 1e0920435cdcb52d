"""The ways to get help on "Worried about someone?"."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from blocks.reviews import NextReviewField, Reviewed

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
