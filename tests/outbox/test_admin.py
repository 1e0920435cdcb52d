"""The outbox in the admin: each member of staff sees the emails about what they may see."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from outbox import sending
from outbox.models import OutboundEmail
from tests.factories import make_training_request
from training import emails
from training.models import TrainingRequest

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:outbox_outboundemail_changelist")


def change_url(email):
    return reverse("admin:outbox_outboundemail_change", args=[email.pk])


def email_about_something_else():
    """An email about a thing no app has said it keeps emails for (here, a group)."""
    [email] = sending.queue(
        OutboundEmail(
            about=Group.objects.create(name="Something else"),
            kind="notice",
            to="someone@example.org",
            subject="About something else entirely",
            text="Text",
            html="<p>Text</p>",
        )
    )
    return email


def test_coordinators_can_read_but_not_change_the_outbox(coordinator_client):
    training_request = make_training_request()
    [team, _] = emails.queue_emails(training_request)
    url = change_url(team)
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert f"Training request {training_request.reference}" in response.content.decode()
    coordinator_client.post(url, {"subject": "changed"})
    team.refresh_from_db()
    assert team.subject != "changed"


def test_an_emails_record_links_to_what_it_is_about(coordinator_client):
    training_request = make_training_request(reference="TRAIN-2026-0042")
    [team, _] = emails.queue_emails(training_request)
    page = coordinator_client.get(change_url(team)).text
    request_page = reverse("admin:training_trainingrequest_change", args=[training_request.pk])
    assert f'<a href="{request_page}">TRAIN-2026-0042: ' in page


def test_coordinators_see_emails_about_training_requests_and_no_others(coordinator_client):
    training_request = make_training_request(reference="TRAIN-2026-0043")
    emails.queue_emails(training_request)
    other = email_about_something_else()
    listing = coordinator_client.get(CHANGELIST)
    assert listing.status_code == 200
    assert "TRAIN-2026-0043" in listing.text
    assert "About something else entirely" not in listing.text
    # Nor by its address, nor by retrying it.
    opened = coordinator_client.get(change_url(other), follow=True)
    assert "About something else entirely" not in opened.text
    coordinator_client.post(CHANGELIST, {"action": "retry_now", "_selected_action": [other.pk]})
    assert "About something else entirely" not in coordinator_client.get(CHANGELIST).text


def test_superusers_see_every_email(admin_client):
    emails.queue_emails(make_training_request(reference="TRAIN-2026-0044"))
    email_about_something_else()
    listing = admin_client.get(CHANGELIST).text
    assert "TRAIN-2026-0044" in listing and "About something else entirely" in listing


def test_the_outbox_view_permission_alone_shows_no_email(client, django_user_model):
    # Given the outbox's permission, but none to see anything an email is about.
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_outboundemail"))
    [team, _] = emails.queue_emails(make_training_request())
    client.force_login(clerk)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(team)).status_code == 403
    assert "Outbound emails" not in client.get(reverse("admin:index")).text


def test_content_editors_cannot_open_the_outbox(editor_client):
    [team, _] = emails.queue_emails(make_training_request())
    assert editor_client.get(CHANGELIST).status_code == 403
    assert editor_client.get(change_url(team)).status_code == 403
    assert "Outbound emails" not in editor_client.get(reverse("admin:index")).text


def test_the_outbox_can_be_filtered_by_what_an_email_is_about(admin_client):
    emails.queue_emails(make_training_request(reference="TRAIN-2026-0045"))
    email_about_something_else()
    about_requests = ContentType.objects.get_for_model(TrainingRequest).pk
    listing = admin_client.get(CHANGELIST, {"content_type__id__exact": about_requests}).text
    assert "TRAIN-2026-0045" in listing
    assert "About something else entirely" not in listing


def test_no_one_can_add_an_email_by_hand(admin_client, coordinator_client):
    assert admin_client.get(reverse("admin:outbox_outboundemail_add")).status_code == 403
    assert coordinator_client.get(reverse("admin:outbox_outboundemail_add")).status_code == 403
