"""Signing up for the newsletter by email, with double opt-in, and the two emails about a
subscriber that go with it: the link to confirm, and, to an address that already subscribes, a
link to its preferences. Whatever the address, the person signing up is answered the same way.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from blocks import ratelimit
from outbox import sending
from outbox.models import OutboundEmail

from . import subscriber_links
from .models import Subscriber, normalise_address

# What the per-address limit counts under (settings.NEWSLETTER_ADDRESS_RATE_LIMIT an hour).
ADDRESS_RATE_LIMIT_SCOPE = "newsletter-address"


def change_updates(subscriber, updates):
    subscriber.choose_updates(updates)
    subscriber.save(update_fields=Subscriber.Update.values)


def updates_in_words(subscriber):
    """What the subscriber hears about, in words, new issues first."""
    return ["New newsletter issues"] + [update.label for update in subscriber.updates]


def _email(subscriber, kind, subject, template, headers=None, **context):
    """An email about the subscriber, to them, from templates/emails/<template>.txt and .html."""
    context = {
        "subscriber": subscriber,
        "updates": updates_in_words(subscriber),
        "site_url": settings.SITE_URL,
        "team_email": settings.TEAM_EMAIL,
        **context,
    }
    return OutboundEmail(
        about=subscriber,
        kind=kind,
        to=subscriber.email,
        reply_to=settings.TEAM_EMAIL,
        subject=subject,
        text=render_to_string(f"emails/{template}.txt", context),
        html=render_to_string(f"emails/{template}.html", context),
        headers=headers or {},
    )


def confirmation_email(subscriber):
    return _email(
        subscriber,
        Subscriber.EmailKind.CONFIRM,
        "Confirm your subscription to the Prevent team’s newsletter",
        "newsletter_confirm",
        confirm_url=subscriber_links.confirm_url(subscriber),
    )


def already_subscribed_email(subscriber):
    return _email(
        subscriber,
        Subscriber.EmailKind.ALREADY_SUBSCRIBED,
        "You already get the Prevent team’s newsletter",
        "newsletter_already_subscribed",
        headers=subscriber_links.list_unsubscribe_headers(subscriber),
        preferences_url=subscriber_links.preferences_url(subscriber),
        unsubscribe_url=subscriber_links.unsubscribe_url(subscriber),
    )


def sign_up(address, updates):
    """Sign ``address`` up for new issues and the ``updates`` chosen (values of Subscriber.Update).

    A new address, or one that left before, becomes a pending subscriber and gets a link to
    confirm; one still pending has its updates changed and gets the link again; one already
    subscribed stays as it is and gets a link to its preferences. Once the address has had
    NEWSLETTER_ADDRESS_RATE_LIMIT of these emails in an hour, nothing more happens. Returns
    nothing: the caller must answer the same whatever happened.
    """
    address = normalise_address(address)
    allowed = ratelimit.allow(
        ADDRESS_RATE_LIMIT_SCOPE,
        ratelimit.keyed_hash(address),
        settings.NEWSLETTER_ADDRESS_RATE_LIMIT,
    )
    if not allowed:
        return
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(email=address)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            sending.queue(already_subscribed_email(subscriber))
            return
        subscriber.choose_updates(updates)
        # The new link works from now: the sign-up is kept as long.
        subscriber.created_at = timezone.now()
        subscriber.save(update_fields=[*Subscriber.Update.values, "created_at"])
        sending.queue(confirmation_email(subscriber))
