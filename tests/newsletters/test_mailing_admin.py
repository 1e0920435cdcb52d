"""The issue's page in the admin: sending a test, sending to subscribers, and its progress."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from blocks.publishing import Status
from newsletters.models import Delivery, Mailing
from outbox.models import OutboundEmail
from tests.factories import future, make_issue, make_section
from tests.newsletters.mailing_support import make_subscriber, run_until_done

pytestmark = pytest.mark.django_db

SITE = "https://prevent.example.gov.uk"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def work(run_worker, django_capture_on_commit_callbacks):
    return lambda: run_until_done(run_worker, django_capture_on_commit_callbacks)


@pytest.fixture
def issue_writer(django_user_model):
    """Staff who may write issues but not send them to subscribers (no add_mailing)."""
    user = django_user_model.objects.create_user(
        "writer@westminster.gov.uk", "writer@westminster.gov.uk", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="newsletters",
            codename__in=["view_issue", "change_issue", "view_section", "change_section"],
        )
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def issue():
    issue = make_issue(title="Prevent Newsletter, July 2023", slug="july-2023")
    make_section(issue, heading="Prevent news", slug="prevent-news")
    return issue


def change_url(issue):
    return reverse("admin:newsletters_issue_change", args=[issue.pk])


def send_url(issue):
    return reverse("admin:newsletters_issue_send", args=[issue.pk])


def send_test_url(issue):
    return reverse("admin:newsletters_issue_send_test", args=[issue.pk])


def html_url(issue):
    return reverse("admin:newsletters_issue_email_html", args=[issue.pk])


def text(response):
    """The page's text, tags removed and spaces collapsed, as a reader sees it."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def row(response, label):
    """The value shown beside ``label`` in the progress table."""
    match = re.search(
        rf'<th scope="row">{re.escape(label)}</th><td>(.*?)</td>', response.content.decode()
    )
    assert match, f"no row {label!r}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_a_published_issues_page_offers_a_test_sending_and_the_html(editor_client, issue):
    make_subscriber()
    make_subscriber()
    make_subscriber(confirmed=False)

    response = editor_client.get(change_url(issue))

    page = response.content.decode()
    assert "Email to subscribers" in page
    assert row(response, "Confirmed subscribers now") == "2"
    assert row(response, "Sent to subscribers") == "Not yet"
    assert f'<form method="post" action="{send_test_url(issue)}">' in page
    assert 'value="Send a test to me"' in page
    assert "A test goes to you at editor@westminster.gov.uk" in text(response)
    assert f'href="{send_url(issue)}">Send to subscribers</a>' in page
    assert f'href="{html_url(issue)}">Copy the email’s HTML</a>' in page


def test_a_drafts_page_says_why_it_cannot_be_sent_yet(editor_client, issue):
    issue.status = Status.DRAFT
    issue.save()

    response = editor_client.get(change_url(issue))

    assert "“Prevent Newsletter, July 2023” is a draft. Publish it before sending it." in text(
        response
    )
    page = response.content.decode()
    assert "Send a test to me" not in page
    assert send_url(issue) not in page and html_url(issue) not in page


def test_a_scheduled_issue_can_be_tested_but_not_sent_yet(editor_client, issue):
    issue.publish_at = future(3)
    issue.save()

    response = editor_client.get(change_url(issue))

    assert "It can be sent to subscribers once it is live on the site." in text(response)
    page = response.content.decode()
    assert "Send a test to me" in page and send_url(issue) not in page


