from django.conf import settings
from django.contrib import admin
from django.urls import reverse

# (label, url name, the view names that mark the item as the current section)
NAVIGATION = [
    ("Newsletters", "newsletters:issue-list", ("newsletters:",)),
    ("Training", "training:workshop-list", ("training:workshop-", "training:request")),
    ("Events", "training:event-list", ("training:event-",)),
    ("Funding", "resources:scheme-list", ("resources:scheme-",)),
    ("Resources", "resources:link-list", ("resources:link-", "resources:contact-")),
    ("Our team", "resources:team", ("resources:team",)),
    ("Worried about someone?", "resources:help-route-list", ("resources:help-route-",)),
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
        {"label": label, "url": reverse(name), "active": current.startswith(prefixes)}
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
    }
