"""Whether an address typed into the request form can go in an email header."""

from django.core.exceptions import ValidationError

from prevent_site.validators import validate_strict_email


def is_sendable_address(value):
    try:
        validate_strict_email(value)
    except ValidationError:
        return False
    return True
