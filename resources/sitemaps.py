from prevent_site.sitemaps import SiteSitemap

from .models import FundingScheme


class FundingSchemeSitemap(SiteSitemap):
    def items(self):
        return FundingScheme.objects.published()


sitemaps = {"funding-schemes": FundingSchemeSitemap}
