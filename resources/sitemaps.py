from blocks.sitemaps import SiteSitemap

from .models import Audience, FundingScheme


class FundingSchemeSitemap(SiteSitemap):
    def items(self):
        return FundingScheme.objects.published()


class AudienceSitemap(SiteSitemap):
    def items(self):
        return Audience.objects.all()


sitemaps = {"funding-schemes": FundingSchemeSitemap, "audiences": AudienceSitemap}
