"""An email backend for local development: each message in a file of its own, named
``<when>-<subject>.eml``, holding the message exactly as it would go to the SMTP server, which a
mail program opens. Django's file backend writes every message of a connection into one .log
file, with separator lines, which no mail program reads."""

import email.policy
from datetime import datetime
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.utils.text import slugify


class EmailBackend(FileBackend):
    """FileBackend's checks of the folder in OPTIONS["file_path"] (made if missing), without
    its one stream per connection."""

    def open(self):
        return False

    def close(self):
        pass

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            try:
                self._write(message)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _write(self, message):
        raw = message.message(policy=email.policy.SMTP).as_bytes()
        stem = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{slugify(message.subject)[:50] or 'email'}"
        folder = Path(self.file_path)
        for attempt in range(100):
            name = f"{stem}.eml" if attempt == 0 else f"{stem}-{attempt}.eml"
            try:
                with open(folder / name, "xb") as file:
                    file.write(raw)
                return
            except FileExistsError:
                continue
        raise FileExistsError(f"Could not find a free file name for {stem}.eml in {folder}")
