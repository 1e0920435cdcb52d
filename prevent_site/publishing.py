"""Draft/published status shared by every content type the team schedules.

The rule lives here once: an item is public when it is published and its publish-at time has
passed. Views, feeds and sitemaps ask ``Model.objects.published()``; nothing else repeats it.
"""

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED, publish_at__lte=timezone.now())


class Publishable(models.Model):
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are never shown to the public. Choose “Published” when it is ready.",
    )
    publish_at = models.DateTimeField(
        "publish at",
        default=timezone.now,
        help_text="A published item appears on the site from this date and time (UK time). "
        "Set a future time to schedule it.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()
