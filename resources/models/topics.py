"""What content is about (topics) and whom the audience pages speak to."""

from django.db import models
from django.urls import reverse


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
