"""The pages the law and users expect: accessibility statement, privacy notice, cookies."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_accessibility_statement_follows_the_model_statement(client):
    body = client.get("/accessibility/").content.decode()
    for heading in [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ]:
        assert f">{heading}</h" in body, heading
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility" in body
    assert "Equality Advisory and Support Service (EASS)" in body
    assert "WCAG) version 2.2 AA standard" in body
    assert 'href="mailto:prevent@westminster.gov.uk"' in body
    assert "different format" in body


def test_privacy_notice_names_the_controller_rights_and_the_regulator(client):
    body = client.get("/privacy/").content.decode()
    assert "Westminster City Council is the data controller" in body
    assert "Information Commissioner’s Office (ICO)" in body
    assert "12 months" in body


def test_cookies_page_lists_only_essential_cookies_and_there_is_no_banner(client):
    body = client.get("/cookies/").content.decode()
    for name in ["csrftoken", "sessionid", "messages"]:
        assert f">{name}</td>" in body
    assert "analytics" in body  # …as something the site does not use
    assert "govuk-cookie-banner" not in client.get("/").content.decode()


def test_cookies_page_lists_every_cookie_a_visitor_gets_when_requesting_training(client):
    client.get("/training/request/")
    response = client.post("/training/request/", factories.request_form_data())
    assert response.status_code == 302
    assert {"csrftoken", "sessionid"} <= set(client.cookies)
    listed = client.get("/cookies/").content.decode()
    for name in client.cookies:
        assert f">{name}</td>" in listed, name


def test_templates_link_to_no_outside_address_but_the_councils_prevent_page():
    # The team's rule: outside addresses only from the checked list (in the content, not the
    # templates), the council's own Prevent page, and email links. Organisations such as the
    # EASS and the ICO are named in words.
    addresses = {
        (path.relative_to(TEMPLATES).as_posix(), address)
        for path in TEMPLATES.rglob("*.html")
        for address in re.findall(r"""href=["'](https?://[^"']+)""", path.read_text())
    }
    assert {address for _, address in addresses} <= {"https://www.westminster.gov.uk/prevent"}


def test_privacy_notice_says_what_a_report_keeps_and_for_how_long(client):
    body = client.get("/privacy/").content.decode()
    assert "report anonymously" in body
    assert "we remove its location and every other hidden detail" in body
    assert (
        "We delete reports, their photos and the emails about them, automatically 12 months" in body
    )
