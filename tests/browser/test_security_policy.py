"""In a real browser, the Content-Security-Policy blocks nothing the site itself uses."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def watch(page):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def blocked(messages):
    return [m for m in messages if "Content Security Policy" in m]


def test_public_pages_run_their_scripts_with_no_nonce(page, live_server):
    issue = factories.make_issue()
    factories.make_section(issue)
    messages = watch(page)
    # No nonce on public pages (a front cache would share it): the policy's hash allows it.
    for url in ("/", issue.get_absolute_url(), reverse("training:request")):
        response = page.goto(live_server.url + url)
        assert "'nonce-" not in response.headers["content-security-policy"], url
        classes = page.evaluate("document.body.className")
        assert "js-enabled" in classes and "govuk-frontend-supported" in classes, url
    assert blocked(messages) == []


def test_the_admin_and_its_rich_text_editor_work_under_the_policy(page, live_server, admin_user):
    messages = watch(page)
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + reverse("admin:newsletters_issue_add"))
    page.get_by_text("Add another Section").click()
    editor = page.locator("#sections-0 .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Two words")
    assert editor.inner_text().strip() == "Two words"
    assert blocked(messages) == []
