"""Draft/published status shared by every content type the team schedules.

The rule lives here once: an item is public when it is published and its publish-at time has
passed. Views, feeds and sitemaps ask ``Model.objects.published()``; nothing else repeats it.
"""

from django.db import models
from django.utils import timezone
from django.utils.cache import patch_cache_control


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

    @property
    def publication_label(self):
        """“Draft”, “Scheduled for 3 July 2023, 09:00” or “Live”, as the admin lists show it."""
        if self.status != Status.PUBLISHED:
            return "Draft"
        if self.publish_at > timezone.now():
            return f"Scheduled for {timezone.localtime(self.publish_at):%-d %B %Y, %H:%M}"
        return "Live"


class PreviewMixin:
    """For a DetailView of a Publishable: the public gets published items only (anything else is
    a 404); signed-in staff also get drafts and scheduled items, marked as a preview.

    The view's ``get_queryset()`` returns every item; the published() rule is applied here.
    """

    def can_preview(self):
        return self.request.user.is_staff

    def get_object(self, queryset=None):
        if queryset is None:
            queryset = self.get_queryset()
        if not self.can_preview():
            queryset = queryset.published()
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("preview", not self.object.is_public)
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("preview"):
            # A draft must never be kept by a shared cache or a proxy and shown to someone else.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response
