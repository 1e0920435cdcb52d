"""UK postcodes as people type them ("sw1a1aa", "SW1A  1aa"), checked and written one way."""

import re

from django.core.exceptions import ValidationError

# Outward code (area and district: SW1A, W2, EC1V) then inward code (sector and unit: 1AA).
# The inward code's letters are never C, I, K, M, O or V.
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
MESSAGE = "Enter a real UK postcode, like SW1A 1AA, or leave it empty"


def normalise(value):
    """``value`` as a postcode is written, e.g. "sw1a1aa" → "SW1A 1AA"; "" if empty.

    Raises ValidationError if it is not a UK postcode.
    """
    compact = "".join(value.split()).upper()
    if not compact:
        return ""
    match = POSTCODE.match(compact)
    if not match:
        raise ValidationError(MESSAGE, code="invalid_postcode")
    return " ".join(match.groups())


def validate_postcode(value):
    normalise(value)


def district(postcode):
    """The postcode district (its outward code), e.g. "SW1A 1AA" → "SW1A"; "" if none."""
    return postcode.split(" ")[0] if postcode else ""
