"""Pages the team marks as sensitive in the admin get Exit this page, as the help page has."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerts.models import SensitivePage
from tests import factories

pytestmark = pytest.mark.django_db

EXIT_BUTTON = 'data-module="app-exit-this-page"'


def mark(address, reason=""):
    page = SensitivePage(path=address, reason=reason)
    page.full_clean()
    page.save()
    return page


def test_a_marked_page_gets_the_exit_button_and_the_note_on_staying_safe(client, settings):
    settings.EXIT_THIS_PAGE_URL = "https://www.example.org/news"
    workshops = reverse("training:workshop-list")
    assert EXIT_BUTTON not in client.get(workshops).text
    mark(workshops, "advice for parents")
    html = client.get(workshops).text
    assert html.count(EXIT_BUTTON) == 1
    assert 'href="https://www.example.org/news"' in html
    assert "It does not clear your browsing history" in html
    assert f'href="{reverse("staying-safe-online")}"' in html
    # Only that page.
    assert EXIT_BUTTON not in client.get(reverse("home")).text


def test_the_full_address_copied_from_the_browser_is_kept_as_its_path(client):
    issue = factories.make_issue()
    page = mark(f"https://prevent.westminster.gov.uk{issue.get_absolute_url()}?utm_source=x#top")
    assert page.path == issue.get_absolute_url()
    assert EXIT_BUTTON in client.get(issue.get_absolute_url()).text


@pytest.mark.parametrize(
    "address, message",
    [
        ("/no-such-page/", "There is no page at this address on the site."),
        ("/admin/", "Only the public pages can be marked as sensitive."),
        ("/healthz", "Only the public pages can be marked as sensitive."),
    ],
)
def test_an_address_that_is_not_a_public_page_is_refused(address, message):
    with pytest.raises(ValidationError) as refused:
        mark(address)
    assert refused.value.message_dict["path"] == [message]
    assert not SensitivePage.objects.exists()


def test_pages_that_always_have_the_button_show_it_once_when_also_marked(client):
    help_page = reverse("resources:help-route-list")
    mark(help_page)
    assert client.get(help_page).text.count(EXIT_BUTTON) == 1


def test_an_editor_marks_a_page_in_the_admin_and_the_front_cache_is_purged(
    editor_client, front_cache_purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:alerts_sensitivepage_add"),
            {"path": "https://prevent.westminster.gov.uk/events/", "reason": "incident advice"},
        )
    assert response.status_code == 302
    assert SensitivePage.objects.get().path == "/events/"
    assert front_cache_purges.waiting() >= 1


def test_the_admin_says_what_is_wrong_with_an_address_next_to_the_field(editor_client):
    response = editor_client.post(
        reverse("admin:alerts_sensitivepage_add"), {"path": "/no-such-page/", "reason": ""}
    )
    assert response.status_code == 200
    assert "There is no page at this address on the site." in response.text
    assert not SensitivePage.objects.exists()


@pytest.mark.parametrize("path", ["/newsletters/preferences/%00/", "/" + "a" * 400 + "/"])
def test_an_address_no_page_could_be_marked_with_is_not_looked_up(client, path):
    # A NUL byte would make PostgreSQL refuse the query; too long an address can't be marked.
    response = client.get(path)
    assert response.status_code == 404
