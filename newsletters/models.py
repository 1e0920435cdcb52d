import hashlib
import secrets

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from blocks import images, richtext
from blocks.publishing import Publishable, PublishableQuerySet
from outbox.models import OutboundEmail


class IssueQuerySet(PublishableQuerySet):
    def archive(self):
        return self.published().order_by("-month", "-volume")


class Issue(Publishable):
    title = models.CharField(max_length=200, help_text="E.g. “Prevent Newsletter, July 2023”.")
    slug = models.SlugField(
        unique=True, max_length=100, help_text="Used in the web address, e.g. “july-2023”."
    )
    volume = models.PositiveIntegerField(help_text="Volume number printed on the issue.")
    month = models.DateField(
        help_text="The month the issue covers. Any day in that month will do; it is shown as "
        "“July 2023”."
    )
    summary = models.TextField(help_text="One or two sentences shown in the archive and the feed.")
    cover_image = images.ImageField(
        upload_to="issues/",
        blank=True,
        width_field="cover_image_width",
        height_field="cover_image_height",
        help_text="Optional. A JPEG, PNG or WebP of at most 10 MB. Location and camera details "
        "are removed when it is saved.",
    )
    cover_image_alt = models.CharField(
        "cover image description",
        max_length=200,
        blank=True,
        help_text="Describe the image for people who cannot see it.",
    )
    cover_image_decorative = models.BooleanField(
        "decorative cover image",
        default=False,
        help_text="Tick only if the cover image adds nothing to the text (it is then skipped by "
        "screen readers, and no description is needed).",
    )
    # Filled in when the cover image is saved: pages use them to pick renditions and reserve space.
    cover_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-volume"]
        constraints = [
            models.UniqueConstraint(fields=["month", "volume"], name="one_issue_per_month_volume")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        images.check_alt_text(
            self.cover_image, self.cover_image_alt, self.cover_image_decorative, "cover_image_alt"
        )

    def get_absolute_url(self):
        return reverse("newsletters:issue-detail", kwargs={"slug": self.slug})

    def search_document(self):
        return {"title": self.title, "text": [self.summary], "date": self.month}

    @property
    def label(self):
        return f"{self.month:%B %Y}, Vol. {self.volume}"


class SectionQuerySet(models.QuerySet):
    def published(self):
        """Sections readers may see: those of published issues."""
        return self.filter(issue__in=Issue.objects.published())


class Section(models.Model):
    # The names of the many-to-many fields below that point readers to the structured items a
    # section talks about, in the order the admin offers them. The admin, the issue page and
    # the tests read this; the page's template gives each kind its own markup.
    LINKED_ITEMS = (
        "workshops",
        "events",
        "projects",
        "funding_schemes",
        "resource_links",
        "team_members",
        "contacts",
    )

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=0, help_text="Lowest number comes first.")
    heading = models.CharField(max_length=200)
    slug = models.SlugField(
        "anchor",
        max_length=100,
        help_text="Short name used to link straight to this section, e.g. “prevent-news”.",
    )
    body = richtext.RichTextField(
        help_text="The section's text. Sub-headings become entries in the issue's contents.",
        # The section's own heading is the h2: its text starts at h3.
        heading_levels=(3, 4),
    )
    image = images.ImageField(
        upload_to="sections/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text="Optional. A JPEG, PNG or WebP of at most 10 MB, shown under the heading. "
        "Location and camera details are removed when it is saved.",
    )
    image_alt = models.CharField(
        "image description",
        max_length=200,
        blank=True,
        help_text="Describe the image for people who cannot see it.",
    )
    image_decorative = models.BooleanField(
        "decorative image",
        default=False,
        help_text="Tick only if the image adds nothing to the text (it is then skipped by "
        "screen readers, and no description is needed).",
    )
    # Filled in when the image is saved: pages use them to pick renditions and reserve space.
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    workshops = models.ManyToManyField(
        "training.Workshop",
        blank=True,
        related_name="sections",
        help_text="Workshops this section talks about: readers get a link to each one's page.",
    )
    events = models.ManyToManyField("training.Event", blank=True, related_name="sections")
    projects = models.ManyToManyField(
        "training.CommunityProject", blank=True, related_name="sections"
    )
    funding_schemes = models.ManyToManyField(
        "resources.FundingScheme", blank=True, related_name="sections"
    )
    resource_links = models.ManyToManyField(
        "resources.ResourceLink", blank=True, related_name="sections"
    )
    team_members = models.ManyToManyField(
        "resources.TeamMember", blank=True, related_name="sections"
    )
    contacts = models.ManyToManyField("resources.Contact", blank=True, related_name="sections")
    topics = models.ManyToManyField(
        "resources.Topic",
        blank=True,
        related_name="sections",
        help_text="What the section is about: it is listed on the page of each topic chosen here.",
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "slug"], name="unique_section_anchor")
        ]

    def __str__(self):
        return self.heading

    def clean(self):
        super().clean()
        images.check_alt_text(self.image, self.image_alt, self.image_decorative, "image_alt")

    def get_absolute_url(self):
        return self.issue.get_absolute_url() + f"#{self.slug}"

    def search_document(self):
        # Found, dated and published as part of its issue.
        return {
            "title": self.heading,
            "text": [self.body],
            "date": self.issue.month,
            "published_with": self.issue,
        }

    @property
    def subheadings(self):
        return richtext.subheadings(self.body, self.slug)

    @property
    def opening_text(self):
        """The words of the body's first paragraph, as plain text (a sub-heading may come first)."""
        return richtext.first_paragraph_text(self.body)


