import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.admin import add_months, month_start
from reports.models import Report, StatusChange
from tests.factories import make_report, make_report_photo

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reports_report_changelist")
SUMMARY = reverse("admin:reports_report_summary")


def change_url(report):
    return reverse("admin:reports_report_change", args=[report.pk])


def months_ago(months, day=15):
    """A moment in the month ``months`` before this one (UK time)."""
    start = add_months(month_start(timezone.localdate()), -months)
    return start.replace(day=day, hour=12)


def test_the_migration_creates_the_report_handlers_group_with_just_these_permissions():
    group = Group.objects.get(name="Report handlers")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "change_report",
        "delete_report",
        "view_outboundemail",
        "view_report",
        "view_reportphoto",
        "view_statuschange",
    ]


def test_report_handlers_see_the_list_with_reference_kind_place_status_and_photos(
    handler_client,
):
    report = make_report(reference="REP-2026-0042", place="Bus shelter, Edgware Road")
    make_report_photo(report)
    make_report_photo(report)
    html = handler_client.get(CHANGELIST).content.decode()
    assert "REP-2026-0042" in html
    assert "Bus shelter, Edgware Road" in html
    assert "Sticker" in html and "New" in html
    assert re.search(r'<td class="field-photo_count">2</td>', html)


@pytest.mark.parametrize("outsider", ["editor_client", "coordinator_client", "permissions"])
def test_nobody_outside_the_group_sees_reports_even_with_the_permissions(
    request, outsider, django_user_model
):
    if outsider == "permissions":
        user = django_user_model.objects.create_user("helpful-admin", is_staff=True)
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="reports"))
        staff = Client()
        staff.force_login(user)
    else:
        staff = request.getfixturevalue(outsider)
    report = make_report()
    assert staff.get(CHANGELIST).status_code == 403
    assert staff.get(change_url(report)).status_code == 403
    assert staff.get(SUMMARY).status_code == 403
    export = staff.post(CHANGELIST, {"action": "export_csv", "_selected_action": [report.pk]})
    assert export.status_code == 403
    delete = reverse("admin:reports_report_delete", args=[report.pk])
    assert staff.post(delete, {"post": "yes"}).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()
    assert "Reports from the public" not in staff.get(reverse("admin:index")).content.decode()


