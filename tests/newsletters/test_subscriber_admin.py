"""The subscriber list in the admin: who sees it, deleting as leaving, and the import."""

import codecs
import datetime
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from newsletters.admin import subscriber_import
from newsletters.models import Delivery, FormerSubscriber, Subscriber
from outbox import sending
from outbox.models import OutboundEmail
from tests.factories import make_issue, make_training_request
from training import emails as training_emails

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:newsletters_subscriber_changelist")
IMPORT = reverse("admin:newsletters_subscriber_import")
OUTBOX = reverse("admin:outbox_outboundemail_changelist")
MANAGERS = "Newsletter subscriber managers"


def change_url(subscriber):
    return reverse("admin:newsletters_subscriber_change", args=[subscriber.pk])


def delete_url(subscriber):
    return reverse("admin:newsletters_subscriber_delete", args=[subscriber.pk])


def subscriber(email, **fields):
    fields.setdefault("status", Subscriber.Status.CONFIRMED)
    return Subscriber.objects.create(email=email, **fields)


def email_about(thing, to, kind="confirm"):
    [email] = sending.queue(
        OutboundEmail(about=thing, kind=kind, to=to, subject=f"For {to}", text="T", html="<p>T</p>")
    )
    return email


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user(
        "manager@westminster.gov.uk", first_name="Sam", last_name="Team", is_staff=True
    )
    user.groups.add(Group.objects.get(name=MANAGERS))
    return user


@pytest.fixture
def manager_client(manager):
    return signed_in(manager)


def test_the_migration_makes_the_managers_group_with_just_these_permissions():
    group = Group.objects.get(name=MANAGERS)
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "add_subscriber",
        "change_subscriber",
        "delete_subscriber",
        "view_delivery",
        "view_formersubscriber",
        "view_mailing",
        "view_outboundemail",
        "view_subscriber",
    ]


def test_content_editors_may_send_an_issue_but_not_see_subscribers(content_editor, editor_client):
    assert content_editor.has_perm("newsletters.add_mailing")
    assert content_editor.has_perm("newsletters.view_mailing")
    assert not content_editor.has_perm("newsletters.view_subscriber")
    assert not content_editor.has_perm("newsletters.view_delivery")
    someone = subscriber("someone@example.org")
    assert editor_client.get(CHANGELIST).status_code == 403
    assert editor_client.get(change_url(someone)).status_code == 403
    assert editor_client.get(IMPORT).status_code == 403
    assert "someone@example.org" not in editor_client.get(reverse("admin:index")).text


@pytest.mark.parametrize("outsider", ["editor_client", "coordinator_client", "permissions"])
def test_nobody_outside_the_group_sees_or_changes_subscribers_even_with_the_permissions(
    request, outsider, django_user_model
):
    if outsider == "permissions":
        user = django_user_model.objects.create_user("helpful-admin", is_staff=True)
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="newsletters"))
        staff = signed_in(user)
    else:
        staff = request.getfixturevalue(outsider)
    someone = subscriber("someone@example.org")
    email_about(someone, "someone@example.org")
    assert staff.get(CHANGELIST).status_code == 403
    assert staff.get(change_url(someone)).status_code == 403
    assert staff.get(IMPORT).status_code == 403
    upload = SimpleUploadedFile("list.csv", b"Email\r\nnew@example.org\r\n")
    response = staff.post(IMPORT, {"csv_file": upload, "source": "Mine", "list_date": "01/10/2026"})
    assert response.status_code == 403
    assert staff.post(delete_url(someone), {"post": "yes"}).status_code == 403
    bulk = staff.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [someone.pk], "post": "yes"}
    )
    assert bulk.status_code == 403
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["someone@example.org"]
    assert "Subscribers" not in staff.get(reverse("admin:index")).text
    outbox = staff.get(OUTBOX)
    assert outbox.status_code == 403 or "someone@example.org" not in outbox.text


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    for url in (CHANGELIST, IMPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_managers_see_the_list_with_status_updates_source_and_dates(manager_client):
    subscriber(
        "jane@example.org",
        training_and_events=True,
        funding=True,
        source="Outlook contacts",
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 0)),
        confirmed_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 30)),
    )
    subscriber(
        "omar@example.org",
        status=Subscriber.Status.PENDING,
        created_at=timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0)),
    )
    page = manager_client.get(CHANGELIST).text
    results = page[page.index('id="result_list"') :]
    rows = {
        # The address may wrap (<wbr> after its @ and dots).
        re.sub(r"<[^>]+>", "", email): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for email, row in re.findall(r'<tr>.*?<a href="[^"]+">(.*?)</a>(.*?)</tr>', results, re.S)
    }
    assert rows == {
        "omar@example.org": "Waiting for confirmation New issues only Sign-up form 30 Nov 2026 -",
        "jane@example.org": (
            "Subscribed Training and events, funding schemes Outlook contacts 4 Mar 2026 4 Mar 2026"
        ),
    }
    for heading in ("Email address", "Status", "Updates", "Source", "Signed up", "Confirmed"):
        assert f">{heading}</a>" in page or f">{heading}</span>" in page, heading


