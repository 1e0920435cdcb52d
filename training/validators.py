"""Checks shared by the request form and the code that builds its emails."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"

# Characters that are invisible or reorder text: nobody types them in a one-line answer, and
# they can make an address or a name read differently from what is stored.
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_hidden_characters(value, allowed=""):
    """True if value holds a control, format or line/paragraph separator character."""
    return any(
        ch not in allowed and (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")) for ch in value
    )


class StrictEmailValidator(EmailValidator):
    """Django's email check, plus no quoted local parts and no hidden characters.

    Django accepts ``"a\\x0bb"@example.org``: valid by the RFC, but a vertical tab in a
    Reply-To or To header makes the email impossible to send. Nobody needs a quoted address to
    ask for training.
    """

    def __init__(self, message=EMAIL_FORMAT_MESSAGE, code="invalid", **kwargs):
        super().__init__(message=message, code=code, **kwargs)

    def __call__(self, value):
        if '"' in str(value) or has_hidden_characters(str(value)):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


validate_strict_email = StrictEmailValidator()


def is_sendable_address(value):
    try:
        validate_strict_email(value)
    except ValidationError:
        return False
    return True
