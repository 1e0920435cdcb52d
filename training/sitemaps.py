from blocks.sitemaps import SiteSitemap

from .models import CommunityProject, Event, Workshop


class WorkshopSitemap(SiteSitemap):
    def items(self):
        return Workshop.objects.published()


class EventSitemap(SiteSitemap):
    # Past events keep their pages (a record of what happened), so they stay listed.
    def items(self):
        return Event.objects.published()


class CommunityProjectSitemap(SiteSitemap):
    # Projects have no draft status: every project is public.
    def items(self):
        return CommunityProject.objects.all()


sitemaps = {
    "workshops": WorkshopSitemap,
    "events": EventSitemap,
    "community-projects": CommunityProjectSitemap,
}
