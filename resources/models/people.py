"""The team and the useful contacts the site lists."""

from django.db import models
from django.urls import reverse

from blocks import images
from blocks.reviews import Reviewed


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
