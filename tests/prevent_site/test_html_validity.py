"""Every page's HTML is valid according to the Nu HTML Checker (vnu), the W3C's own validator.

vnu is the npm package vnu-jar (package.json), run with the machine's Java, offline.
"""

import io
import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Banner, SensitivePage, Severity
from prevent_site.views import server_error
from tests.factories import (
    feedback_form_data,
    make_feedback,
    make_session,
    report_form_data,
    request_form_data,
)
from tests.newsletters.test_subscriber_links import every_state as subscriber_link_pages
from tests.prevent_site.test_site import crawl
from training.models import Workshop

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def file_name(path):
    return (path.strip("/").replace("/", "--") or "home") + ".html"


def vnu_errors(folder):
    """vnu's error messages for the HTML files in folder, as "file:line: message" strings."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--skip-non-html", "--errors-only", "--format", "json"]
        + [str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to standard error, and exits 1 when it found errors.
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{' '.join(m.get('extract', '').split())}]"
        for m in messages
    ]


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs Java")
def test_every_page_is_valid_html(client, editor_client, admin_client, rf, tmp_path):
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `npm ci` to install vnu-jar."
    call_command("load_initial_content", stdout=io.StringIO())
    pages = {path: response for path, (response, page) in crawl(client).items() if page}
    pages["/no-such-page/"] = client.get("/no-such-page/")
    # A section heading's page: linked from an issue only once another issue has the section.
    pages["/newsletters/sections/prevent-news/"] = client.get("/newsletters/sections/prevent-news/")
    # The request form again, showing an error for every question.
    pages["/training/request/errors/"] = client.post("/training/request/", {})
    # The report form with an error for every question, then sent, and its confirmation.
    pages["/report/errors/"] = client.post("/report/", {})
    assert client.post("/report/", report_form_data()).status_code == 302
    pages["/report/sent/"] = client.get("/report/sent/")
    # The same in Arabic (right to left) and Bengali; their other pages are crawled through the
    # language switcher.
    for code in ("ar", "bn"):
        pages[f"/{code}/report/errors/"] = client.post(f"/{code}/report/", {})
        assert client.post(f"/{code}/report/", report_form_data()).status_code == 302
        pages[f"/{code}/report/sent/"] = client.get(f"/{code}/report/sent/")
        pages[f"/{code}/training/request/errors/"] = client.post(f"/{code}/training/request/", {})
        assert client.post(f"/{code}/training/request/", request_form_data()).status_code == 302
        pages[f"/{code}/training/request/done/"] = client.get(f"/{code}/training/request/done/")
    assert {
        "/ar/worried-about-someone/",
        "/bn/contacts/",
        "/ar/report/",
        "/bn/training/request/",
        "/ar/staying-safe-online/",
        "/bn/staying-safe-online/",
        "/ar/",
        "/bn/",
        "/ar/accessibility/",
        "/bn/privacy/",
    } <= set(pages)
    # Search in Arabic and Bengali: empty, found in that language and in English, nothing found.
    pages["/ar/search/"] = client.get("/ar/search/")
    pages["/ar/search/results/"] = client.get("/ar/search/", {"q": "الخط الساخن"})
    pages["/bn/search/results/"] = client.get("/bn/search/", {"q": "prevent"})
    pages["/bn/search/nothing-found/"] = client.get("/bn/search/", {"q": "xylophone"})
    # And their English results' help: "Did you mean …?" and the partial-match notice.
    pages["/ar/search/did-you-mean/"] = client.get("/ar/search/", {"q": "grroming"})
    pages["/bn/search/partial/"] = client.get("/bn/search/", {"q": "grooming xylophone"})
    # The newsletter sign-up with errors and sent, and each page of a subscriber's links.
    pages["/newsletters/subscribe/errors/"] = client.post("/newsletters/subscribe/", {})
    assert client.post("/newsletters/subscribe/", {"email": "sam@example.org"}).status_code == 302
    pages["/newsletters/subscribe/check-your-email/"] = client.get(
        "/newsletters/subscribe/check-your-email/"
    )
    for name, response in subscriber_link_pages(Client()).items():
        pages[f"/newsletters/links/{name}/"] = response
    pages["/server-error/"] = server_error(rf.get("/"))
    # A session's feedback form: empty, with an error for every question, sent, and closed.
    pages.update(feedback_pages(client, admin_client))
    # The search page, reached through a form: empty, with results, filtered, finding nothing.
    pages["/search/"] = client.get("/search/")
    pages["/search/results/"] = client.get("/search/?q=prevent")
    pages["/search/filtered/"] = client.get("/search/?q=prevent&kind=workshop")
    pages["/search/nothing-found/"] = client.get("/search/?q=xylophone")
    # "Did you mean …?" from the index's words, and results with only some of the words.
    pages["/search/did-you-mean/"] = client.get("/search/?q=grroming")
    pages["/search/partial/"] = client.get("/search/?q=grooming+xylophone")
    for path in ("/search/did-you-mean/", "/ar/search/did-you-mean/"):
        assert "app-search-suggestion" in pages[path].text, path
    for path in ("/search/partial/", "/bn/search/partial/"):
        assert "app-search-partial" in pages[path].text, path
    # Refused: an admin page the account may not see, and a form sent with too large a body.
    pages["/forbidden/"] = editor_client.get(reverse("admin:training_trainingrequest_changelist"))
    pages["/too-large/"] = client.post(
        "/training/request/", {"message": "x" * (settings.REQUEST_BODY_LIMIT + 1)}
    )
    assert (pages["/forbidden/"].status_code, pages["/too-large/"].status_code) == (403, 413)
    # The team's banners, one that people can hide, and a page the team marked as sensitive.
    message = "<p>Read <a href='https://example.org/news'>the latest</a>.</p>"
    for severity in Severity:
        Banner.objects.create(
            severity=severity,
            title=f"{severity.label} banner",
            message=message,
            dismissible=severity != Severity.EMERGENCY,
            is_live=True,
        )
    SensitivePage.objects.create(path="/events/")
    pages["/banners/"] = client.get("/")
    pages["/events/sensitive/"] = client.get("/events/")
    assert pages["/events/sensitive/"].text.count("Emergency banner") == 1
    assert 'data-module="app-exit-this-page"' in pages["/events/sensitive/"].text
    assert len(pages) > 20
    for path, response in pages.items():
        (tmp_path / file_name(path)).write_bytes(response.content)

    errors = vnu_errors(tmp_path)
    assert not errors, "\n".join(errors)


def feedback_pages(client, admin_client):
    """The feedback form in each of its states, its printable sheet and the impact page."""
    workshop = Workshop.objects.published().first()
    session = make_session(workshop, attendance={"school": 20})
    make_feedback(session, quote="Clear and useful", publish_consent=True)
    url = reverse("training:feedback", kwargs={"code": session.feedback_code})
    pages = {"/feedback/form/": client.get(url)}
    pages["/feedback/errors/"] = client.post(url, {"publish_consent": "on", "naming": "role"})
    token = pages["/feedback/form/"].context["form"].initial["form_token"]
    assert client.post(url, feedback_form_data(form_token=token)).status_code == 302
    pages["/feedback/thanks/"] = client.get(url + "thanks/")
    closed = make_session(workshop, starts_at=timezone.now() - timedelta(days=365))
    pages["/feedback/closed/"] = client.get(
        reverse("training:feedback", kwargs={"code": closed.feedback_code})
    )
    assert pages["/feedback/closed/"].status_code == 410
    pages["/admin/feedback-sheet/"] = admin_client.get(
        reverse("admin:training_session_sheet", args=[session.pk])
    )
    pages["/admin/impact/"] = admin_client.get(reverse("impact:impact"))
    assert '<svg class="app-chart"' in pages["/admin/impact/"].content.decode()
    return pages
