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


def site(request):
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    navigation = [
        {"label": label, "url": reverse(name), "active": current.startswith(prefixes)}
        for label, name, prefixes in NAVIGATION
    ]
    return {"TEAM_EMAIL": settings.TEAM_EMAIL, "navigation": navigation}
