from prevent_site.sitemaps import SiteSitemap

from .models import Issue


class IssueSitemap(SiteSitemap):
    def items(self):
        return Issue.objects.archive()


sitemaps = {"newsletters": IssueSitemap}
