"""The development command that makes content for the benchmarks (scripts/bench/)."""

import pytest
from django.core.management import call_command
from django.test import Client

from newsletters.models import Delivery, Issue, Mailing, Subscriber
from outbox.models import OutboundEmail
from resources.models import ResourceLink
from tests.newsletters.mailing_support import run_until_done
from training.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def july():
    call_command("load_initial_content", verbosity=0)
    return Issue.objects.get(slug="july-2023")


def test_scale_copies_the_july_issue_its_workshops_and_links_published(july):
    call_command("make_test_content", "--scale", "3")
    assert Issue.objects.published().count() == 6
    assert Workshop.objects.count() == 12
    assert ResourceLink.objects.count() == 60
    copy = Issue.objects.get(slug="issue-4")
    assert copy.sections.count() == july.sections.count()
    assert Client().get(copy.get_absolute_url()).status_code == 200


def test_subscribers_are_confirmed_and_an_issue_can_be_sent_again(
    july, run_worker, django_capture_on_commit_callbacks
):
    call_command("make_test_content", "--subscribers", "5")
    assert Subscriber.objects.confirmed().count() == 5
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_issue", "july-2023")
    run_until_done(run_worker, django_capture_on_commit_callbacks)
    assert Delivery.objects.filter(issue=july).count() == 5

    call_command("make_test_content", "--forget-sends", "july-2023")
    assert not Delivery.objects.exists()
    assert not Mailing.objects.exists()
    assert not OutboundEmail.objects.filter(to__startswith="reader").exists()
