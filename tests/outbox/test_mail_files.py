"""Local development's email backend: one .eml file per message in sent-emails/."""

import re
from email import message_from_bytes, policy

import pytest

from outbox import sending
from tests.deploy.test_deploy import PRODUCTION_ENV, settings_in
from tests.factories import make_outbound_email

LINK = "https://prevent.example.gov.uk/newsletters/unsubscribe/" + "Wz" * 30 + ":1abc:xyz/"


@pytest.fixture
def sent_emails(settings, tmp_path):
    folder = tmp_path / "sent-emails"
    settings.MAILERS = {
        **settings.MAILERS,
        "default": {
            "BACKEND": "outbox.mailfiles.EmailBackend",
            "OPTIONS": {"file_path": str(folder)},
        },
    }
    return folder


@pytest.mark.django_db
def test_each_email_is_its_own_eml_file_that_a_mail_program_opens(sent_emails):
    make_outbound_email(
        to="amina.khan@example.org", subject="We have received your request", text=f"Hi\n{LINK}\n"
    )
    make_outbound_email(subject="New training request TEST-0001", text="For the team.")
    sending.send_pending()

    files = sorted(sent_emails.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    messages = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(m["Subject"] for m in messages) == [
        "New training request TEST-0001",
        "We have received your request",
    ]
    [acknowledgement] = [m for m in messages if m["To"] == "amina.khan@example.org"]
    assert acknowledgement["From"].addresses[0].display_name == "Westminster Prevent team"
    assert LINK in acknowledgement.get_body(("plain",)).get_content().splitlines()
    assert acknowledgement.get_body(("html",)) is not None
    # The raw message as it would go over SMTP: headers from the first byte, CRLF line ends,
    # nothing else in the file.
    raw = files[0].read_bytes()
    headers = raw.split(b"\r\n\r\n")[0].split(b"\r\n")
    assert all(re.match(rb"[A-Za-z-]+: |[ \t]", line) for line in headers), headers
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"-" * 79 not in raw


def test_local_development_writes_emails_as_eml_files_to_sent_emails():
    values = settings_in({**PRODUCTION_ENV, "DEBUG": "true"}, "MAILERS")
    default = values["MAILERS"]["default"]
    assert default["BACKEND"] == "outbox.mailfiles.EmailBackend"
    assert default["OPTIONS"]["file_path"].endswith("sent-emails")
