"""The banner the team raises on the site's pages after an incident, without a developer, and
the pages the team marks as sensitive (they get Exit this page)."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocks import richtext


class Severity(models.TextChoices):
    # Translated: the banner's heading on pages in other languages.
    EMERGENCY = "emergency", _("Emergency")
    IMPORTANT = "important", _("Important")
    NOTICE = "notice", _("Notice")


class PageKind(models.TextChoices):
    """The kinds of page a banner can be limited to, each the URL names that make it up."""

    HOME = "home", "Home page"
    NEWSLETTERS = "newsletters", "Newsletters"
    TRAINING = "training", "Training, events and community projects"
    RESOURCES = "resources", "Funding, resources, contacts and the team"
    HELP = "help", "Worried about someone? and reporting"

    @property
    def url_names(self):
        return {
            "home": ("home",),
            "newsletters": ("newsletters:",),
            "training": ("training:",),
            "resources": (
                "resources:scheme-",
                "resources:link-",
                "resources:contact-",
                "resources:team",
            ),
            "help": ("resources:help-route-", "reports:", "staying-safe-online"),
        }[self.value]


class BannerQuerySet(models.QuerySet):
    def live(self, now=None):
        """Put live, started (or with no start) and not ended: what visitors see."""
        now = now or timezone.now()
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=now),
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            is_live=True,
        )

    def most_severe_first(self):
        """These banners, the most severe first, then the latest. Sorted here rather than by a
        CASE in SQL: every page asks for the live banners, there are a few at most, and
        building that CASE took Django longer than the query itself."""
        rank = {severity: n for n, severity in enumerate(Severity)}
        return sorted(self, key=lambda banner: rank[banner.severity])  # stable: latest first


class Banner(models.Model):
    severity = models.CharField(
        max_length=10,
        choices=Severity,
        default=Severity.NOTICE,
        help_text="Emergency: a major incident (shown in red, and people cannot hide it). "
        "Important or notice: GOV.UK's blue notification banner.",
    )
    title = models.CharField(
        max_length=100, help_text="A few words, for example “Incident in Westminster”."
    )
    message = richtext.RichTextField(
        heading_levels=(3,),
        help_text="One or two short sentences, with links to where people can find out more.",
    )
    page_kinds = models.JSONField(
        "shown on",
        default=list,
        blank=True,
        help_text="Leave every box empty to show the banner on every page.",
    )
    starts_at = models.DateTimeField(
        "starts", null=True, blank=True, help_text="Leave empty to show it as soon as it is live."
    )
    ends_at = models.DateTimeField(
        "ends", null=True, blank=True, help_text="Leave empty to show it until you take it down."
    )
    dismissible = models.BooleanField(
        "people can hide it",
        default=False,
        help_text="Shows a “Hide this message” button. Never for an emergency.",
    )
    in_newsletter = models.BooleanField(
        "put it in the newsletter email",
        default=False,
        help_text="Adds the title and message to the top of newsletter emails sent while live.",
    )
    is_live = models.BooleanField(
        "live",
        default=False,
        help_text="Only emergency publishers can put a banner live or take it down.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = BannerQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        permissions = [("publish_banner", "Can put a banner live or take it down")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("home")

    def clean(self):
        if self.severity == Severity.EMERGENCY and self.dismissible:
            raise ValidationError({"dismissible": "People cannot hide an emergency banner."})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must be after the start."})

    def shown_on(self, view_name):
        """Whether the banner is on the page of this URL name."""
        if not self.page_kinds:
            return True
        return any(view_name.startswith(PageKind(kind).url_names) for kind in self.page_kinds)

    @property
    def message_text(self):
        """The message as plain text, for the newsletter's plain-text email."""
        return richtext.plain_text(self.message)

    @property
    def hide_key(self):
        """What a visitor's browser remembers when they hide it: a changed banner shows again."""
        return f"{self.pk}-{int(self.updated_at.timestamp())}"


def page_path(address):
    """The path of one of the site's pages, from its full address or its path."""
    parts = urlsplit(address.strip())
    path = parts.path or "/"
    return path if path.startswith("/") else f"/{path}"


class SensitivePage(models.Model):
    """A page the team has marked as one that could put a reader at risk if someone saw it.

    It gets the Exit this page button and the note on staying safe online, as "Worried about
    someone?" and the report form always have.
    """

    path = models.CharField(
        "page address",
        max_length=300,
        unique=True,
        help_text="Copy the page's address from the browser, for example "
        "https://prevent.westminster.gov.uk/topics/online-safety/ "
        "(or only /topics/online-safety/).",
    )
    reason = models.CharField(
        "why it is sensitive",
        max_length=200,
        blank=True,
        help_text="For the team only, for example “advice for parents about a child”.",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "sensitive page"

    def __str__(self):
        return self.path

    def get_absolute_url(self):
        return self.path

    def clean(self):
        self.path = page_path(self.path)
        try:
            match = resolve(self.path)
        except Resolver404:
            raise ValidationError(
                {"path": "There is no page at this address on the site."}
            ) from None
        if match.view_name.startswith("admin:") or match.view_name.startswith(
            ("healthz", "readyz")
        ):
            raise ValidationError({"path": "Only the public pages can be marked as sensitive."})
