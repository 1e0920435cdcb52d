"""What every sitemap section shares, and the section for the site-wide pages.

Each app lists its own published content in its sitemaps.py; prevent_site/urls.py puts the
sections together at /sitemap.xml.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class SiteSitemap(Sitemap):
    """Addresses start with SITE_URL, as canonical links do, whatever host name was asked for."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(SiteSitemap):
    """Pages that are not content from the database: home, the lists and the legal pages."""

    url_names = [
        "home",
        "newsletters:issue-list",
        "newsletters:subscribe",
        "training:workshop-list",
        "training:request",
        "training:event-list",
        "training:project-list",
        "resources:scheme-list",
        "resources:link-list",
        "resources:contact-list",
        "resources:team",
        "resources:help-route-list",
        "reports:report",
        "search:topic-list",
        "accessibility",
        "privacy",
        "cookies",
        "staying-safe-online",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


sitemaps = {"pages": PageSitemap}