def normalise_address(address):
    """The form an address is kept and compared in: trimmed, lower case."""
    return address.strip().lower()


def address_hash(address):
    """The one-way hash an address that left is remembered by (FormerSubscriber)."""
    return hashlib.sha256(normalise_address(address).encode()).hexdigest()


def new_key():
    return secrets.token_urlsafe(24)


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def unconfirmed_before(self, moment):
        return self.filter(status=Subscriber.Status.PENDING, created_at__lt=moment)

    def wanting(self, update):
        return self.filter(**{update: True})

    def issues_only(self):
        return self.filter(**dict.fromkeys(Subscriber.Update, False))


class Subscriber(models.Model):
    """Someone who asked for the newsletter by email (personal data: the newsletter's subscriber
    managers only).

    Nothing but the confirmation email goes to an address until it is confirmed. An address that
    leaves is deleted; only its hash stays, as a FormerSubscriber.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Subscribed"

    class Update(models.TextChoices):
        """What a subscriber may choose to hear about besides new issues, which everyone gets.
        Each value is the name of the field that keeps the choice."""

        TRAINING_AND_EVENTS = "training_and_events", "Training and events"
        FUNDING = "funding", "Funding schemes"

    class EmailKind(models.TextChoices):
        """The emails about a subscriber, as the outbox's ``kind``."""

        CONFIRM = "confirm", "Confirm your subscription"
        ALREADY_SUBSCRIBED = "already-subscribed", "Already subscribed: your preferences"

    # What the admin's history calls a subscriber once they have left.
    LEFT = "An address that left (kept only as a hash)"

    email = models.EmailField(
        "email address", max_length=254, unique=True, help_text="Kept in lower case."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    training_and_events = models.BooleanField(
        Update.TRAINING_AND_EVENTS.label,
        default=False,
        help_text="Also wants to hear about training and events.",
    )
    funding = models.BooleanField(
        Update.FUNDING.label, default=False, help_text="Also wants to hear about funding schemes."
    )
    source = models.CharField(
        max_length=200,
        default="Sign-up form",
        help_text="Where the address came from: the sign-up form, or the list it was imported "
        "from.",
    )
    lawful_basis = models.TextField(
        blank=True,
        help_text="Why we may email this address: the confirmed sign-up, or the imported list "
        "and its date.",
    )
    # The secret in the subscriber's links (subscriber_links): a new key ends every old link.
    key = models.CharField(max_length=40, default=new_key, editable=False)
    created_at = models.DateTimeField("signed up", default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Declared so that the outbox's admin shows these emails to the subscriber managers.
    emails = GenericRelation("outbox.OutboundEmail")

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.email

    @property
    def updates(self):
        """The updates chosen, in the order of Update."""
        return [update for update in self.Update if getattr(self, update)]

    def choose_updates(self, updates):
        """Set the field of every update from the updates chosen (values of Update)."""
        for update in self.Update:
            setattr(self, update, update in updates)

    def save(self, *args, **kwargs):
        self.email = normalise_address(self.email)
        super().save(*args, **kwargs)

    def confirm(self, moment=None):
        moment = moment or timezone.now()
        self.status, self.confirmed_at = self.Status.CONFIRMED, moment
        self.lawful_basis = self.lawful_basis or (
            f"Consent: signed up on {timezone.localtime(self.created_at):%-d %B %Y} and "
            f"confirmed by the emailed link on {timezone.localtime(moment):%-d %B %Y}."
        )
        with transaction.atomic():
            self.save()
            FormerSubscriber.objects.filter(address_hash=address_hash(self.email)).delete()

    def leave(self):
        """Delete the subscriber and every email to them, keeping only the address's hash so that
        an import cannot add it back."""
        with transaction.atomic():
            FormerSubscriber.objects.get_or_create(address_hash=address_hash(self.email))
            own = Subscriber.objects.filter(pk=self.pk)
            OutboundEmail.objects.about(own).delete()
            deliveries = Delivery.objects.filter(subscriber__in=own)
            # Each mailing keeps the count of the emails it sent them (at most one an issue).
            sent = OutboundEmail.objects.about(deliveries).exclude(sent_at=None)
            Mailing.objects.filter(
                issue__deliveries__in=deliveries.filter(pk__in=sent.values("object_id"))
            ).update(sent_to_former_subscribers=models.F("sent_to_former_subscribers") + 1)
            OutboundEmail.objects.about(deliveries).delete()
            # Tests of an issue sent to their address (an editor testing with it).
            OutboundEmail.objects.about(Issue.objects.all()).filter(to=self.email).delete()
            # The admin's history names each object it logs: for a subscriber, the address.
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Subscriber),
                object_id=str(self.pk),
            ).update(object_repr=self.LEFT)
            self.delete()


