"""python manage.py send_issue SLUG [--test EMAIL]: the admin's buttons, from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from blocks.publishing import Status
from newsletters.models import Delivery, Mailing
from outbox.models import OutboundEmail
from tests.factories import make_issue, make_section
from tests.newsletters.mailing_support import make_subscriber, run_until_done

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(run_worker, django_capture_on_commit_callbacks):
    return lambda: run_until_done(run_worker, django_capture_on_commit_callbacks)


@pytest.fixture
def issue():
    issue = make_issue(title="Prevent Newsletter, July 2023", slug="july-2023")
    make_section(issue)
    return issue


@pytest.fixture
def send_issue(django_capture_on_commit_callbacks):
    """Run the command; what it queues reaches the worker when its transaction commits."""

    def send_issue(*args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_issue", *args, stdout=out)
        return out.getvalue()

    return send_issue


def test_send_issue_sends_it_to_every_confirmed_subscriber_once(
    issue, send_issue, work, mailoutbox
):
    subscribers = [make_subscriber() for _ in range(3)]
    make_subscriber(confirmed=False)

    out = send_issue("july-2023")
    work()

    assert out == (
        "Sending “Prevent Newsletter, July 2023” to 3 subscribers: the email worker sends them.\n"
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in subscribers)
    assert Mailing.objects.get(issue=issue).requested_by is None

    # Run again, with one more subscriber: it goes to them alone.
    latecomer = make_subscriber()
    out = send_issue("july-2023")
    work()
    assert out == (
        "Sending “Prevent Newsletter, July 2023” to 1 subscriber: the email worker sends it.\n"
        "3 subscribers already have it, and will not get it again.\n"
    )
    assert len(mailoutbox) == 4 and mailoutbox[-1].to == [latecomer.email]

    assert send_issue("july-2023") == (
        "“Prevent Newsletter, July 2023” has no one left to send it to.\n"
        "4 subscribers already have it, and will not get it again.\n"
    )
    work()
    assert len(mailoutbox) == 4


def test_send_issue_test_sends_one_test_and_nothing_to_subscribers(
    issue, send_issue, work, mailoutbox
):
    make_subscriber()

    out = send_issue("july-2023", "--test", "Editor@Westminster.gov.uk")
    work()

    assert out == (
        "A test of “Prevent Newsletter, July 2023” to editor@westminster.gov.uk is in the "
        "outbox: the email worker sends it.\n"
    )
    [message] = mailoutbox
    assert message.to == ["editor@westminster.gov.uk"]
    assert message.subject == "Test: Prevent Newsletter, July 2023"
    assert not Delivery.objects.exists() and not Mailing.objects.exists()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["no-such-issue"], "No issue has the slug “no-such-issue”."),
        (["july-2023", "--test", "not an address"], "“not an address” is not an email address"),
    ],
)
def test_send_issue_refuses_what_it_cannot_send(issue, send_issue, args, error):
    make_subscriber()
    with pytest.raises(CommandError, match=error):
        send_issue(*args)
    assert not OutboundEmail.objects.exists() and not Mailing.objects.exists()


@pytest.mark.parametrize("args", [["july-2023"], ["july-2023", "--test", "editor@example.org"]])
def test_send_issue_refuses_a_draft(issue, send_issue, args):
    make_subscriber()
    issue.status = Status.DRAFT
    issue.save()
    with pytest.raises(CommandError, match="is a draft. Publish it before sending it"):
        send_issue(*args)
    assert not OutboundEmail.objects.exists() and not Mailing.objects.exists()