def test_the_list_counts_former_subscribers_without_listing_them(manager_client):
    FormerSubscriber.objects.create(address_hash="a" * 64)
    FormerSubscriber.objects.create(address_hash="b" * 64)
    page = manager_client.get(CHANGELIST).text
    assert "2 addresses have unsubscribed or been deleted" in page
    assert "kept only as a one-way hash" in page
    assert "a" * 64 not in page
    with pytest.raises(NoReverseMatch):
        reverse("admin:newsletters_formersubscriber_changelist")


def test_the_list_is_fetched_in_the_same_number_of_queries_however_long(manager_client):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            manager_client.get(CHANGELIST)
        return len(queries)

    subscriber("first@example.org")
    manager_client.get(CHANGELIST)
    few = queries_for_the_list()
    for n in range(20):
        subscriber(f"person{n}@example.org", funding=bool(n % 2), source=f"List {n % 3}")
    assert queries_for_the_list() == few


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"status__exact": "pending"}, {"b@example.org"}),
        ({"update": "training_and_events"}, {"a@example.org"}),
        ({"update": "funding"}, {"b@example.org"}),
        ({"update": "issues_only"}, {"c@example.org"}),
        ({"source": "Outlook contacts"}, {"c@example.org"}),
        ({"q": "B@EXAMPLE"}, {"b@example.org"}),
        # A topic typed into the address filters nothing rather than failing.
        ({"update": "nonsense"}, {"a@example.org", "b@example.org", "c@example.org"}),
    ],
)
def test_filters_and_search(manager_client, params, shown):
    subscriber("a@example.org", training_and_events=True)
    subscriber("b@example.org", status=Subscriber.Status.PENDING, funding=True)
    subscriber("c@example.org", source="Outlook contacts")
    response = manager_client.get(CHANGELIST, params)
    assert response.status_code == 200
    assert set(re.findall(r"\b[abc]@example\.org\b", response.text)) == shown


def test_subscribers_are_never_added_by_hand(manager_client, admin_client):
    assert manager_client.get(reverse("admin:newsletters_subscriber_add")).status_code == 403
    assert admin_client.get(reverse("admin:newsletters_subscriber_add")).status_code == 403
    page = manager_client.get(CHANGELIST).text
    assert "Add subscriber" not in page
    assert f'<a href="{IMPORT}">Import addresses</a>' in page