def test_send_a_test_to_me_queues_it_for_the_editors_own_address(
    editor_client, issue, work, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(send_test_url(issue), follow=True)
    work()

    assert response.redirect_chain == [(change_url(issue), 302)]
    assert messages_of(response) == [
        "A test of “Prevent Newsletter, July 2023” is on its way to editor@westminster.gov.uk. "
        "It should arrive in a minute or two."
    ]
    [message] = mailoutbox
    assert message.to == ["editor@westminster.gov.uk"]
    assert message.subject == "Test: Prevent Newsletter, July 2023"
    assert not Delivery.objects.exists()


def test_send_a_test_to_me_is_post_only(editor_client, issue):
    assert editor_client.get(send_test_url(issue)).status_code == 405
    assert not OutboundEmail.objects.exists()


def test_an_editor_without_an_email_address_is_told_so(editor_client, content_editor, issue):
    content_editor.email = ""
    content_editor.save()

    response = editor_client.post(send_test_url(issue), follow=True)

    assert messages_of(response) == [
        "Your account has no email address to send the test to. Ask an administrator to add "
        "one to your account."
    ]
    assert "Your account has no email address yet" in text(response)
    assert not OutboundEmail.objects.exists()


def test_a_draft_is_not_sent_as_a_test_even_if_posted(editor_client, issue):
    issue.status = Status.DRAFT
    issue.save()

    response = editor_client.post(send_test_url(issue), follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [
        "“Prevent Newsletter, July 2023” is a draft. Publish it before sending it."
    ]
    assert not OutboundEmail.objects.exists()


def test_sending_to_subscribers_needs_the_add_mailing_permission(issue_writer, issue):
    make_subscriber()

    page = issue_writer.get(change_url(issue))

    assert "Send a test to me" in page.content.decode()
    assert send_url(issue) not in page.content.decode()
    assert "needs the “Can add mailing” permission" in text(page)
    assert issue_writer.get(send_url(issue)).status_code == 403
    assert issue_writer.post(send_url(issue)).status_code == 403
    assert not Mailing.objects.exists() and not OutboundEmail.objects.exists()


def test_the_confirmation_says_how_many_it_goes_to_and_sending_shows_progress(
    editor_client, issue, work, mailoutbox, django_capture_on_commit_callbacks
):
    subscribers = [make_subscriber() for _ in range(3)]
    make_subscriber(confirmed=False)

    confirmation = editor_client.get(send_url(issue))

    assert confirmation.status_code == 200
    assert "<h1>Send “Prevent Newsletter, July 2023” to 3 subscribers?</h1>" in (
        confirmation.content.decode()
    )
    assert '<input type="submit" class="default" value="Send">' in confirmation.content.decode()
    assert f'<a href="{change_url(issue)}" class="closelink">Cancel</a>' in (
        confirmation.content.decode()
    )
    assert not Mailing.objects.exists()  # asking is not sending

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(send_url(issue), follow=True)
    assert response.redirect_chain == [(change_url(issue), 302)]
    assert messages_of(response) == [
        "Sending “Prevent Newsletter, July 2023” to 3 subscribers. The email worker sends them "
        "in the background: this page shows how far it has gone."
    ]
    assert row(response, "Finished") == "Not yet"
    work()

    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in subscribers)
    progress = editor_client.get(change_url(issue))
    assert row(progress, "Emails made") == "3"
    assert row(progress, "Sent") == "3"
    assert row(progress, "Waiting to be sent") == "0"
    assert row(progress, "Failed") == "0"
    assert row(progress, "Asked for").endswith("by editor@westminster.gov.uk")
    assert row(progress, "Finished") not in ("", "Not yet")
    assert row(progress, "Finished") == row(progress, "Last email sent")


def test_the_sent_count_stays_when_subscribers_leave_and_their_emails_are_deleted(
    editor_client, admin_client, issue, work, mailoutbox, django_capture_on_commit_callbacks
):
    subscribers = [make_subscriber() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(send_url(issue))
    work()
    assert len(mailoutbox) == 3

    # Two leave: by their unsubscribe link, and deleted by a subscriber manager.
    subscribers[0].leave()
    deleted = admin_client.post(
        reverse("admin:newsletters_subscriber_delete", args=[subscribers[1].pk]),
        {"post": "yes"},
    )
    assert deleted.status_code == 302
    assert not OutboundEmail.objects.filter(to__in=[s.email for s in subscribers[:2]]).exists()
    assert Delivery.objects.count() == 1

    progress = editor_client.get(change_url(issue))
    assert row(progress, "Emails made") == "3"
    assert row(progress, "Sent") == "3"
    assert row(progress, "Waiting to be sent") == "0"

    # The last one leaves too: the issue still says it went to three.
    subscribers[2].leave()
    assert row(editor_client.get(change_url(issue)), "Sent") == "3"


def test_a_second_click_carries_on_and_says_how_many_already_have_it(
    editor_client, issue, work, mailoutbox, django_capture_on_commit_callbacks
):
    [make_subscriber() for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(send_url(issue))
    work()
    latecomer = make_subscriber("latecomer@example.org")

    again = editor_client.get(send_url(issue))
    assert "<h1>Send “Prevent Newsletter, July 2023” to 1 subscriber?</h1>" in (
        again.content.decode()
    )
    assert (
        "2 subscribers already have this issue, or have it on the way: nobody gets it twice."
        in (text(again))
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(send_url(issue))
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(send_url(issue))  # and a third, by mistake
    work()

    assert len(mailoutbox) == 3
    assert mailoutbox[-1].to == [latecomer.email]
    everyone = editor_client.get(send_url(issue))
    assert "Every confirmed subscriber already has it. There is no one to send it to." in (
        text(everyone)
    )
    assert 'value="Send"' not in everyone.content.decode()
    # A form sent twice (Back, then Send again) says so, and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(send_url(issue), follow=True)
    work()
    assert messages_of(response) == [
        "“Prevent Newsletter, July 2023” has no one left to send it to."
    ]
    assert len(mailoutbox) == 3


def test_a_draft_cannot_be_sent_to_subscribers_even_if_posted(editor_client, issue):
    make_subscriber()
    issue.status = Status.DRAFT
    issue.save()

    for response in (
        editor_client.get(send_url(issue), follow=True),
        editor_client.post(send_url(issue), follow=True),
    ):
        assert response.redirect_chain == [(change_url(issue), 302)]
        assert messages_of(response) == [
            "“Prevent Newsletter, July 2023” is a draft. Publish it before sending it to "
            "subscribers."
        ]
    assert not Mailing.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.parametrize("page", [send_url, send_test_url, html_url])
@pytest.mark.parametrize("object_id", ["999999", "not-a-number"])
def test_an_issue_that_does_not_exist_is_a_404(admin_client, page, object_id):
    class Missing:
        pk = object_id

    assert admin_client.post(page(Missing)).status_code == 404
    if page is not send_test_url:
        assert admin_client.get(page(Missing)).status_code == 404


def test_the_buttons_need_the_csrf_token(content_editor, issue):
    make_subscriber()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(content_editor)
    assert browser.post(send_test_url(issue)).status_code == 403
    assert browser.post(send_url(issue)).status_code == 403
    assert not Mailing.objects.exists() and not OutboundEmail.objects.exists()


def test_the_html_to_copy_has_no_personal_links_and_says_to_add_an_unsubscribe_link(
    editor_client, issue
):
    make_subscriber()

    response = editor_client.get(html_url(issue))

    assert response.status_code == 200
    page = response.content.decode()
    [box] = re.findall(r'<textarea id="email-html"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert "readonly" in re.search(r'<textarea id="email-html"[^>]*>', page).group(0)
    email = html.unescape(box)
    assert email.startswith("<!DOCTYPE html>")
    assert f'href="{SITE}/newsletters/july-2023/#prevent-news"' in email
    assert "/unsubscribe/" not in email and "/preferences/" not in email
    assert "Your mailing tool must add its own unsubscribe link" in text(response)
    # The copy button is shown by its script, allowed by this response's nonce.
    assert '<button type="button" class="button" id="copy-email-html" hidden>' in page
    [nonce] = re.findall(r'<script nonce="([^"]+)">\s*\(function', page)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
