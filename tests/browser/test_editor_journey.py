"""A content editor publishes an issue from the admin in a real browser; a visitor reads it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from newsletters.models import Issue
from tests import factories
from tests.conftest import STAFF_PASSWORD

# serialized_rollback: the flush after a live-server test would otherwise also remove the
# "Content editors" group that a migration made, which later tests rely on.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "team.jpg"
    path.write_bytes(factories.image_bytes((1200, 800), exif=factories.exif_with_gps()))
    return path


def sign_in(page, base_url, user):
    page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Pages and content")).to_be_visible()


def write_section(page, index, heading, text, photo=None):
    page.get_by_text("Add another Section").click()
    form = page.locator(f"#sections-{index}")
    form.get_by_label("Heading").press_sequentially(heading)
    editor = form.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type(text + " ")
    page.keyboard.press("Control+b")
    page.keyboard.type("in bold")
    if photo:
        form.locator(f"#id_sections-{index}-image").set_input_files(photo)
        form.get_by_label("Image description").fill("The four officers of the team")


def test_editor_publishes_an_issue_and_a_visitor_reads_it(
    page, browser, live_server, content_editor, photo
):
    sign_in(page, live_server.url, content_editor)

    page.goto(live_server.url + reverse("admin:newsletters_issue_add"))
    # Typed key by key, as the admin fills the slug from the title on each keystroke.
    page.get_by_label("Title").press_sequentially("Prevent Newsletter, December 2026")
    expect(page.get_by_label("Slug")).to_have_value("prevent-newsletter-december-2026")
    page.get_by_label("Volume").fill("3")
    page.get_by_label("Month").fill("2026-12-01")
    page.get_by_label("Summary").fill("Training dates for the new year.")
    page.locator("#id_cover_image").set_input_files(photo)
    page.get_by_label("Cover image description").fill("Volunteers at a community event")
    write_section(page, 0, "Your local Prevent team", "We are four officers", photo)
    write_section(page, 1, "What we offer", "Free WRAP training")
    expect(page.locator("#id_sections-1-slug")).to_have_value("what-we-offer")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    issue = Issue.objects.get()
    assert issue.publication_label == "Draft"
    assert "We are four officers <strong>in bold</strong>" in issue.sections.first().body

    # Preview the draft as the editor.
    page.goto(live_server.url + issue.get_absolute_url())
    expect(page.get_by_text("Preview — not published")).to_be_visible()

    # Publish it from the list.
    page.goto(live_server.url + reverse("admin:newsletters_issue_changelist"))
    page.get_by_role("row", name=re.compile("December 2026")).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Publish now")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 item")

    # A visitor, not signed in, finds it in the archive and reads it.
    visitor_context = browser.new_context()
    visitor = visitor_context.new_page()
    visitor.goto(live_server.url + reverse("newsletters:issue-list"))
    visitor.get_by_role("link", name="Prevent Newsletter, December 2026").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Prevent Newsletter, December 2026"
    )
    expect(visitor.get_by_text("Preview — not published")).to_have_count(0)
    expect(visitor.locator("#your-local-prevent-team")).to_be_visible()
    expect(visitor.locator("strong", has_text="in bold").first).to_be_visible()
    expect(visitor.locator('img[alt="The four officers of the team"]')).to_have_count(1)
    visitor_context.close()
