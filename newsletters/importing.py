"""Importing the list of addresses the team already sends the newsletter to (a CSV file).

A valid address that is new to the list becomes a confirmed subscriber, with the list it came
from as its lawful basis, and nothing is emailed. Every other row is reported, never imported:
an invalid address, one repeated in the file, one already on the list, and one that left.
"""

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from blocks.validators import one_line, validate_strict_email

from .models import FormerSubscriber, Subscriber, address_hash, normalise_address

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 50_000
TOO_LARGE = (
    f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split the list into smaller files "
    "and import each of them."
)
# A cell is shown in the report up to this many characters.
SHOWN_LENGTH = 80
# How many addresses are looked up in one query.
CHUNK = 500

DELIMITERS = (",", ";", "\t")
# Headings of an email column as spreadsheets and address books write them, in letters only:
# "Email address", "E-mail Address" (Outlook), "E-mail 1 - Value" (Google contacts)…
EMAIL_HEADINGS = {
    "email",
    "emails",
    "emailaddress",
    "emailaddresses",
    "mail",
    "emailvalue",
    "primaryemail",
}
# "Jane Smith <jane@example.org>", as address books copy an address.
NAMED_ADDRESS = re.compile(r"<([^<>]*)>\s*$")


class ImportProblem(Exception):
    """Why nothing at all was imported, in words for the person importing."""


@dataclass
class Skipped:
    row: int
    value: str
    reason: str = ""


@dataclass
class Addresses:
    """The file's rows: the valid addresses by row number, and the rows that cannot be."""

    valid: dict[int, str] = field(default_factory=dict)
    invalid: list[Skipped] = field(default_factory=list)
    repeated: list[Skipped] = field(default_factory=list)


@dataclass
class Result:
    imported: int = 0
    invalid: list[Skipped] = field(default_factory=list)
    repeated: list[Skipped] = field(default_factory=list)
    on_the_list: list[Skipped] = field(default_factory=list)
    left: list[Skipped] = field(default_factory=list)

    @property
    def not_imported(self):
        return len(self.invalid) + len(self.repeated) + len(self.on_the_list) + len(self.left)