def test_superusers_see_reports(admin_client):
    make_report(reference="REP-2026-0001")
    assert "REP-2026-0001" in admin_client.get(CHANGELIST).content.decode()


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    for url in (CHANGELIST, SUMMARY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_reports_cannot_be_added_in_the_admin(handler_client, admin_client):
    assert handler_client.get(reverse("admin:reports_report_add")).status_code == 403
    assert admin_client.get(reverse("admin:reports_report_add")).status_code == 403


def listed(client, **params):
    html = client.get(CHANGELIST, params).content.decode()
    return set(re.findall(r"REP-\d{4}-\d{4}", html))


def test_filters_by_status_kind_and_month(handler_client):
    make_report(reference="REP-2026-0001", status=Report.Status.NEW, kind=Report.Kind.LEAFLET)
    make_report(reference="REP-2026-0002", status=Report.Status.REMOVED, kind="graffiti")
    make_report(reference="REP-2026-0003", received_at=months_ago(2))
    assert listed(handler_client, status__exact="removed") == {"REP-2026-0002"}
    assert listed(handler_client, kind__exact="leaflet") == {"REP-2026-0001"}
    two_months_ago = f"{months_ago(2):%Y-%m}"
    assert listed(handler_client, month=two_months_ago) == {"REP-2026-0003"}
    this_month = f"{timezone.localdate():%Y-%m}"
    assert listed(handler_client, month=this_month) == {"REP-2026-0001", "REP-2026-0002"}
    # The filter offers the months that have reports, by name.
    html = handler_client.get(CHANGELIST).content.decode()
    assert f"{months_ago(2):%B %Y}" in html


@pytest.mark.parametrize("month", ["2026-13", "nonsense", "2026-1-1", "' OR 1=1 --"])
def test_a_month_typed_into_the_address_lists_nothing_rather_than_failing(handler_client, month):
    make_report()
    response = handler_client.get(CHANGELIST, {"month": month})
    assert response.status_code == 200
    assert re.findall(r"REP-\d{4}-\d{4}", response.content.decode()) == []


def test_search_finds_reports_by_reference_postcode_and_place(handler_client):
    make_report(reference="REP-2026-0011", postcode="SW1A 1AA", place="Victoria Street")
    make_report(reference="REP-2026-0012", postcode="W2 1AA", place="Paddington Green")
    assert listed(handler_client, q="REP-2026-0011") == {"REP-2026-0011"}
    assert listed(handler_client, q="sw1a") == {"REP-2026-0011"}
    assert listed(handler_client, q="paddington") == {"REP-2026-0012"}


def test_handlers_move_the_status_on_and_add_notes_but_cannot_rewrite_the_report(
    handler_client, report_handler
):
    report = make_report(place="Original place", email="sam@example.org")
    make_report_photo(report)
    page = handler_client.get(change_url(report))
    html = page.content.decode()
    assert "Original place" in html and 'name="status"' in html and 'name="notes"' in html
    assert 'name="place"' not in html and 'name="email"' not in html
    response = handler_client.post(
        change_url(report),
        {
            "status": "passed-to-police",
            "notes": "Sent to the Met, ref 123",
            "place": "Changed",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "1",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            "outbox-outboundemail-content_type-object_id-TOTAL_FORMS": "0",
            "outbox-outboundemail-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.status == "passed-to-police"
    assert report.notes == "Sent to the Met, ref 123"
    assert report.place == "Original place"
    [change] = StatusChange.objects.filter(report=report)
    assert (change.status, change.changed_by) == ("passed-to-police", report_handler)
    # Who changed what and when, on the report's page.
    html = handler_client.get(change_url(report)).content.decode()
    assert "Passed to police" in html and "handler@westminster.gov.uk" in html


def test_saving_notes_alone_records_no_status_change(handler_client):
    report = make_report()
    response = handler_client.post(
        change_url(report),
        {
            "status": "new",
            "notes": "Looked at it",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            "outbox-outboundemail-content_type-object_id-TOTAL_FORMS": "0",
            "outbox-outboundemail-content_type-object_id-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert not StatusChange.objects.exists()


def test_the_report_page_shows_a_small_preview_linked_to_the_whole_photo(handler_client):
    report = make_report()
    photo = make_report_photo(report, size=(4000, 3000))
    html = handler_client.get(change_url(report)).content.decode()
    # The preview, not the whole photo, is what the page loads.
    assert f'src="{photo.get_preview_url()}"' in html
    assert f'src="{photo.get_absolute_url()}"' not in html
    assert f'href="{photo.get_absolute_url()}"' in html
    assert 'width="240" height="180"' in html
    assert "/media/" not in html.split('id="content"')[1]


def test_deleting_a_report_in_the_admin_deletes_its_photo_files(
    handler_client, settings, django_capture_on_commit_callbacks
):
    report = make_report()
    photo = make_report_photo(report)
    stored = settings.PRIVATE_MEDIA_ROOT / photo.image.name
    preview = settings.PRIVATE_MEDIA_ROOT / photo.preview_name
    assert stored.exists() and preview.exists()
    delete = reverse("admin:reports_report_delete", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = handler_client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not Report.objects.exists()
    assert not stored.exists() and not preview.exists()
    assert [p for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file()] == []


def export(client, *reports):
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [r.pk for r in reports]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_selected_reports_export_to_csv(handler_client):
    chosen = make_report(
        reference="REP-2026-0005",
        kind=Report.Kind.OTHER,
        kind_other="A banner",
        postcode="SW1A 1AA",
        email="sam@example.org",
    )
    make_report_photo(chosen)
    make_report(reference="REP-2026-0006")
    header, *rows = export(handler_client, chosen)
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Reference"] == "REP-2026-0005"
    assert row["What was seen"] == "Something else"
    assert row["Something else"] == "A banner"
    assert row["Postcode"] == "SW1A 1AA"
    assert row["Photos"] == "1"
    assert row["Email"] == "sam@example.org"
    assert row["Status"] == "New"


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_the_export_cannot_smuggle_spreadsheet_formulas(handler_client, formula):
    report = make_report(place=formula, description=formula, contact_name=formula)
    header, row = export(handler_client, report)
    row = dict(zip(header, row, strict=True))
    for column in ("Where", "What it says or shows", "Name"):
        assert row[column] == "'" + formula


def summary_table(html, heading):
    """{row heading: [cells]} of the table after the h2 that starts with ``heading``."""
    part = html.split(heading, 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", part, re.S):
        name = re.search(r"<th scope=\"row\">(.*?)</th>", row, re.S)
        if name:
            rows[name.group(1)] = [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]
    return rows


def test_the_summary_counts_reports_by_kind_and_district_for_each_of_12_months(
    handler_client,
):
    for postcode, kind, months in [
        ("W2 1AA", "sticker", 0),
        ("W2 3DE", "sticker", 0),
        ("W2 1AA", "leaflet", 1),
        ("SW1A 1AA", "leaflet", 11),
        ("", "graffiti", 3),
        ("W2 1AA", "sticker", 12),  # more than 12 months ago: left out
    ]:
        make_report(postcode=postcode, kind=kind, received_at=months_ago(months))
    response = handler_client.get(SUMMARY)
    assert response.status_code == 200
    html = response.content.decode()
    content = html.split('id="content-main"', 1)[1]
    assert content.count('<th scope="col">') == 2 * 14  # heading, 12 months, total
    this_month, last_month = f"{months_ago(0):%b %Y}", f"{months_ago(11):%b %Y}"
    assert html.index(last_month) < html.index(this_month)  # oldest month first
    by_kind = summary_table(html, "By kind")
    assert by_kind["Sticker"] == [0] * 11 + [2] + [2]
    assert by_kind["Leaflet"] == [1] + [0] * 9 + [1, 0] + [2]
    assert by_kind["Graffiti"][8] == 1 and by_kind["Graffiti"][-1] == 1
    assert by_kind["All reports"][-1] == 5
    by_district = summary_table(html, "By postcode district")
    # Most reports first, those without a postcode last.
    assert list(by_district) == ["W2", "SW1A", "No postcode"]
    assert by_district["W2"] == [0] * 10 + [1, 2] + [3]
    assert by_district["SW1A"][0] == 1

    leaflets = handler_client.get(SUMMARY, {"kind": "leaflet"}).content.decode()
    # One leaflet in each district: a tie is listed by name.
    assert list(summary_table(leaflets, "By postcode district")) == ["SW1A", "W2"]
    assert "leaflet only" in leaflets


@pytest.mark.parametrize("kind", ["nonsense", "<script>", ""])
def test_an_unknown_kind_in_the_summary_address_shows_every_kind(handler_client, kind):
    make_report(postcode="W2 1AA")
    response = handler_client.get(SUMMARY, {"kind": kind})
    assert response.status_code == 200
    assert "W2" in summary_table(response.content.decode(), "By postcode district")
    assert "<script>" not in response.content.decode()


def test_the_summary_is_linked_from_the_list(handler_client):
    assert f'href="{SUMMARY}"' in handler_client.get(CHANGELIST).content.decode()


def test_the_summary_takes_one_query_for_the_counts(handler_client, django_assert_num_queries):
    for months in range(12):
        make_report(received_at=months_ago(months), postcode=f"W{months + 1} 1AA")
    handler_client.get(SUMMARY)  # a running site has its content types cached
    # Session, user, the user's groups, their permissions (own and groups'), then the counts.
    with django_assert_num_queries(6):
        assert handler_client.get(SUMMARY).status_code == 200


def test_month_start_is_the_first_of_the_month_in_uk_time():
    start = month_start(datetime.date(2026, 7, 19))
    assert (start.year, start.month, start.day, start.hour) == (2026, 7, 1, 0)
    assert add_months(start, -7).strftime("%Y-%m") == "2025-12"
    assert add_months(start, 6).strftime("%Y-%m") == "2027-01"
