from blocks.sitemaps import SiteSitemap
from resources.models import Topic

from .topics import with_public_counts


class TopicSitemap(SiteSitemap):
    def items(self):
        # The topics /topics/ lists: those with something the public may see.
        return with_public_counts(Topic.objects.all()).filter(public_total__gt=0)


sitemaps = {"topics": TopicSitemap}
