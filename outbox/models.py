from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext


class OutboundEmailQuerySet(models.QuerySet):
    def about(self, things):
        """The emails about the rows of the queryset ``things``."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(things.model),
            object_id__in=things.values("pk"),
        )

    def given_up(self):
        return self.filter(sent_at=None).exclude(failed_at=None)

    def waiting(self):
        """Not sent yet and not given up on: the worker still has them to send."""
        return self.filter(sent_at=None, failed_at=None)


class OutboundEmail(models.Model):
    """An email the site sends, written in the same transaction as what it is about.

    The worker sends it once that transaction commits (outbox.sending); if the mail server is
    down the row stays unsent and is tried again later, so nothing is lost.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name="what it is about"
    )
    object_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(
        max_length=30, help_text="Which of the emails about it this is, e.g. “team”."
    )
    to = models.CharField(max_length=254)
    reply_to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    headers = models.JSONField(
        default=dict, blank=True, help_text="Further headers, such as List-Unsubscribe."
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a sender took it; a stale claim is taken again."
    )
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        "next try",
        default=timezone.now,
        db_index=True,
        help_text="Not tried again before this: each failure waits longer, up to an hour.",
    )
    failing_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The first failure since it was queued or last retried by hand.",
    )
    failed_at = models.DateTimeField(
        "gave up",
        null=True,
        blank=True,
        help_text="When sending was given up: the mail server refused it for good, or it was "
        "still failing after 24 hours. “Retry now” tries it again.",
    )

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "outbound email"
        indexes = [models.Index(fields=["content_type", "object_id"], name="outbox_about_idx")]

    def __str__(self):
        return f"{self.subject} (to {self.to})"

    @property
    def state(self):
        """Sent, waiting or failed, in the words the admin and send_pending_emails show."""
        if self.sent_at:
            return f"Sent {timezone.localtime(self.sent_at):%-d %b %Y %H:%M}"
        if self.failed_at:
            attempts = ngettext("%d attempt", "%d attempts", self.attempts) % self.attempts
            return f"Failed after {attempts}: {self.last_error}"
        if self.attempts:
            return f"Waiting (next try at {timezone.localtime(self.next_attempt_at):%-d %b %H:%M})"
        return "Waiting"

    def get_absolute_url(self):
        return reverse("admin:outbox_outboundemail_change", args=[self.pk])


class WorkerHeartbeat(models.Model):
    """When the email worker last ran its heartbeat task (outbox.health), and which beat
    waits to run next: one row, updated about once a minute while a worker runs."""

    seen_at = models.DateTimeField(null=True)
    next_beat = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self):
        if self.seen_at is None:
            return "Worker not seen yet"
        return f"Worker seen {timezone.localtime(self.seen_at):%-d %b %Y %H:%M:%S}"
