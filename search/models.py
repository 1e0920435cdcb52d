from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


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

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True, help_text="Plain text: rich text without its tags.")
    url = models.CharField(max_length=500)
    date = models.DateField(null=True, blank=True)
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
