import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from blocks import images
from blocks.publishing import Status
from newsletters.models import Issue
from tests import factories

pytestmark = pytest.mark.django_db

BANNER = "Preview — not published"
CHANGELIST = reverse("admin:newsletters_issue_changelist")


def section_data(index, heading, slug, body, **fields):
    data = {
        "order": index,
        "heading": heading,
        "slug": slug,
        "body": body,
        "image_alt": "",
    }
    return {f"sections-{index}-{name}": value for name, value in (data | fields).items()}


def new_issue_data(publish_at):
    local = timezone.localtime(publish_at)
    return {
        "title": "Prevent Newsletter, December 2026",
        "slug": "december-2026",
        "volume": "3",
        "month": "2026-12-01",
        "summary": "Training dates for the new year and a new community fund.",
        "cover_image": factories.jpeg_upload(
            (1600, 900), name="cover.jpg", exif=factories.exif_with_gps()
        ),
        "cover_image_alt": "Volunteers at a community event",
        "status": Status.PUBLISHED,
        "publish_at_0": local.strftime("%Y-%m-%d"),
        "publish_at_1": local.strftime("%H:%M:%S"),
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        **section_data(
            0,
            "Your local Prevent team",
            "your-local-prevent-team",
            "<p>We are <strong>four officers</strong>.</p><script>alert(1)</script>",
            image=factories.jpeg_upload((900, 600), name="team.jpg"),
            image_alt="The four officers of the team",
        ),
        **section_data(
            1,
            "What we offer",
            "what-we-offer",
            '<h3>WRAP</h3><p onmouseover="alert(2)">Free training.</p>',
        ),
    }


def test_content_editor_writes_schedules_previews_and_publishes_an_issue(editor_client, client):
    next_week = timezone.now() + datetime.timedelta(days=7)

    # Write and schedule it, with a cover image and two sections (one with an image).
    response = editor_client.post(reverse("admin:newsletters_issue_add"), new_issue_data(next_week))
    assert response.status_code == 302, response.context["adminform"].form.errors
    issue = Issue.objects.get()
    sections = list(issue.sections.all())
    assert [s.heading for s in sections] == ["Your local Prevent team", "What we offer"]
    assert "<script" not in sections[0].body and "onmouseover" not in sections[1].body
    assert sections[0].image and issue.cover_image
    with default_storage.open(issue.cover_image.name) as stored:
        assert not Image.open(stored).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert default_storage.exists(images.rendition_name(sections[0].image.name, 640, "webp"))

    listing = editor_client.get(CHANGELIST).text
    assert f"Scheduled for {timezone.localtime(next_week):%-d %B %Y}" in listing

    # Preview it: staff see it with the banner; the public get a 404 and no trace of it.
    preview = editor_client.get(issue.get_absolute_url())
    assert preview.status_code == 200
    assert BANNER in preview.text
    assert "no-store" in preview["Cache-Control"]
    assert "<picture>" in preview.text
    assert 'alt="The four officers of the team"' in preview.text
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert issue.title not in client.get(reverse("newsletters:issue-list")).text

    # Publish it now.
    response = editor_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [issue.pk]}, follow=True
    )
    assert "Published 1 item: now visible to the public." in response.text
    assert "Live" in response.text

    # A visitor finds it in the archive and reads it.
    archive = client.get(reverse("newsletters:issue-list"))
    assert issue.title in archive.text
    page = client.get(issue.get_absolute_url())
    assert page.status_code == 200
    assert BANNER not in page.text
    assert "We are <strong>four officers</strong>." in page.text
    assert "alert(" not in page.text


def test_issue_list_shows_publication_state_and_view_on_site(editor_client):
    live = factories.make_issue(title="Live issue")
    factories.make_issue(title="Draft issue", slug="draft", volume=3, status=Status.DRAFT)

    response = editor_client.get(CHANGELIST)

    assert re.search(r"Live issue.*?Live", response.text, re.DOTALL)
    assert re.search(r"Draft issue.*?Draft", response.text, re.DOTALL)
    assert f'href="{live.get_absolute_url()}"' in response.text
    assert "View on site" in response.text


@pytest.mark.parametrize(
    "publication, shown",
    [("draft", ["Draft issue"]), ("scheduled", ["Future issue"]), ("live", ["Live issue"])],
)
def test_issue_list_filters_by_publication(editor_client, publication, shown):
    factories.make_issue(title="Live issue")
    factories.make_issue(title="Draft issue", slug="draft", volume=3, status=Status.DRAFT)
    factories.make_issue(
        title="Future issue",
        slug="future",
        volume=4,
        publish_at=timezone.now() + datetime.timedelta(days=3),
    )

    response = editor_client.get(CHANGELIST, {"publication": publication})

    titles = [str(issue) for issue in response.context["cl"].result_list]
    assert titles == shown


def test_publish_now_is_recorded_in_the_issue_history(editor_client):
    issue = factories.make_issue(status=Status.DRAFT)

    editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [issue.pk]})

    issue.refresh_from_db()
    assert issue.is_public
    history = editor_client.get(reverse("admin:newsletters_issue_history", args=[issue.pk]))
    assert history.status_code == 200
    assert "Changed Status and Publish at." in history.text
    assert LogEntry.objects.filter(object_id=str(issue.pk)).count() == 1


def test_publish_now_leaves_live_items_alone(editor_client):
    issue = factories.make_issue()
    published_at = issue.publish_at

    response = editor_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [issue.pk]}, follow=True
    )

    assert "already live" in response.text
    issue.refresh_from_db()
    assert issue.publish_at == published_at


def test_change_form_has_history_view_on_site_and_section_inline(editor_client):
    issue = factories.make_issue()
    factories.make_section(issue)

    response = editor_client.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))

    assert reverse("admin:newsletters_issue_history", args=[issue.pk]) in response.text
    assert "View on site" in response.text
    assert 'name="sections-0-heading"' in response.text
    assert "data-django-prose-editor-configurable" in response.text
    assert "id_slug" in response.text and "prepopulated" in response.text


def test_sections_can_be_reordered_from_their_list(editor_client):
    issue = factories.make_issue()
    first = factories.make_section(issue, heading="First", slug="first", order=1)
    second = factories.make_section(issue, heading="Second", slug="second", order=2)

    response = editor_client.post(
        reverse("admin:newsletters_section_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-order": "5",
            "form-1-id": second.pk,
            "form-1-order": "1",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert [s.heading for s in issue.sections.all()] == ["Second", "First"]


def test_issue_cover_needs_a_description(editor_client):
    data = new_issue_data(timezone.now())
    data["cover_image_alt"] = ""

    response = editor_client.post(reverse("admin:newsletters_issue_add"), data)

    assert response.status_code == 200
    assert "Describe the image" in str(response.context["adminform"].form.errors)
    assert not Issue.objects.exists()
