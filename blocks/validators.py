"""Checks for hidden and control characters in what the public types, for every app's forms.

Nobody types these characters. NUL cannot be stored in PostgreSQL, a line break in a name could
end up in an email header, and invisible direction marks can make text read differently from
what is stored.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Unicode general categories.
CONTROL = frozenset({"Cc"})  # NUL, escape codes, tab and line breaks
LINE_BREAKING = CONTROL | {"Zl", "Zp"}  # and U+2028, U+2029 (line and paragraph separators)
HIDDEN = LINE_BREAKING | {"Cf"}  # and format characters: zero-width, direction marks …

# The format characters that reorder text.
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

EMAIL_FORMAT_MESSAGE = _("Enter an email address in the correct format, like name@example.com")


def is_hidden(ch, categories=HIDDEN, allowed=""):
    return ch not in allowed and unicodedata.category(ch) in categories


def has_hidden_characters(value, categories=HIDDEN, allowed=""):
    """True if value holds a character of one of these categories that is not allowed."""
    return any(is_hidden(ch, categories, allowed) for ch in value)


class PlainTextValidator:
    """Refuse control characters, with a message that names the answer.

    A one-line answer also refuses line and paragraph separators and the direction controls;
    a longer one keeps its line breaks and tabs.
    """

    def __init__(self, subject, multiline=False):
        self.multiline = multiline
        self.message = format_lazy(
            _("{subject} must not include hidden control characters")
            if multiline
            else _("{subject} must be on one line, without hidden control characters"),
            subject=subject,
        )
        self.bidi_message = format_lazy(
            _("{subject} must not include hidden characters that change the direction of text"),
            subject=subject,
        )

    def __call__(self, value):
        if self.multiline:
            refused = has_hidden_characters(value, CONTROL, allowed="\n\r\t")
        else:
            refused = has_hidden_characters(value, LINE_BREAKING)
        if refused:
            raise ValidationError(self.message, code="control_characters")
        if not self.multiline and any(ch in BIDI_CONTROLS for ch in value):
            raise ValidationError(self.bidi_message, code="bidi_characters")


class StrictEmailValidator(EmailValidator):
    """Django's email check, plus no quoted local parts and no hidden characters.

    Django accepts ``"a\\x0bb"@example.org``: valid by the RFC, but a vertical tab in a
    Reply-To or To header makes the email impossible to send. Nobody needs a quoted address to
    fill in a public form.
    """

    def __init__(self, message=EMAIL_FORMAT_MESSAGE, code="invalid", **kwargs):
        super().__init__(message=message, code=code, **kwargs)

    def __call__(self, value):
        if '"' in str(value) or has_hidden_characters(str(value)):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


validate_strict_email = StrictEmailValidator()


def is_sendable_address(value):
    """Whether an address can go in an email header (a Reply-To saved before a check existed)."""
    try:
        validate_strict_email(value)
    except ValidationError:
        return False
    return True


def one_line(value, max_length=250):
    """value on one line (control characters and runs of whitespace become one space), cut to
    max_length with an ellipsis: safe for an email header, where a line break would let whoever
    typed it add headers of their own."""
    text = "".join(" " if is_hidden(ch, CONTROL) else ch for ch in str(value))
    text = " ".join(text.split())
    return text if len(text) <= max_length else text[: max_length - 1] + "…"
