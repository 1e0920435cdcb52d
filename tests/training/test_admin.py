import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from outbox import sending
from outbox.models import OutboundEmail
from tests import factories
from tests.factories import make_training_request, make_workshop
from training import emails
from training.models import TrainingRequest, Workshop

pytestmark = pytest.mark.django_db


def test_content_editor_cannot_open_training_requests(editor_client):
    assert (
        editor_client.get(reverse("admin:training_trainingrequest_changelist")).status_code == 403
    )
    assert editor_client.get(reverse("admin:training_trainingrequest_add")).status_code == 403

    index = editor_client.get(reverse("admin:index"))
    assert "Workshops" in index.text
    assert "Training requests" not in index.text


def test_workshop_is_written_with_its_testimonials_inline(editor_client):
    response = editor_client.post(
        reverse("admin:training_workshop_add"),
        {
            "title": "Workshop to Raise Awareness of Prevent",
            "short_name": "WRAP",
            "slug": "wrap",
            "summary": "An introduction to Prevent.",
            "body": "<p>What Prevent is.</p>",
            "duration": "45 minutes",
            "online": "on",
            "cost": "Free",
            "is_active": "on",
            "order": "1",
            "status": "draft",
            "publish_at_0": "2026-01-01",
            "publish_at_1": "09:00:00",
            "testimonials-TOTAL_FORMS": "2",
            "testimonials-INITIAL_FORMS": "0",
            "testimonials-MIN_NUM_FORMS": "0",
            "testimonials-MAX_NUM_FORMS": "1000",
            "testimonials-0-quote": "Really useful.",
            "testimonials-0-attribution": "WRAP participant",
            "testimonials-0-order": "2",
            "testimonials-1-quote": "Clear and practical.",
            "testimonials-1-attribution": "Teacher",
            "testimonials-1-order": "1",
        },
    )

    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert [t.attribution for t in workshop.testimonials.all()] == ["Teacher", "WRAP participant"]


def test_workshop_list_orders_and_publishes(editor_client):
    draft = factories.make_workshop(status="draft")

    listing = editor_client.get(reverse("admin:training_workshop_changelist"))
    assert "Draft" in listing.text
    assert 'name="form-0-order"' in listing.text

    editor_client.post(
        reverse("admin:training_workshop_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_public


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:training_event_changelist",
        "admin:training_event_add",
        "admin:training_communityproject_changelist",
        "admin:training_testimonial_changelist",
    ],
)
def test_content_editor_can_open_training_content(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_testimonial_links_to_its_workshop_page(editor_client):
    workshop = factories.make_workshop()
    workshop.testimonials.create(quote="Useful.", attribution="Teacher")

    listing = editor_client.get(reverse("admin:training_testimonial_changelist"))

    assert f'href="{workshop.get_absolute_url()}"' in listing.text


# Training requests: the coordinators' side

CHANGELIST = reverse("admin:training_trainingrequest_changelist")


def change_url(training_request):
    return reverse("admin:training_trainingrequest_change", args=[training_request.pk])


def test_the_migration_creates_the_coordinators_group_with_just_these_permissions():
    group = Group.objects.get(name="Training coordinators")
    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("outbox", "view_outboundemail"),
        ("training", "add_attendance"),
        ("training", "add_session"),
        ("training", "change_attendance"),
        ("training", "change_feedback"),
        ("training", "change_session"),
        ("training", "change_trainingrequest"),
        ("training", "delete_attendance"),
        ("training", "delete_feedback"),
        ("training", "delete_session"),
        ("training", "delete_trainingrequest"),
        ("training", "view_attendance"),
        ("training", "view_feedback"),
        ("training", "view_session"),
        ("training", "view_trainingrequest"),
    ]


def test_coordinators_see_the_list_with_reference_workshop_status_and_email_state(
    coordinator_client,
):
    wrap = make_workshop(title="WRAP workshop")
    make_training_request(reference="WRAP-2026-0042", workshop=wrap, organisation="Acme School")
    response = coordinator_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "WRAP-2026-0042",
        "WRAP workshop",
        "Acme School",
        "New",
        "Not sent: team, requester",
    ]:
        assert text in html
    for heading in ["Reference", "Workshop", "Organisation", "Received", "Status", "Emails"]:
        assert f">{heading}</a>" in html or f">{heading}</span>" in html, heading


def test_the_email_column_follows_what_was_sent(coordinator_client):
    training_request = make_training_request(reference="TRAIN-2026-0001")
    emails.queue_emails(training_request)
    sending.send_pending()
    assert "Both sent" in coordinator_client.get(CHANGELIST).content.decode()


