"""The newsletter by email from end to end, as a subscriber meets it: sign up in the browser, open
the confirmation link from the email, get a test of the issue and then the issue itself once,
and leave with the one POST a mail program sends to the List-Unsubscribe address."""

import io
import re
import urllib.request

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from newsletters.models import FormerSubscriber, Subscriber

# Transactional: what the live server saves is committed, so the emails are handed to the worker
# as on a real site (on commit), and the worker here sends them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ADDRESS = "amira.hassan@example.org"
ISSUE = "july-2023"


def emails_to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def send_issue(*args):
    call_command("send_issue", ISSUE, *args, stdout=io.StringIO())


def one_click_unsubscribe(header):
    """What Gmail or Apple Mail does with an RFC 8058 List-Unsubscribe header: one POST to its
    https (here http) address, with no cookie and no page."""
    [url] = re.findall(r"<(http[^>]+)>", header)
    request = urllib.request.Request(
        url,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def test_sign_up_confirm_receive_the_issue_once_and_leave_with_one_post(
    page, loaded_site, run_worker, mailoutbox, settings
):
    settings.SITE_URL = loaded_site.url  # the emails' links lead to this server
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(loaded_site.url + f"/newsletters/{ISSUE}/")
    page.get_by_role("link", name=re.compile("newsletter by email")).first.click()
    page.wait_for_url(loaded_site.url + "/newsletters/subscribe/")
    page.get_by_label("Email address").fill(ADDRESS)
    page.get_by_label("Training and events").check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(loaded_site.url + "/newsletters/subscribe/check-your-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # Nothing but the confirmation goes to an address that has not confirmed, even when the
    # issue is sent meanwhile.
    send_issue()
    run_worker()
    [confirmation] = emails_to(mailoutbox, ADDRESS)
    assert confirmation.subject == "Confirm your subscription to the Prevent team’s newsletter"
    [confirm_url] = re.findall(r"http://\S+/newsletters/subscribe/confirm/\S+/", confirmation.body)

    page.goto(confirm_url)
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")

    send_issue("--test", ADDRESS)
    run_worker()
    test_email = emails_to(mailoutbox, ADDRESS)[-1]
    assert test_email.subject == "Test: Prevent Newsletter, July 2023"
    assert f"{loaded_site.url}/newsletters/{ISSUE}/#" in test_email.body

    # The issue was sent before they confirmed: sending it again reaches them, once.
    send_issue()
    run_worker()
    send_issue()
    run_worker()
    issue_emails = [
        message
        for message in emails_to(mailoutbox, ADDRESS)
        if message.subject == "Prevent Newsletter, July 2023"
    ]
    assert len(issue_emails) == 1
    [html] = [body for body, kind in issue_emails[0].alternatives if kind == "text/html"]
    assert f'href="{loaded_site.url}/newsletters/{ISSUE}/#prevent-news"' in html

    header = issue_emails[0].extra_headers["List-Unsubscribe"]
    # The test server speaks plain http, so no one-click header (RFC 8058 wants https); the
    # POST a mail program would send still works.
    assert "List-Unsubscribe-Post" not in issue_emails[0].extra_headers
    status, body = one_click_unsubscribe(header)
    assert status == 200 and "You have unsubscribed" in body
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert FormerSubscriber.includes(ADDRESS)

    sent_before = len(mailoutbox)
    send_issue()
    run_worker()
    assert len(mailoutbox) == sent_before
