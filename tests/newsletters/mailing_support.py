"""Builders and helpers for the tests of sending an issue by email."""

import itertools

from django.utils import timezone

from newsletters.models import Subscriber

_numbers = itertools.count(1)


def make_subscriber(email=None, confirmed=True, **fields):
    subscriber = Subscriber.objects.create(
        email=email or f"reader{next(_numbers)}@example.org",
        status=Subscriber.Status.CONFIRMED if confirmed else Subscriber.Status.PENDING,
        confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )
    return subscriber


def run_until_done(run_worker, capture_on_commit_callbacks):
    """Run the worker until no task is left, and what each task hands on when its transaction
    commits (inside a test, which never commits, the commit is simulated)."""
    while True:
        with capture_on_commit_callbacks(execute=True) as callbacks:
            run_worker()
        if not callbacks:
            return
