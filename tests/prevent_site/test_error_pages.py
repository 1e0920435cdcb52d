"""The site's own pages for refused requests, in its style rather than Django's bare text."""

import pytest
from django.urls import reverse

from tests.factories import make_training_request
from tests.prevent_site.test_site import parse

pytestmark = pytest.mark.django_db


def test_editor_refused_an_admin_page_gets_a_page_that_explains_and_leads_back(editor_client):
    training_request = make_training_request()

    response = editor_client.get(
        reverse("admin:training_trainingrequest_change", args=[training_request.pk])
    )

    assert response.status_code == 403
    page = parse(response)
    assert page.title.startswith("You do not have permission to see this page")
    assert page.h1s == 1 and page.breadcrumbs
    assert "Your account cannot open this page of the site editor." in response.text
    assert reverse("admin:index") in page.links
    # Nothing of the refused request shows on the page.
    assert training_request.reference not in response.text
