"""A limit on training requests per client, counted in the database.

Counting in the database, not in memory, means every process and every app server shares one
count. The client's address is kept only as a keyed hash, and only for as long as the limit
looks back.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from prevent_site.clients import client_address

from .models import RecentSubmission

WINDOW = timedelta(hours=1)


def client_key(request):
    # Keyed, so the hash cannot be reversed by hashing every IPv4 address.
    return hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()


def forget_old_submissions():
    """Delete what the limit no longer needs; returns the time it counted from."""
    now = timezone.now()
    RecentSubmission.objects.filter(created_at__lt=now - WINDOW).delete()
    return now


def allow_submission(request):
    """Count a submission from this client; False if it goes over the hourly limit.

    The submission is written before counting, so of several arriving at once each sees at
    least itself and those before it: the limit can be undercounted by a race, never exceeded.
    """
    now = forget_old_submissions()
    key = client_key(request)
    submission = RecentSubmission.objects.create(client=key, created_at=now)
    recent = RecentSubmission.objects.filter(client=key, created_at__gte=now - WINDOW).count()
    if recent > settings.TRAINING_REQUEST_RATE_LIMIT:
        # A refused attempt does not count, so someone who waits gets through.
        submission.delete()
        return False
    return True
