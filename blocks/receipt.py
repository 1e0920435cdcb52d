"""A public form's confirmation page shows what was sent (its reference, the address typed) only
to the browser that sent it: the id lives in its session, never in the URL. It shows it for
LIFETIME only, so the next person at a shared computer does not see someone else's details."""

import time
from datetime import timedelta

LIFETIME = timedelta(minutes=30)


def remember_sent(session, key, sent):
    """Note in the session, under the form's own ``key``, that this browser sent ``sent``."""
    session[key] = {"id": sent.pk, "at": time.time()}


def recently_sent_id(session, key):
    """The id of what this browser sent in the last 30 minutes, or None (and forget it)."""
    sent = session.get(key)
    try:
        age = time.time() - float(sent["at"])
        sent_id = int(sent["id"])
    except (KeyError, TypeError, ValueError):
        sent_id, age = None, None
    if sent_id is None or not 0 <= age <= LIFETIME.total_seconds():
        session.pop(key, None)
        return None
    return sent_id
