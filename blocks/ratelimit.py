"""A limit on how often one client may send a public form, counted in the database.

Counting in the database, not in memory, means every process and every app server shares one
count. Each form counts under its own scope, with its own limit from its own setting. The client's
address is kept only as a keyed hash, and only for as long as the limit looks back.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .clients import client_address
from .models import RecentSubmission

WINDOW = timedelta(hours=1)


def keyed_hash(value):
    # Keyed, so the hash cannot be reversed by hashing every IPv4 address (or a list of emails).
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def client_key(request):
    return keyed_hash(client_address(request))


def forget_old_submissions():
    """Delete what no limit needs any more; returns the time it counted from."""
    now = timezone.now()
    RecentSubmission.objects.filter(created_at__lt=now - WINDOW).delete()
    return now


def allow_submission(request, scope, limit):
    """Count a submission of the form ``scope`` from this client; False if that makes more than
    ``limit`` in the last hour."""
    return allow(scope, client_key(request), limit)


def allow(scope, key, limit):
    """Count one more under ``scope`` for ``key`` (a keyed hash: of a client, or of an email
    address a form sends to); False if that makes more than ``limit`` in the last hour.

    The submission is written before counting, so of several arriving at once each sees at
    least itself and those before it: the limit can be undercounted by a race, never exceeded.
    """
    now = forget_old_submissions()
    submission = RecentSubmission.objects.create(scope=scope, client=key, created_at=now)
    recent = RecentSubmission.objects.filter(
        scope=scope, client=key, created_at__gte=now - WINDOW
    ).count()
    if recent > limit:
        # A refused attempt does not count, so someone who waits gets through.
        submission.delete()
        return False
    return True
