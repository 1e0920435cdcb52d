"""The rate limit for public forms: counted per client and per form, in the database."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from blocks import ratelimit
from blocks.models import RecentSubmission

pytestmark = pytest.mark.django_db


def from_address(address):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_each_form_counts_on_its_own_against_its_own_limit():
    alice = from_address("198.51.100.23")
    assert ratelimit.allow_submission(alice, "training-request", 2)
    assert ratelimit.allow_submission(alice, "training-request", 2)
    assert not ratelimit.allow_submission(alice, "training-request", 2)
    # The same client may still send another form, up to that form's own limit.
    assert ratelimit.allow_submission(alice, "report", 1)
    assert not ratelimit.allow_submission(alice, "report", 1)
    # And another client is not affected by either.
    assert ratelimit.allow_submission(from_address("192.0.2.7"), "report", 1)


def test_refused_attempts_are_not_counted_and_the_address_is_never_stored():
    alice = from_address("198.51.100.23")
    assert ratelimit.allow_submission(alice, "report", 1)
    for _ in range(3):
        assert not ratelimit.allow_submission(alice, "report", 1)
    [row] = RecentSubmission.objects.all()
    assert row.scope == "report"
    assert "198.51.100.23" not in row.client and len(row.client) == 64
    assert row.client == ratelimit.client_key(alice)


def test_the_client_key_depends_on_the_secret_key(settings):
    alice = from_address("198.51.100.23")
    before = ratelimit.client_key(alice)
    settings.SECRET_KEY = "another-secret-key"
    assert ratelimit.client_key(alice) != before


def test_submissions_older_than_an_hour_are_forgotten_and_no_longer_count():
    alice = from_address("198.51.100.23")
    assert ratelimit.allow_submission(alice, "report", 1)
    RecentSubmission.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert ratelimit.allow_submission(alice, "report", 1)
    assert RecentSubmission.objects.count() == 1
    RecentSubmission.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    ratelimit.forget_old_submissions()
    assert not RecentSubmission.objects.exists()
