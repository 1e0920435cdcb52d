import pytest
from django.urls import reverse

from resources.models import HelpRoute, TeamMember
from scripts.bench.client import AdminForm
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


def help_route_form(**overrides):
    # The translated fields have one box for each language: English, then Arabic and Bengali.
    data = {
        "name_en_gb": "ACT Early Support Line",
        "name_ar": "",
        "name_bn": "",
        "slug": "act-early-support-line",
        "part": "public",
        "description_en_gb": "Call if you are worried that someone is being drawn into extremism.",
        "description_ar": "",
        "description_bn": "",
        "phone": "0800 011 3764",
        "textphone": "",
        "hours_en_gb": "Every day, 9am to 5pm",
        "hours_ar": "",
        "hours_bn": "",
        "email": "",
        "url": "",
        "order": "1",
    }
    data.update(overrides)
    return data


def test_content_editor_adds_a_way_to_get_help_and_it_shows_on_the_page(editor_client, client):
    response = editor_client.post(reverse("admin:resources_helproute_add"), help_route_form())

    assert response.status_code == 302
    route = HelpRoute.objects.get()
    assert (route.part, route.phone) == ("public", "0800 011 3764")
    page = client.get(reverse("resources:help-route-list")).text
    assert '<a class="govuk-link" href="tel:08000113764">0800 011 3764</a>' in page
    assert "Every day, 9am to 5pm" in page


def test_a_way_to_get_help_edited_in_the_admin_shows_on_the_page(editor_client, client):
    route = factories.make_help_route(name="Anti-Terrorist Hotline", hours="Office hours")
    url = reverse("admin:resources_helproute_change", args=[route.pk])
    data = AdminForm()
    data.feed(editor_client.get(url).text)
    data.data["hours_en_gb"] = "24 hours a day"

    assert editor_client.post(url, data.data).status_code == 302
    page = client.get(reverse("resources:help-route-list")).text
    assert "24 hours a day" in page and "Office hours" not in page


def test_ways_to_get_help_are_reordered_from_the_list(editor_client, client):
    first = factories.make_help_route(name="First helpline", order=1)
    second = factories.make_help_route(name="Second helpline", order=2)

    response = editor_client.post(
        reverse("admin:resources_helproute_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-order": "3",
            "form-1-id": second.pk,
            "form-1-order": "1",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("resources:help-route-list")).text
    assert page.index("Second helpline") < page.index("First helpline")


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"phone": "0800 CALL NOW"}, "using only digits and spaces"),
        ({"phone": "<script>alert(1)</script>"}, "using only digits and spaces"),
        ({"textphone": "tel:18001101"}, "using only digits and spaces"),
        ({"phone": "", "hours_en_gb": ""}, "Give at least one way to reach it"),
        ({"url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"part": "everyone"}, "Select a valid choice"),
    ],
    ids=["letters", "markup", "tel prefix", "no way to reach it", "script address", "part"],
)
def test_a_way_to_get_help_that_could_not_be_dialled_or_reached_is_refused(
    editor_client, overrides, error
):
    response = editor_client.post(
        reverse("admin:resources_helproute_add"), help_route_form(**overrides)
    )

    assert response.status_code == 200
    assert error in response.text
    assert not HelpRoute.objects.exists()


def test_ways_to_get_help_list_shows_who_each_is_for(editor_client):
    factories.make_help_route(name="Anti-Terrorist Hotline", part="suspicious")

    listing = editor_client.get(reverse("admin:resources_helproute_changelist")).text

    assert "Anti-Terrorist Hotline" in listing
    assert "Suspicious activity" in listing
    assert "/worried-about-someone/#" in listing
