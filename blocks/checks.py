"""System checks for a production configuration (`manage.py check --deploy`)."""

import ipaddress
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

SITE_URL_HINT = (
    "Set SITE_URL to the site's public https address, e.g. https://prevent.westminster.gov.uk: "
    "every link in the emails (confirming, unsubscribing) and feeds starts with it."
)


def _is_loopback(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def site_url_problems(site_url):
    """What is wrong with ``site_url`` as the public address of a production site."""
    if not site_url:
        return [("E001", "SITE_URL is not set.")]
    try:
        parts = urlsplit(site_url)
        host = parts.hostname or ""
    except ValueError:
        return [("E004", f"SITE_URL has no host name: {site_url!r}.")]
    problems = []
    if parts.scheme != "https":
        problems.append(("E002", f"SITE_URL is not https: {site_url!r}."))
    if not host:
        problems.append(("E004", f"SITE_URL has no host name: {site_url!r}."))
    elif _is_loopback(host):
        problems.append(("E003", f"SITE_URL is a loopback address: {site_url!r}."))
    return problems


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    # With DEBUG on (a laptop) the local address is right; check --deploy says DEBUG is on.
    if settings.DEBUG:
        return []
    return [
        checks.Error(message, hint=SITE_URL_HINT, id=f"prevent_site.{code}")
        for code, message in site_url_problems(settings.SITE_URL)
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_sender(app_configs, **kwargs):
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if sender.lower() != settings.TEAM_EMAIL.strip().lower():
        return []
    return [
        checks.Warning(
            f"DEFAULT_FROM_EMAIL is the team's inbox ({settings.TEAM_EMAIL}): the team's "
            "notifications would come from the address they are sent to, which spam filters "
            "count against.",
            hint="Set DEFAULT_FROM_EMAIL to an address of the site's own that the council's "
            "mail relay may send from (replies go to the team through Reply-To).",
            id="prevent_site.W001",
        )
    ]
