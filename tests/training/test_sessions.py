"""Sessions in the admin: made from a request when it is scheduled, or added by the team; their
feedback address and QR code; the morning-after email; who may see them."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboundEmail
from tests.factories import (
    make_feedback,
    make_member,
    make_outbound_email,
    make_session,
    make_training_request,
    make_workshop,
)
from training.models import Attendance, Feedback, Session, TrainingRequest

pytestmark = pytest.mark.django_db

# The (read-only) emails inline's management form, which every admin form with it posts.
NO_EMAILS = {
    "outbox-outboundemail-content_type-object_id-TOTAL_FORMS": "0",
    "outbox-outboundemail-content_type-object_id-INITIAL_FORMS": "0",
}


def request_change_url(training_request):
    return reverse("admin:training_trainingrequest_change", args=[training_request.pk])


def test_scheduling_a_request_opens_its_session_filled_in_from_the_request(coordinator_client):
    workshop = make_workshop(title="WRAP", short_name="WRAP")
    day = timezone.localdate() + datetime.timedelta(days=14)
    training_request = make_training_request(
        workshop=workshop,
        organisation="Queen's Park Academy",
        email="dsl@queens-park.example.org",
        delivery=TrainingRequest.Delivery.IN_PERSON,
        location="10 Harrow Road, London W9",
        preferred_date_1=day,
    )
    response = coordinator_client.post(
        request_change_url(training_request), {"status": "scheduled", "notes": "", **NO_EMAILS}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:training_session_add") + f"?training_request={training_request.pk}"
    )
    form = coordinator_client.get(response["Location"]).context["adminform"].form
    assert form.initial["workshop"] == workshop.pk
    assert form.initial["organisation"] == "Queen's Park Academy"
    assert form.initial["organiser_email"] == "dsl@queens-park.example.org"
    assert form.initial["online"] is False
    assert form.initial["place"] == "10 Harrow Road, London W9"
    assert timezone.localtime(form.initial["starts_at"]).date() == day
    training_request.refresh_from_db()
    assert training_request.first_contacted_at is not None


def session_post(training_request, workshop, member, attendance=(), **overrides):
    start = timezone.localtime() - datetime.timedelta(days=1)
    data = {
        "workshop": workshop.pk,
        "training_request": training_request.pk if training_request else "",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "10:00:00",
        "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "12:00:00",
        "place": "",
        "organisation": "Queen's Park Academy",
        "organiser_email": "dsl@queens-park.example.org",
        "delivered_by": member.pk,
        "notes": "",
        "attendance-TOTAL_FORMS": str(len(attendance)),
        "attendance-INITIAL_FORMS": "0",
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
        **NO_EMAILS,
    }
    for i, (sector, count) in enumerate(attendance):
        data[f"attendance-{i}-sector"] = sector
        data[f"attendance-{i}-attendees"] = str(count)
    data.update(overrides)
    return data


def test_recording_attendance_marks_the_request_delivered(coordinator_client):
    workshop, member = make_workshop(), make_member()
    training_request = make_training_request(workshop=workshop, status="scheduled")
    response = coordinator_client.post(
        reverse("admin:training_session_add"),
        session_post(training_request, workshop, member, [("school", 18), ("health", 2)]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    session = Session.objects.get()
    assert session.training_request == training_request
    assert session.attendees == 20
    assert sorted(Attendance.objects.values_list("sector", "attendees")) == [
        ("health", 2),
        ("school", 18),
    ]
    training_request.refresh_from_db()
    assert training_request.status == TrainingRequest.Status.DELIVERED


def test_a_session_can_be_added_without_a_request(coordinator_client):
    workshop, member = make_workshop(), make_member()
    response = coordinator_client.post(
        reverse("admin:training_session_add"),
        session_post(None, workshop, member, [("community", 12)]),
    )
    assert response.status_code == 302
    assert Session.objects.get().training_request is None


def test_a_delivered_requests_page_shows_its_feedback_link_and_qr_code(
    coordinator_client, settings
):
    settings.SITE_URL = "https://prevent.example.org"
    training_request = make_training_request(status="delivered")
    session = make_session(training_request=training_request, attendance={"school": 20})
    page = coordinator_client.get(request_change_url(training_request)).content.decode()
    address = f"https://prevent.example.org/feedback/{session.feedback_code}/"
    assert f'<a href="{address}">{address}</a>' in page
    assert '<svg role="img"' in page
    assert f"<title>QR code for {address}</title>" in page
    assert reverse("admin:training_session_sheet", args=[session.pk]) in page
    session_page = coordinator_client.get(
        reverse("admin:training_session_change", args=[session.pk])
    ).content.decode()
    assert address in session_page


def test_the_printable_sheet_has_the_qr_code_and_address(coordinator_client, settings):
    settings.SITE_URL = "https://prevent.example.org"
    session = make_session()
    response = coordinator_client.get(reverse("admin:training_session_sheet", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"https://prevent.example.org/feedback/{session.feedback_code}/" in page
    assert '<svg role="img"' in page
    assert "css/feedback-sheet" in page


def test_feedback_codes_are_unique_and_unguessable():
    codes = {make_session().feedback_code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(code) >= 22 for code in codes)


def test_content_editors_cannot_see_sessions_or_feedback(editor_client):
    session = make_session()
    feedback = make_feedback(session)
    for url in (
        reverse("admin:training_session_changelist"),
        reverse("admin:training_session_change", args=[session.pk]),
        reverse("admin:training_session_sheet", args=[session.pk]),
        reverse("admin:training_feedback_changelist"),
        reverse("admin:training_feedback_change", args=[feedback.pk]),
    ):
        assert editor_client.get(url).status_code == 403, url


def test_coordinators_approve_quotes_but_only_those_with_consent(coordinator_client):
    session = make_session()
    agreed = make_feedback(session, quote="Good", publish_consent=True)
    refused = make_feedback(session, quote="Also good", publish_consent=False)
    response = coordinator_client.post(
        reverse("admin:training_feedback_changelist"),
        {"action": "approve_quotes", "_selected_action": [agreed.pk, refused.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "1 quote is now on its workshop's page. 1 could not be published: their authors did "
        "not agree to it."
    ]
    assert Feedback.objects.get(pk=agreed.pk).quote_approved_at is not None
    assert Feedback.objects.get(pk=refused.pk).quote_approved_at is None


def test_the_change_form_publishes_and_withdraws_a_quote(coordinator_client):
    feedback = make_feedback(make_session(), quote="Good", publish_consent=True)
    url = reverse("admin:training_feedback_change", args=[feedback.pk])
    coordinator_client.post(url, {"publish_quote": "on", "notes": ""})
    feedback.refresh_from_db()
    assert feedback.quote_approved_at is not None
    coordinator_client.post(url, {"notes": ""})
    feedback.refresh_from_db()
    assert feedback.quote_approved_at is None


def test_approving_a_quote_purges_the_front_cache(
    coordinator_client, front_cache_purges, django_capture_on_commit_callbacks
):
    feedback = make_feedback(make_session(), quote="Good", publish_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("admin:training_feedback_changelist"),
            {"action": "approve_quotes", "_selected_action": [feedback.pk]},
        )
    assert front_cache_purges.waiting() == 1


def test_feedback_from_the_public_form_does_not_purge_the_front_cache(
    client, front_cache_purges, django_capture_on_commit_callbacks
):
    session = make_session()
    with django_capture_on_commit_callbacks(execute=True):
        make_feedback(session)
        make_session(session.workshop, attendance={"school": 3})
    assert front_cache_purges.waiting() == 0


def test_organisers_are_emailed_the_feedback_link_the_morning_after_once(settings):
    settings.SITE_URL = "https://prevent.example.org"
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = make_session(
        starts_at=today - datetime.timedelta(hours=10), organiser_email="a@example.org"
    )
    make_session(starts_at=today + datetime.timedelta(hours=1), organiser_email="b@example.org")
    make_session(starts_at=today - datetime.timedelta(days=1), organiser_email="")
    make_session(starts_at=today - datetime.timedelta(days=40), organiser_email="c@example.org")
    call_command("send_feedback_links", verbosity=0)
    call_command("send_feedback_links", verbosity=0)
    email = OutboundEmail.objects.get()
    assert email.to == "a@example.org"
    assert email.object_id == yesterday.pk
    address = f"https://prevent.example.org/feedback/{yesterday.feedback_code}/"
    assert address in email.text
    assert f'href="{address}"' in email.html
    assert (
        email.subject == f"Your {yesterday.workshop.title} session: please share the feedback link"
    )


def test_feedback_older_than_its_period_is_purged_unless_its_quote_is_published(settings):
    settings.FEEDBACK_RETENTION_DAYS = 730
    session = make_session()
    old = timezone.now() - datetime.timedelta(days=731)
    make_feedback(session, received_at=old)
    kept = make_feedback(
        session, received_at=old, quote="Q", publish_consent=True, quote_approved_at=old
    )
    recent = make_feedback(session)
    call_command("purge", verbosity=0)
    assert set(Feedback.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}


def test_the_organisers_address_and_its_email_are_forgotten_once_the_form_closes(settings):
    settings.FEEDBACK_OPEN_DAYS = 30
    closed = make_session(
        starts_at=timezone.now() - datetime.timedelta(days=31), organiser_email="a@example.org"
    )
    open_ = make_session(organiser_email="b@example.org")
    old_email = make_outbound_email(
        about=closed,
        kind=Session.EmailKind.FEEDBACK_LINK,
        to="a@example.org",
        sent_at=timezone.now() - datetime.timedelta(days=30),
    )
    call_command("send_feedback_links", verbosity=0)
    closed.refresh_from_db()
    open_.refresh_from_db()
    assert closed.organiser_email == ""
    assert not OutboundEmail.objects.filter(pk=old_email.pk).exists()
    assert open_.organiser_email == "b@example.org"
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["b@example.org"]


def test_the_sessions_list_counts_each_sessions_feedback_responses(coordinator_client):
    answered = make_session(make_workshop(), organisation="Answered School")
    make_feedback(answered)
    make_feedback(answered)
    make_session(make_workshop(slug="other"), organisation="Quiet School")

    page = coordinator_client.get(reverse("admin:training_session_changelist")).text

    rows = {
        name: re.search(r'<td class="field-feedback_count">(\d+)</td>', row).group(1)
        for row in page.split("<tr")[1:]
        for name in ("Answered School", "Quiet School")
        if name in row
    }
    assert rows == {"Answered School": "2", "Quiet School": "0"}