def test_filters_and_search_find_requests(coordinator_client):
    wrap = make_workshop(title="WRAP workshop")
    make_training_request(reference="TRAIN-2026-0001", organisation="Alpha", sector="health")
    make_training_request(
        reference="TRAIN-2026-0002", organisation="Beta", email="b@beta.org", contact_name="Bo Li"
    )
    html = coordinator_client.get(CHANGELIST, {"sector__exact": "health"}).content.decode()
    assert "Alpha" in html and "Beta" not in html
    html = coordinator_client.get(CHANGELIST, {"workshop__id__exact": wrap.pk}).content.decode()
    assert "Alpha" not in html and "Beta" not in html
    for term in ["TRAIN-2026-0002", "b@beta.org", "Beta", "Bo Li"]:
        html = coordinator_client.get(CHANGELIST, {"q": term}).content.decode()
        assert "TRAIN-2026-0002" in html and "TRAIN-2026-0001" not in html, term
    html = coordinator_client.get(CHANGELIST).content.decode()
    for filter_title in ["By status", "By workshop", "By sector"]:
        assert filter_title in html


def test_coordinators_move_the_status_on_and_add_notes_but_cannot_rewrite_the_request(
    coordinator_client,
):
    training_request = make_training_request(organisation="Original name")
    page = coordinator_client.get(change_url(training_request))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Original name" in html and 'name="status"' in html and 'name="notes"' in html
    assert 'name="organisation"' not in html
    response = coordinator_client.post(
        change_url(training_request),
        {
            "status": "contacted",
            "notes": "Called, booked for March",
            "organisation": "Changed",
            "outbox-outboundemail-content_type-object_id-TOTAL_FORMS": "0",
            "outbox-outboundemail-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    training_request.refresh_from_db()
    assert training_request.status == "contacted"
    assert training_request.notes == "Called, booked for March"
    assert training_request.organisation == "Original name"


def test_requests_cannot_be_added_in_the_admin(coordinator_client, admin_client):
    assert coordinator_client.get(reverse("admin:training_trainingrequest_add")).status_code == 403
    assert admin_client.get(reverse("admin:training_trainingrequest_add")).status_code == 403


def test_coordinators_can_delete_a_request_and_its_emails_go_with_it(coordinator_client):
    training_request = make_training_request()
    emails.queue_emails(training_request)
    url = reverse("admin:training_trainingrequest_delete", args=[training_request.pk])
    response = coordinator_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not TrainingRequest.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_staff_outside_the_group_cannot_see_requests_even_with_the_permissions(
    client, django_user_model
):
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="training"))
    training_request = make_training_request()
    client.force_login(editor)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(training_request)).status_code == 403
    assert client.get(reverse("admin:outbox_outboundemail_changelist")).status_code == 403
    # The rest of the training admin still works for them.
    assert client.get(reverse("admin:training_workshop_changelist")).status_code == 200
    assert "Training requests" not in client.get(reverse("admin:index")).content.decode()


def test_superusers_see_requests(admin_client):
    make_training_request(reference="TRAIN-2026-0001")
    assert "TRAIN-2026-0001" in admin_client.get(CHANGELIST).content.decode()


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_emails_inside_a_request_link_to_their_record_but_not_to_view_on_site(coordinator_client):
    training_request = make_training_request()
    team, requester = emails.queue_emails(training_request)

    response = coordinator_client.get(change_url(training_request))

    assert response.status_code == 200
    assert "View on site" not in response.text
    assert "/admin/r/" not in response.text
    for email in (team, requester):
        record = reverse("admin:outbox_outboundemail_change", args=[email.pk])
        assert f'href="{record}"' in response.text
    # Nor does an email's own page offer one: it would only open that page again.
    page = coordinator_client.get(reverse("admin:outbox_outboundemail_change", args=[team.pk]))
    assert page.status_code == 200 and team.reply_to in page.text
    assert "View on site" not in page.text


@pytest.mark.parametrize(
    ("count", "question", "done"),
    [
        (1, "delete the selected training request?", "Successfully deleted 1 training request."),
        (2, "delete the selected training requests?", "Successfully deleted 2 training requests."),
    ],
)
def test_deleting_selected_requests_counts_them_in_words_that_agree(
    coordinator_client, count, question, done
):
    requests = [make_training_request() for _ in range(count)]
    selected = {"action": "delete_selected", "_selected_action": [r.pk for r in requests]}

    confirmation = coordinator_client.post(CHANGELIST, selected)

    assert f"Are you sure you want to {question}" in confirmation.text
    assert "1 training requests" not in confirmation.text
    deleted = coordinator_client.post(CHANGELIST, selected | {"post": "yes"}, follow=True)
    assert done in deleted.text
    assert not TrainingRequest.objects.exists()


