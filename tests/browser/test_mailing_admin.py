"""In a real browser, the admin's page of an issue's email HTML: its copy button, an
enhancement made by a script the Content-Security-Policy allows by its nonce."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_copy_button_copies_the_emails_html(page, live_server, admin_user):
    issue = factories.make_issue(title="Prevent Newsletter, July 2023")
    factories.make_section(issue, heading="Prevent news", slug="prevent-news")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + reverse("admin:newsletters_issue_email_html", args=[issue.pk]))
    page.get_by_role("button", name="Copy the HTML").click()

    # The clipboard answers asynchronously: expect() waits for the message.
    expect(page.get_by_role("status")).to_have_text("Copied: paste it into your mailing tool.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("The email’s HTML:").input_value()
    assert copied.startswith("<!DOCTYPE html>") and "#prevent-news" in copied
    assert [m for m in messages if "Content Security Policy" in m] == []