def decode(data):
    """The file's text: UTF-8 with or without a byte-order mark (as Excel saves “CSV UTF-8”),
    UTF-16 with one (Excel's “Unicode text”), or else Windows-1252 (Excel's plain “CSV”)."""
    if data.startswith(b"PK\x03\x04"):
        raise ImportProblem(
            "This is an Excel workbook (or another zipped file), not a CSV file. In Excel, "
            "choose File, Save a copy, and the type “CSV UTF-8 (comma delimited)”."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
    raise ImportProblem(
        "This file is not a CSV file: it does not hold text. Save the list as CSV (comma "
        "separated values) and choose that file."
    )


def read_rows(text, delimiter):
    """(row number, cells) for each row, as a spreadsheet numbers them."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as error:
        raise ImportProblem(
            f"Row {number + 1} of the file could not be read ({error}). Check that the file is "
            "a CSV file."
        ) from error


def is_blank(cells):
    return not any(cell.strip() for cell in cells)


def guess_delimiter(text):
    """Comma, semicolon (Excel where the decimal mark is a comma) or tab: the one that splits
    the first rows into the same number of cells, the most; a comma if none does."""
    best, best_width = ",", 1
    for delimiter in DELIMITERS:
        try:
            sample = [
                cells
                for _, cells in itertools.islice(read_rows(text, delimiter), 20)
                if not is_blank(cells)
            ]
        except ImportProblem:
            continue
        widths = {len(cells) for cells in sample}
        if len(widths) == 1 and (width := widths.pop()) > best_width:
            best, best_width = delimiter, width
    return best


def is_email_heading(cell):
    return re.sub(r"[^a-z]", "", cell.lower()) in EMAIL_HEADINGS


def looks_like_address(cell):
    return "@" in cell


def shown(value):
    return one_line(value, SHOWN_LENGTH)


def read_addresses(data):
    """The addresses in a CSV file (bytes), checked, with the rows that are not.

    Raises ImportProblem when the file cannot be read, has no email column, or is too long.
    """
    if len(data) > MAX_BYTES:
        raise ImportProblem(TOO_LARGE)
    text = decode(data)
    if not text.strip():
        raise ImportProblem("The file is empty.")
    rows = read_rows(text, guess_delimiter(text))
    first = next(((number, cells) for number, cells in rows if not is_blank(cells)), None)
    if first is None:
        raise ImportProblem("The file is empty.")
    headings = [i for i, cell in enumerate(first[1]) if is_email_heading(cell)]
    if headings:
        column = headings[0]
    else:
        # No heading row: the first row is an address already.
        addresses = [i for i, cell in enumerate(first[1]) if looks_like_address(cell)]
        if not addresses:
            raise ImportProblem(
                "No column of email addresses was found. Give the column the heading “Email "
                "address” in the first row, or make sure the first row holds an address."
            )
        column = addresses[0]
        rows = itertools.chain([first], rows)

    found = Addresses()
    first_row = {}
    count = 0
    for number, cells in rows:
        if is_blank(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportProblem(
                f"The file has more than {MAX_ROWS:,} addresses. Split the list into smaller "
                "files and import each of them."
            )
        cell = cells[column].strip() if column < len(cells) else ""
        named = NAMED_ADDRESS.search(cell)
        value = named.group(1).strip() if named else cell
        if not value:
            # The rest of the row says whose address is missing.
            row = ", ".join(cell.strip() for cell in cells if cell.strip())
            found.invalid.append(Skipped(number, shown(row), "No email address in this row"))
            continue
        if len(value) > Subscriber._meta.get_field("email").max_length:
            found.invalid.append(Skipped(number, shown(cell), "Too long to be an email address"))
            continue
        try:
            validate_strict_email(value)
        except ValidationError:
            found.invalid.append(Skipped(number, shown(cell), "Not a valid email address"))
            continue
        address = normalise_address(value)
        if address in first_row:
            found.repeated.append(
                Skipped(number, shown(address), f"Also in row {first_row[address]}")
            )
            continue
        first_row[address] = number
        found.valid[number] = address
    if not count:
        raise ImportProblem("The file has no addresses below its heading row.")
    return found


def chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def lawful_basis(source, list_date, imported_by, today=None):
    today = today or timezone.localdate()
    return (
        f"Imported from {source}, a list dated {list_date:%-d %B %Y}, by {imported_by} on "
        f"{today:%-d %B %Y}."
    )


def import_addresses(found, *, source, basis, updates=()):
    """Add the new addresses among ``found`` (read_addresses) as confirmed subscribers with the
    ``updates`` chosen (values of Subscriber.Update), in one transaction, and report every row
    that was not added."""
    result = Result(invalid=found.invalid, repeated=found.repeated)
    status = {}
    for chunk in chunks(found.valid.values()):
        status.update(Subscriber.objects.filter(email__in=chunk).values_list("email", "status"))
    hashes = {address_hash(address) for address in found.valid.values()}
    left = set()
    for chunk in chunks(hashes):
        left.update(
            FormerSubscriber.objects.filter(address_hash__in=chunk).values_list(
                "address_hash", flat=True
            )
        )

    now = timezone.now()
    new = []
    for number, address in found.valid.items():
        if address in status:
            reason = Subscriber.Status(status[address]).label
            result.on_the_list.append(Skipped(number, shown(address), reason))
        elif address_hash(address) in left:
            result.left.append(Skipped(number, shown(address)))
        else:
            subscriber = Subscriber(
                email=address,
                status=Subscriber.Status.CONFIRMED,
                source=source,
                lawful_basis=basis,
                created_at=now,
                confirmed_at=now,
            )
            subscriber.choose_updates(updates)
            new.append(subscriber)
    try:
        with transaction.atomic():
            Subscriber.objects.bulk_create(new, batch_size=CHUNK)
    except IntegrityError as error:
        raise ImportProblem(
            "Someone signed up with one of these addresses while the file was being imported, "
            "so nothing was imported. Import the file again."
        ) from error
    result.imported = len(new)
    return result
