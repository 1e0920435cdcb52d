from django.conf import settings
from django.urls import reverse

# (label, url name, the view names that mark the item as the current section)
NAVIGATION = [
    ("Newsletters", "newsletters:issue-list", ("newsletters:",)),
    ("Training", "training:workshop-list", ("training:workshop-", "training:request")),
    ("Events", "training:event-list", ("training:event-",)),
    ("Funding", "resources:scheme-list", ("resources:scheme-",)),
    ("Resources", "resources:link-list", ("resources:link-", "resources:contact-")),
    ("Our team", "resources:team", ("resources:team",)),
]


def canonical_url(request):
    """The page's public address: SITE_URL (not whatever host name the request used) and the path.

    Query strings are dropped, so tracking parameters never make a second address for a page,
    except the page number of a list, which is a different page.
    """
    url = settings.SITE_URL + request.path
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return url


def site(request):
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    navigation = [
        {"label": label, "url": reverse(name), "active": current.startswith(prefixes)}
        for label, name, prefixes in NAVIGATION
    ]
    return {
        "TEAM_EMAIL": settings.TEAM_EMAIL,
        "navigation": navigation,
        "canonical_url": canonical_url(request),
    }
