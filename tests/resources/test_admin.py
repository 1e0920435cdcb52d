import pytest
from django.urls import reverse

from resources.models import TeamMember
from tests import factories

pytestmark = pytest.mark.django_db


def test_team_members_are_reordered_from_the_list(editor_client, client):
    kiran = TeamMember.objects.create(name="Kiran", slug="kiran", role="Officer", order=1)
    sam = TeamMember.objects.create(name="Sam", slug="sam", role="Officer", order=2)

    response = editor_client.post(
        reverse("admin:resources_teammember_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": kiran.pk,
            "form-0-order": "3",
            "form-1-id": sam.pk,
            "form-1-order": "1",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    team_page = client.get(reverse("resources:team")).text
    assert team_page.index("Sam") < team_page.index("Kiran")


def test_team_member_with_photo_is_added_through_the_admin(editor_client):
    response = editor_client.post(
        reverse("admin:resources_teammember_add"),
        {
            "name": "Kiran Malik",
            "slug": "kiran-malik",
            "role": "Prevent Engagement Officer",
            "bio": "Works with schools.",
            "order": "1",
            "photo": factories.jpeg_upload((500, 500)),
            "photo_alt": "Kiran Malik smiling",
        },
    )

    assert response.status_code == 302
    member = TeamMember.objects.get()
    assert (member.photo_width, member.photo_height) == (500, 500)
    listing = editor_client.get(reverse("admin:resources_teammember_changelist"))
    assert "/team/#kiran-malik" in listing.text


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:resources_contact_changelist",
        "admin:resources_resourcelink_changelist",
        "admin:resources_fundingscheme_changelist",
        "admin:resources_fundingscheme_add",
    ],
)
def test_content_editor_can_open_resources(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_funding_scheme_list_shows_application_state_and_publication(editor_client):
    factories.make_scheme(status="draft")

    listing = editor_client.get(reverse("admin:resources_fundingscheme_changelist"))

    assert "Open" in listing.text
    assert "Draft" in listing.text