class FormerSubscriber(models.Model):
    """An address that left, kept only as a one-way hash: an import skips it, and only a new
    sign-up, confirmed by its owner, brings it back."""

    address_hash = models.CharField(max_length=64, unique=True)
    left_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-left_at"]

    def __str__(self):
        return f"{self.address_hash[:12]}… (left {timezone.localtime(self.left_at):%-d %b %Y})"

    @classmethod
    def includes(cls, address):
        return cls.objects.filter(address_hash=address_hash(address)).exists()


class Mailing(models.Model):
    """An issue sent to the subscribers: asked for once, prepared by the worker, which makes one
    Delivery per confirmed subscriber and hands their emails to the outbox."""

    issue = models.OneToOneField(Issue, on_delete=models.CASCADE, related_name="mailing")
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    prepared_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When every subscriber had their email in the outbox, waiting to be sent.",
    )
    sent_to_former_subscribers = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Emails of this mailing sent to subscribers who have left since: their "
        "addresses and emails are deleted, and this keeps the count of what was sent.",
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.issue} to subscribers"


class Delivery(models.Model):
    """One issue to one subscriber. Unique, so nobody gets the same issue twice, whoever clicks
    "Send" and however often the worker stops; its email is in the outbox (about this row)."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["issue", "pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="one_delivery_per_issue_and_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.issue} to {self.subscriber}"
