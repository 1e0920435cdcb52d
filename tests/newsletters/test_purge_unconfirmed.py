import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsletters.models import Subscriber
from newsletters.subscriptions import confirmation_email
from outbox import sending
from outbox.models import OutboundEmail
from tests.newsletters.test_subscribe import make_subscriber

pytestmark = pytest.mark.django_db

PENDING = Subscriber.Status.PENDING


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def purge(*args):
    out = io.StringIO()
    call_command("purge_unconfirmed_subscribers", *args, stdout=out)
    return out.getvalue().strip()


def signed_up(email, days, status=PENDING):
    subscriber = make_subscriber(email, status=status, created_at=days_ago(days))
    sending.queue(confirmation_email(subscriber))
    return subscriber


def test_sign_ups_not_confirmed_within_7_days_go_with_their_emails():
    signed_up("old@example.org", 7.1)
    signed_up("older@example.org", 30)
    waiting = signed_up("waiting@example.org", 6.9)
    subscribed = signed_up("subscribed@example.org", 400, status=Subscriber.Status.CONFIRMED)
    output = purge()
    assert output == "Deleted 2 sign-ups not confirmed within 7 days, and their 2 emails."
    assert set(Subscriber.objects.all()) == {waiting, subscribed}
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {
        "waiting@example.org",
        "subscribed@example.org",
    }


def test_a_dry_run_deletes_nothing():
    signed_up("old@example.org", 8)
    assert purge("--dry-run") == "Would delete 1 sign-up not confirmed within 7 days."
    assert Subscriber.objects.count() == OutboundEmail.objects.count() == 1


def test_nothing_to_purge_says_so():
    signed_up("new@example.org", 1)
    assert purge() == "Deleted 0 sign-ups not confirmed within 7 days, and their 0 emails."
    assert Subscriber.objects.count() == 1


def test_signing_up_again_while_waiting_keeps_the_sign_up_for_7_days_from_then(client, monkeypatch):
    waiting = make_subscriber(status=PENDING, created_at=days_ago(6))
    client.post("/newsletters/subscribe/", {"email": waiting.email})
    three_days_on = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: three_days_on)
    assert purge().startswith("Deleted 0 sign-ups")
    assert Subscriber.objects.get() == waiting