def export(client, *requests):
    response = client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [r.pk for r in requests]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_selected_requests_export_to_csv(coordinator_client):
    wrap = make_workshop(title="WRAP workshop")
    chosen = make_training_request(
        reference="WRAP-2026-0001", workshop=wrap, organisation="Acme", phone="020 7946 0000"
    )
    make_training_request(reference="TRAIN-2026-0002", organisation="Not selected")
    header, *rows = export(coordinator_client, chosen)
    assert header[:5] == ["Reference", "Received", "Status", "Workshop", "Organisation"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Reference"] == "WRAP-2026-0001"
    assert row["Workshop"] == "WRAP workshop"
    assert row["Organisation"] == "Acme"
    assert row["Email"] == "amina.khan@example.org"
    assert row["Phone"] == "020 7946 0000"


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_the_export_cannot_smuggle_spreadsheet_formulas(coordinator_client, formula):
    training_request = make_training_request(organisation=formula, contact_name=formula)
    header, row = export(coordinator_client, training_request)
    row = dict(zip(header, row, strict=True))
    assert row["Organisation"] == "'" + formula
    assert row["Name"] == "'" + formula


def test_staff_outside_the_group_cannot_export(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="training"))
    training_request = make_training_request()
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [training_request.pk]}
    )
    assert response.status_code == 403


def test_the_outbox_and_the_request_list_say_sent_waiting_or_failed(coordinator_client):
    import datetime

    from django.utils import timezone

    training_request = make_training_request(reference="TRAIN-2026-0005")
    team, requester = emails.queue_emails(training_request)
    OutboundEmail.objects.filter(pk=team.pk).update(sent_at=timezone.now(), attempts=1)
    retry_at = timezone.localtime(timezone.now() + datetime.timedelta(minutes=4))
    OutboundEmail.objects.filter(pk=requester.pk).update(
        attempts=3, next_attempt_at=retry_at, last_error="TimeoutError: timed out"
    )
    outbox = coordinator_client.get(reverse("admin:outbox_outboundemail_changelist")).text
    assert "Sent " in outbox
    assert f"Waiting (next try at {retry_at:%-d %b %H:%M})" in outbox
    requests = coordinator_client.get(CHANGELIST).text
    sent = timezone.localtime(OutboundEmail.objects.get(pk=team.pk).sent_at)
    assert (
        f"Team: Sent {sent:%-d %b %Y %H:%M}; "
        f"Requester: Waiting (next try at {retry_at:%-d %b %H:%M})"
    ) in requests

    OutboundEmail.objects.filter(pk=requester.pk).update(
        failed_at=timezone.now(), last_error="SMTPRecipientsRefused: 550 no such user"
    )
    outbox = coordinator_client.get(reverse("admin:outbox_outboundemail_changelist")).text
    assert "Failed after 3 attempts: SMTPRecipientsRefused: 550 no such user" in outbox
    requests = coordinator_client.get(CHANGELIST).text
    assert "Requester: Failed after 3 attempts: SMTPRecipientsRefused: 550 no such user" in requests


def test_failed_emails_are_counted_on_the_request_list_and_can_be_retried_now(
    coordinator_client, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    from django.utils import timezone

    training_request = make_training_request(reference="TRAIN-2026-0006")
    team, requester = emails.queue_emails(training_request)
    assert "could not be sent" not in coordinator_client.get(CHANGELIST).text
    OutboundEmail.objects.update(
        attempts=12, failed_at=timezone.now(), last_error="TimeoutError: timed out"
    )
    requests = coordinator_client.get(CHANGELIST).text
    assert "2 emails could not be sent and have been given up on." in requests
    outbox_url = reverse("admin:outbox_outboundemail_changelist")
    about_requests = ContentType.objects.get_for_model(TrainingRequest).pk
    assert (
        f'href="{outbox_url}?content_type__id__exact={about_requests}'
        '&amp;failed_at__isnull=False&amp;sent_at__isnull=True"'
    ) in requests

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            outbox_url,
            {"action": "retry_now", "_selected_action": [requester.pk]},
            follow=True,
        )
    assert "1 unsent email will be tried again now." in response.text
    run_worker()
    assert [m.to for m in mailoutbox] == [[training_request.email]]
    requester.refresh_from_db()
    assert requester.sent_at is not None and requester.failed_at is None
    requests = coordinator_client.get(CHANGELIST).text
    assert "1 email could not be sent and has been given up on." in requests


def test_retrying_a_request_sends_its_unsent_emails_only(
    coordinator_client, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    from django.utils import timezone

    training_request = make_training_request(reference="TRAIN-2026-0007")
    team, requester = emails.queue_emails(training_request)
    OutboundEmail.objects.filter(pk=team.pk).update(sent_at=timezone.now())
    OutboundEmail.objects.filter(pk=requester.pk).update(failed_at=timezone.now(), attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            CHANGELIST,
            {"action": "retry_emails", "_selected_action": [training_request.pk]},
            follow=True,
        )
    assert "1 unsent email will be tried again now." in response.text
    run_worker()
    assert [m.to for m in mailoutbox] == [[training_request.email]]
