"""What every sitemap section shares, and the section for the site-wide pages.

Each app lists its own published content in its sitemaps.py; prevent_site/urls.py puts the
sections together at /sitemap.xml.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import languages


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
        return [name for name in self.url_names if not languages.is_translated(name)]

    def location(self, item):
        return reverse(item)


class TranslatedPageSitemap(PageSitemap):
    """The pages offered in every language: each address, with its alternates (hreflang) in
    the other languages and English as x-default."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return [name for name in self.url_names if languages.is_translated(name)]


sitemaps = {"pages": PageSitemap, "translated-pages": TranslatedPageSitemap}
