"""The signed links in a subscriber's emails.

Each carries the subscriber's id and key, signed with the site's secret: an altered link fails
its signature, and a subscriber's new key (or their leaving) ends every link they had. The
confirmation link works for NEWSLETTER_CONFIRM_DAYS; the preferences and unsubscribe links work
while the subscriber does.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Subscriber

CONFIRM_SALT = "newsletters.confirm"
MANAGE_SALT = "newsletters.manage"


def confirm_for():
    return timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)


def _token(subscriber, salt):
    return signing.dumps([subscriber.pk, subscriber.key], salt=salt)


def _subscriber(token, salt, max_age=None):
    """The subscriber a link is for, or None if they have left since.

    Raises signing.SignatureExpired for a link past its time, and signing.BadSignature (its
    parent) for one that was altered or made up.
    """
    value = signing.loads(token, salt=salt, max_age=max_age)
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], str)
    ):
        raise signing.BadSignature("Not a subscriber link")
    pk, key = value
    return Subscriber.objects.filter(pk=pk, key=key).first()


def confirm_token(subscriber):
    return _token(subscriber, CONFIRM_SALT)


def manage_token(subscriber):
    return _token(subscriber, MANAGE_SALT)


def subscriber_to_confirm(token):
    return _subscriber(token, CONFIRM_SALT, max_age=confirm_for())


def subscriber_to_manage(token):
    return _subscriber(token, MANAGE_SALT)


def confirm_url(subscriber):
    return settings.SITE_URL + reverse("newsletters:confirm", args=[confirm_token(subscriber)])


def preferences_url(subscriber):
    return settings.SITE_URL + reverse("newsletters:preferences", args=[manage_token(subscriber)])


def unsubscribe_url(subscriber):
    return settings.SITE_URL + reverse("newsletters:unsubscribe", args=[manage_token(subscriber)])


def list_unsubscribe_headers(subscriber):
    """The headers that let a mail program unsubscribe (RFC 2369): the subscriber's unsubscribe
    link, or an email to the team; with one click, a POST to the link, only when the link is
    https, as RFC 8058 requires."""
    url = unsubscribe_url(subscriber)
    headers = {"List-Unsubscribe": f"<{url}>, <mailto:{settings.TEAM_EMAIL}?subject=Unsubscribe>"}
    if url.startswith("https://"):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers
