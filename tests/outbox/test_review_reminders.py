"""send_review_reminders: the team's weekly email of what is overdue for review and what falls
due within a month, through the outbox, at most once a week."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from blocks import reviews
from blocks.models import JobRun, ReviewReminder, StatutoryPage
from outbox import reminders
from outbox.models import OutboundEmail
from tests.factories import make_contact, make_help_route, make_link, make_workshop

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def in_days(days):
    return today() + datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def _statutory_pages_checked():
    """The migration makes the privacy notice due at once: out of these tests' way."""
    StatutoryPage.objects.update(next_review_on=reviews.add_months(today(), 6))


def send(**kwargs):
    out = StringIO()
    call_command("send_review_reminders", stdout=out, **kwargs)
    return out.getvalue().strip()


def test_the_team_gets_what_is_overdue_and_what_falls_due_within_a_month(
    settings, admin_user, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    settings.TEAM_EMAIL = "prevent@westminster.gov.uk"
    settings.SITE_URL = "https://prevent.example.gov.uk"
    late = make_help_route(name="Late line", next_review_on=in_days(-40))
    late.mark_checked(admin_user, timezone.now() - datetime.timedelta(days=220))
    late.next_review_on = in_days(-40)
    late.save()
    soon = make_contact(service="Soon service", next_review_on=in_days(10))
    make_link(title="Today link", next_review_on=today())
    make_workshop(title="Later workshop", next_review_on=in_days(45))
    make_contact(service="Checked service")

    with django_capture_on_commit_callbacks(execute=True):
        said = send()
    run_worker()

    by = reviews.add_months(today(), 1)
    assert said == f"Emailed prevent@westminster.gov.uk: 1 overdue, 2 due by {by:%-d %B %Y}."
    [row] = OutboundEmail.objects.filter(kind=reminders.KIND)
    assert row.sent_at is not None
    assert row.about == ReviewReminder.objects.get()
    [email] = mailoutbox
    assert email.to == ["prevent@westminster.gov.uk"]
    assert email.subject == f"Content to review: 1 overdue, 2 due by {by:%-d %B %Y}"
    text = email.body
    overdue, coming = text.split("Due by", 1)
    assert "Overdue (1)" in overdue
    assert "- Way to get help: Late line (Family, friends and the public). Due " in overdue
    checked_on = timezone.localtime(late.last_checked_at)
    assert f"last checked: {checked_on:%-d %B %Y} by {admin_user.username}." in overdue
    assert f"https://prevent.example.gov.uk/admin/resources/helproute/{late.pk}/change/" in overdue
    assert "- Contact: Soon service." in coming and "- Resource link: Today link." in coming
    assert f"/admin/resources/contact/{soon.pk}/change/" in coming
    for not_due in ("Later workshop", "Checked service", "Privacy notice"):
        assert not_due not in text
    html = email.alternatives[0].content
    assert re.search(
        r'<a href="https://prevent.example.gov.uk/admin/resources/helproute/\d+/', html
    )


def test_running_again_the_same_week_sends_nothing_and_next_week_sends_again():
    make_help_route(next_review_on=in_days(-1))
    monday = reviews.week_of(today())

    assert reminders.queue_review_reminder(monday).startswith("Emailed ")
    for day in range(7):
        again = reminders.queue_review_reminder(monday + datetime.timedelta(days=day))
        assert again == "This week's reminder has already been sent: no email."
    assert OutboundEmail.objects.filter(kind=reminders.KIND).count() == 1

    assert reminders.queue_review_reminder(monday + datetime.timedelta(days=7)).startswith(
        "Emailed "
    )
    assert OutboundEmail.objects.filter(kind=reminders.KIND).count() == 2


def test_the_command_twice_in_a_row_queues_one_email_and_says_so_on_the_status_page(
    editor_client,
):
    make_contact(next_review_on=in_days(3))
    assert send().startswith("Emailed ")
    assert send() == "This week's reminder has already been sent: no email."
    assert OutboundEmail.objects.filter(kind=reminders.KIND).count() == 1
    run = JobRun.objects.get(name="send_review_reminders")
    assert run.summary == "This week's reminder has already been sent: no email."
    status = editor_client.get("/admin/status/").text
    assert "send_review_reminders" in status and "Weekly" in status
    assert "reminder has already been sent: no email." in status


def test_nothing_due_within_a_month_sends_no_email():
    make_contact(next_review_on=in_days(40))
    by = reviews.add_months(today(), 1)
    assert send() == f"Nothing is due for review by {by:%-d %B %Y}: no email."
    assert not OutboundEmail.objects.exists()
    assert not ReviewReminder.objects.exists()  # a later run this week may still send