def test_only_the_updates_can_be_changed_and_the_key_is_never_shown(manager_client):
    jane = subscriber("jane@example.org", lawful_basis="Consent: signed up on 1 March 2026.")
    page = manager_client.get(change_url(jane)).text
    assert jane.key not in page
    assert 'name="email"' not in page and 'name="status"' not in page
    assert 'name="training_and_events"' in page and 'name="funding"' in page
    response = manager_client.post(
        change_url(jane),
        {
            "email": "someone.else@example.org",
            "status": "pending",
            "lawful_basis": "Made up",
            "funding": "on",
            # The inlines' management forms.
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
            "outbox-outboundemail-content_type-object_id-TOTAL_FORMS": "0",
            "outbox-outboundemail-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.text
    jane.refresh_from_db()
    assert (jane.email, jane.status, jane.funding) == ("jane@example.org", "confirmed", True)
    assert jane.lawful_basis == "Consent: signed up on 1 March 2026."


def test_the_change_page_shows_the_issues_sent_and_the_emails_about_the_subscription(
    manager_client,
):
    jane = subscriber("jane@example.org")
    issue = make_issue(title="Prevent Newsletter, July 2023")
    Delivery.objects.create(issue=issue, subscriber=jane)
    email_about(jane, "jane@example.org", kind=Subscriber.EmailKind.CONFIRM)
    page = manager_client.get(change_url(jane)).text
    assert "Issues sent to this address" in page
    assert "Prevent Newsletter, July 2023" in page
    assert "Queued for sending" in page
    assert "Emails about this subscription" in page
    assert "Confirm your subscription" in page


def test_managers_see_the_emails_about_subscribers_in_the_outbox_and_no_others(
    manager_client, coordinator
):
    jane = subscriber("jane@example.org")
    about_jane = email_about(jane, "jane@example.org")
    training_emails.queue_emails(make_training_request(email="requester@example.org"))
    page = manager_client.get(OUTBOX).text
    assert "For jane@example.org" in page
    assert "requester@example.org" not in page
    record = manager_client.get(reverse("admin:outbox_outboundemail_change", args=[about_jane.pk]))
    assert record.status_code == 200
    assert f'<a href="{change_url(jane)}">jane@example.org</a>' in record.text
    # And the training coordinators do not see the subscriber's.
    assert "jane@example.org" not in signed_in(coordinator).get(OUTBOX).text


def assert_left(address, subscriber_pk):
    assert not Subscriber.objects.filter(email=address).exists()
    assert FormerSubscriber.includes(address)
    entries = LogEntry.objects.filter(object_id=str(subscriber_pk))
    assert entries.exists()
    assert not entries.filter(object_repr__icontains=address).exists()


def test_deleting_a_subscriber_keeps_only_the_hash_and_removes_their_emails(
    manager, manager_client
):
    jane = subscriber("jane@example.org")
    other = subscriber("other@example.org")
    issue = make_issue()
    confirm = email_about(jane, "jane@example.org")
    issue_email = email_about(Delivery.objects.create(issue=issue, subscriber=jane), jane.email)
    others_email = email_about(Delivery.objects.create(issue=issue, subscriber=other), other.email)
    # A change made earlier names the address in the admin's history, as the admin logs it.
    LogEntry.objects.log_actions(manager.pk, [jane], CHANGE, "Changed Funding schemes.")

    confirmation = manager_client.get(delete_url(jane)).text
    assert "the same as their unsubscribing" in confirmation
    assert "kept only as a one-way hash" in confirmation
    response = manager_client.post(delete_url(jane), {"post": "yes"})

    assert response.status_code == 302
    assert_left("jane@example.org", jane.pk)
    assert not OutboundEmail.objects.filter(pk__in=[confirm.pk, issue_email.pk]).exists()
    assert OutboundEmail.objects.filter(pk=others_email.pk).exists()
    assert Subscriber.objects.filter(pk=other.pk).exists()


def test_deleting_selected_subscribers_makes_each_of_them_leave(manager_client):
    ann, bob, cat = (subscriber(f"{name}@example.org") for name in ("ann", "bob", "cat"))
    for someone in (ann, bob, cat):
        email_about(someone, someone.email)
    selected = {"action": "delete_selected", "_selected_action": [ann.pk, bob.pk]}

    confirmation = manager_client.post(CHANGELIST, selected).text
    assert "kept only as a one-way hash" in confirmation
    response = manager_client.post(CHANGELIST, {**selected, "post": "yes"})

    assert response.status_code == 302
    assert_left("ann@example.org", ann.pk)
    assert_left("bob@example.org", bob.pk)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["cat@example.org"]
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["cat@example.org"]
    assert "2 addresses have unsubscribed" in manager_client.get(CHANGELIST).text


# --- Import ---------------------------------------------------------------------------------

REALISTIC_LIST = "\r\n".join(
    [
        "Name,Email address,Organisation",
        "Jane Smith,Jane.Smith@Example.ORG,Westminster Academy",
        "Omar Khan,  omar@example.net  ,Church Street Library",
        "",
        "Typo,lee@example,Youth club",
        "Jane again,jane.smith@example.org,",
        "Pending,pending@example.org,",
        "Left,left@example.org,",
        'Formula,"=HYPERLINK(""http://evil.example"",""x"")",',
    ]
).encode()


def import_form(data, name="list.csv", **fields):
    return {
        "csv_file": SimpleUploadedFile(name, data, content_type="text/csv"),
        "source": "Prevent newsletter mailing list, Outlook contacts",
        "list_date": "01/10/2026",
        **fields,
    }


def test_the_import_form_asks_for_the_file_its_source_its_date_and_updates(manager_client):
    page = manager_client.get(IMPORT).text
    assert 'enctype="multipart/form-data"' in page
    for label in (
        "CSV file",
        "Where the list comes from",
        "Date of the list",
        "Also training and events",
        "Also funding schemes",
    ):
        assert label in page
    assert 'type="file" name="csv_file"' in page


def test_importing_a_realistic_list(manager_client, mailoutbox):
    subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    Subscriber.objects.create(email="left@example.org").leave()
    today = timezone.localdate()

    response = manager_client.post(
        IMPORT, import_form(codecs.BOM_UTF8 + REALISTIC_LIST, training_and_events="on")
    )

    assert response.status_code == 200
    imported = Subscriber.objects.exclude(email="pending@example.org")
    assert sorted(imported.values_list("email", flat=True)) == [
        "jane.smith@example.org",
        "omar@example.net",
    ]
    basis = (
        "Imported from Prevent newsletter mailing list, Outlook contacts, a list dated "
        f"1 October 2026, by Sam Team on {today:%-d %B %Y}."
    )
    for new in imported:
        assert new.status == Subscriber.Status.CONFIRMED
        assert new.source == "Prevent newsletter mailing list, Outlook contacts"
        assert new.lawful_basis == basis
        assert (new.training_and_events, new.funding) == (True, False)
    assert mailoutbox == [] and not OutboundEmail.objects.exists()

    page = response.text
    assert "2 addresses were imported; 5 rows were not imported (listed below)." in page
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Not valid email addresses (2)" in text
    assert "5 lee@example Not a valid email address" in text
    assert "9 =HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)" in text
    assert "Repeated in the file (1) " in text and "6 jane.smith@example.org Also in row 2" in text
    assert "Already on the list (1) " in text
    assert "7 pending@example.org Waiting for confirmation" in text
    assert "Unsubscribed before (1) " in text and "8 left@example.org" in text


def test_the_report_lists_a_limited_number_of_rows_of_each_kind(manager_client, monkeypatch):
    monkeypatch.setattr(subscriber_import, "SHOWN_ROWS", 2)
    data = b"Email\r\nbad-1\r\nbad-2\r\nbad-3\r\ngood@example.org\r\n"
    page = manager_client.post(IMPORT, import_form(data)).text
    assert "1 address was imported; 3 rows were not imported (listed below)." in page
    assert "Not valid email addresses (3)" in page
    assert "The first 2 are listed." in page
    assert "bad-1" in page and "bad-2" in page and "bad-3" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "does not hold text"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "This is an Excel workbook"),
        (b"", "The submitted file is empty."),
        (b"Name,Email address\r\n", "no addresses below its heading row"),
        (b"Name,Phone\r\nAnn,020 7641 6000\r\n", "No column of email addresses was found"),
        (b"Email\r\n" + b"a@example.org\r\n" * 800_000, "The file is larger than 2 MB"),
    ],
    ids=["binary", "excel", "empty", "only headings", "no email column", "10 MB"],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_clear_error(
    manager_client, data, message
):
    response = manager_client.post(IMPORT, import_form(data))
    assert response.status_code == 200
    assert "Please correct the error below." in response.text
    assert message in response.text
    assert response.text.count("<title>Error: ") == 1
    # What was typed is kept.
    assert 'value="Prevent newsletter mailing list, Outlook contacts"' in response.text
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source": ""}, "This field is required."),
        ({"source": "Line one\nline two"}, "must be on one line"),
        ({"list_date": ""}, "This field is required."),
        ({"list_date": "31/02/2026"}, "Enter a valid date."),
        ({"list_date": "not a date"}, "Enter a valid date."),
    ],
)
def test_the_source_and_date_are_required(manager_client, fields, message):
    response = manager_client.post(IMPORT, import_form(b"Email\r\na@example.org\r\n", **fields))
    assert response.status_code == 200
    assert message in response.text
    assert not Subscriber.objects.exists()


def test_the_date_of_the_list_cannot_be_in_the_future(manager_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = import_form(b"Email\r\na@example.org\r\n", list_date=f"{tomorrow:%d/%m/%Y}")
    response = manager_client.post(IMPORT, form)
    assert "The date of the list must be today or in the past." in response.text
    assert not Subscriber.objects.exists()


def test_a_post_without_a_file_is_an_error_not_a_failure(manager_client):
    response = manager_client.post(IMPORT, {"source": "x", "list_date": "01/10/2026"})
    assert response.status_code == 200
    assert "This field is required." in response.text


def test_only_managers_allowed_to_add_subscribers_may_import(manager, manager_client):
    Group.objects.get(name=MANAGERS).permissions.remove(
        Permission.objects.get(codename="add_subscriber")
    )
    assert manager_client.get(IMPORT).status_code == 403
    response = manager_client.post(IMPORT, import_form(b"Email\r\na@example.org\r\n"))
    assert response.status_code == 403
    assert not Subscriber.objects.exists()
    assert "Import addresses" not in manager_client.get(CHANGELIST).text
