from django.db.models import Count
from django.urls import reverse

from blocks.sitemaps import SiteSitemap

from .models import Issue, Section


class IssueSitemap(SiteSitemap):
    def items(self):
        return Issue.objects.archive()


class SectionHistorySitemap(SiteSitemap):
    """The pages of section headings in more than one published issue, which issues link to."""

    def items(self):
        return (
            Section.objects.published()
            .values("slug")
            .annotate(issues=Count("issue", distinct=True))
            .filter(issues__gt=1)
            .order_by("slug")
            .values_list("slug", flat=True)
        )

    def location(self, slug):
        return reverse("newsletters:section-history", kwargs={"slug": slug})


sitemaps = {"newsletters": IssueSitemap, "newsletter-sections": SectionHistorySitemap}
