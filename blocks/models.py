"""The tables behind building blocks: reference numbers (blocks.references) and the rate
limit (blocks.ratelimit) of the public forms, the last run of each scheduled command
(blocks.jobs), and the review dates of the site's statutory pages and the weekly reminder of
what is due (blocks.reviews). None knows which app uses it: each names its own series, scope
or job."""

from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from . import richtext
from .reviews import Reviewed


class ReferenceCounterManager(models.Manager):
    def next_number(self, series, year):
        """The next number in the series for the year, unique however many forms arrive at once.

        The UPDATE locks the row until the surrounding transaction ends, so two submissions can
        never read the same number (on PostgreSQL the second waits; SQLite allows one writer at
        a time anyway).
        """
        counter = self.filter(series=series, year=year)
        if not counter.update(last_number=models.F("last_number") + 1):
            try:
                with transaction.atomic():
                    self.create(series=series, year=year, last_number=1)
                return 1
            except IntegrityError:
                # Another submission created the row first: take the next number after it.
                counter.update(last_number=models.F("last_number") + 1)
        return counter.get().last_number


class ReferenceCounter(models.Model):
    """The last number given out in a series of references each year, so numbers restart in
    January."""

    series = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    objects = ReferenceCounterManager()

    class Meta:
        ordering = ["series", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year"], name="one_reference_counter_per_series_and_year"
            )
        ]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last_number}"


class RecentSubmission(models.Model):
    """One accepted submission of a public form, kept only as long as the rate limit looks back.

    The client's address is stored as a keyed hash, never as the address itself.
    """

    scope = models.CharField(max_length=30, help_text="The form, e.g. “training-request”.")
    client = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["scope", "client", "created_at"], name="recent_submission_count_idx"
            )
        ]

    def __str__(self):
        return f"{self.scope}: {self.client[:8]}… at {self.created_at:%Y-%m-%d %H:%M}"


class JobRun(models.Model):
    """The last run of a scheduled command (a purge, the outbox's safety net) and what it did,
    for the admin's status page."""

    name = models.CharField(max_length=60, unique=True, help_text="The command's name.")
    finished_at = models.DateTimeField()
    summary = models.TextField(blank=True, help_text="What the command said it did.")

    class Meta:
        ordering = ["name"]
        verbose_name = "last run of a scheduled command"

    def __str__(self):
        return f"{self.name}: {timezone.localtime(self.finished_at):%-d %b %Y %H:%M}"


class TranslationCheck(models.Model):
    """A qualified translator has checked one page in one language (blocks.languages).

    Until there is one, the page says, in its language and in English, that its translation
    has not been checked yet, and links to the English page. Staff delete it when the page's
    text changes, until the new text is checked.
    """

    page = models.CharField(
        max_length=100,
        help_text="The translated page the translator checked.",
    )
    language = models.CharField(max_length=10, help_text="The language they checked it in.")
    checked_by = models.CharField(
        max_length=150,
        help_text="The translator, or their agency, e.g. “Westminster Interpreting Service”.",
    )
    checked_on = models.DateField(default=timezone.localdate, help_text="When they checked it.")

    class Meta:
        ordering = ["page", "language"]
        verbose_name = "checked translation"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="one_translation_check_per_page_and_language"
            )
        ]

    def __str__(self):
        return f"{self.page} ({self.language}), checked by {self.checked_by}"


class StatutoryPage(Reviewed):
    """A page every public-sector site must have (the accessibility statement, the privacy
    notice), written in a template rather than in the admin: its row carries its review date.
    The rows are made by the migrations; the team marks them checked and a developer changes
    the words."""

    url_name = models.CharField(
        max_length=60, unique=True, editable=False, help_text="The page's URL name."
    )
    title = models.CharField(max_length=100, editable=False)
    template = models.CharField(
        max_length=100, editable=False, help_text="Where a developer changes its words."
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "statutory page"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(self.url_name)


class PageIntroduction(models.Model):
    """The opening words of a page whose other words are in its template: the home page,
    "Worried about someone?", the report form, and the summaries at the top of the accessibility
    statement and the privacy notice. The team edits them in the admin, beside English in each
    language of settings.LANGUAGES (blocks/translation.py); the migrations make one row a page.

    Plain text: paragraphs are separated by a blank line. Phone numbers and email addresses
    are not typed here: the page adds them from the one place each is kept.
    """

    page = models.CharField(
        max_length=100, unique=True, editable=False, help_text="The page's URL name."
    )
    name = models.CharField(
        max_length=100, editable=False, help_text="The page's title, as search results show it."
    )
    text = models.TextField(
        help_text="Separate paragraphs with a blank line. Plain text: no links or formatting. "
        "Leave a language empty to show the English there, marked as English."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "page introduction"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(self.page)

    def paragraphs(self):
        """The text in the reader's language (or English), one string a paragraph, its lines
        joined."""
        return [" ".join(paragraph.split()) for paragraph in richtext.paragraphs(self.text)]


class ReviewReminder(models.Model):
    """The weekly email of what is due for review (send_review_reminders) was queued for this
    week: one row a week, so running the command again that week sends nothing."""

    week_of = models.DateField(unique=True, help_text="The Monday of the week.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_of"]
        verbose_name = "weekly review reminder"

    def __str__(self):
        return f"Review reminder for the week of {self.week_of:%-d %B %Y}"
