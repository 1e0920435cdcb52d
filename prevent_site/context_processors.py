from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from blocks import languages
from blocks.templatetags.languages import page_url

# (label, url name, the view names that mark the item as the current section)
NAVIGATION = [
    (_("Newsletters"), "newsletters:issue-list", ("newsletters:",)),
    (_("Training"), "training:workshop-list", ("training:workshop-", "training:request")),
    (_("Events"), "training:event-list", ("training:event-",)),
    (_("Funding"), "resources:scheme-list", ("resources:scheme-",)),
    (_("Resources"), "resources:link-list", ("resources:link-", "resources:contact-")),
    (_("Our team"), "resources:team", ("resources:team",)),
    (_("Worried about someone?"), "resources:help-route-list", ("resources:help-route-",)),
]


def canonical_url(request):
    """The page's public address: SITE_URL (not whatever host name the request used) and the path.

    Query strings are dropped, so tracking parameters never make a second address for a page;
    base.html adds the page number of a paginated list, which is a different page.
    """
    return settings.SITE_URL + request.path


def site(request):
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    navigation = [
        {"label": label, "url": page_url(name), "active": current.startswith(prefixes)}
        for label, name, prefixes in NAVIGATION
    ]
    return {
        "TEAM_EMAIL": settings.TEAM_EMAIL,
        "EXIT_THIS_PAGE_URL": settings.EXIT_THIS_PAGE_URL,
        "navigation": navigation,
        "canonical_url": canonical_url(request),
        # The site editor's name, for its pages that admin.site does not serve (choosing a
        # password from an invitation or a reset link): never "Django administration".
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        # lang and dir, hreflang alternates, the language switcher (blocks/languages.py).
        **languages.page_context(request),
    }
