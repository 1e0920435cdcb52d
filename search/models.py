from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext


class SearchEntryQuerySet(models.QuerySet):
    def public(self):
        # Scheduled items carry their publish-at time, so they appear on time with no re-indexing.
        return self.filter(public_from__lte=timezone.now())


class SearchEntry(models.Model):
    """One thing the site search can find, kept by search.index whenever the thing is saved."""

    class Kind(models.TextChoices):
        # In the order the search page lists its filters.
        SECTION = "section", "Newsletter section"
        ISSUE = "issue", "Newsletter issue"
        WORKSHOP = "workshop", "Workshop"
        EVENT = "event", "Event"
        SCHEME = "scheme", "Funding scheme"
        PROJECT = "project", "Community project"
        LINK = "link", "Resource link"
        CONTACT = "contact", "Contact"
        MEMBER = "member", "Team member"
        HELP = "help", "Way to get help"
        PAGE = "page", "Page"

    # Empty for the site's own pages (search.pages), which are no object.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True, help_text="Plain text: rich text without its tags.")
    url = models.CharField(max_length=500)
    date = models.DateField(null=True, blank=True)
    ends_on = models.DateField(
        null=True, blank=True, help_text="The last day of an event or a funding scheme."
    )
    public_from = models.DateTimeField(
        null=True, blank=True, help_text="Empty for drafts, which never appear."
    )
    # Filled on PostgreSQL only (search.index), where a GIN index covers it (migration 0001). On
    # SQLite the column exists but stays empty: the search there reads title and text.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_search_entry_per_item"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return self.url

    @property
    def status(self):
        """What a result says of an event or a scheme that is over, as their own pages do."""
        if self.ends_on is None or self.ends_on >= timezone.localdate():
            return ""
        # In the reader's language: on a translated search page, the English results say so too.
        said = {
            self.Kind.EVENT: pgettext("search result", "Past event"),
            self.Kind.SCHEME: pgettext("search result", "Closed"),
        }
        return said.get(self.kind, "")


class SearchWord(models.Model):
    """A word the index contains, from which "Did you mean …?" is chosen. Words are added as
    entries are written and all rebuilt with the index."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word


class Synonym(models.Model):
    """Words the team says also mean what someone typed: each search looks for them too."""

    term = models.CharField(
        max_length=100,
        unique=True,
        help_text="What people type, e.g. “FGM” or “course”. Capitals do not matter.",
    )
    alternatives = models.CharField(
        max_length=300,
        help_text="What the site's pages say instead, separated by commas, e.g. “female genital "
        "mutilation” or “workshop, training”. Searches for the term find these too.",
    )

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {self.alternatives}"

    def clean(self):
        # Before the uniqueness check, so that "FGM" is refused when "fgm" exists.
        self.term = " ".join(self.term.lower().split())

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def alternative_list(self):
        return [a for a in (" ".join(a.lower().split()) for a in self.alternatives.split(",")) if a]


class SearchLogQuerySet(models.QuerySet):
    def since(self, moment):
        return self.filter(created_at__gte=moment)

    def before(self, moment):
        return self.filter(created_at__lt=moment)


class SearchLog(models.Model):
    """A search someone made: the words and how many results they found, nothing about who."""

    # Longer searches are cut to this before they are run and logged.
    TERM_LENGTH = 100

    term = models.CharField(max_length=TERM_LENGTH)
    results = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = SearchLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "search"
        verbose_name_plural = "searches"

    def __str__(self):
        return f"“{self.term}” ({self.results})"
