import pytest
from django.core.exceptions import ValidationError

from blocks.validators import (
    PlainTextValidator,
    has_hidden_characters,
    one_line,
    validate_strict_email,
)


def messages(validator, value):
    try:
        validator(value)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize("value", ["Acme\x00", "Acme\r\nBcc: x@example.org", "A\tB", "A\u2028B"])
def test_a_one_line_answer_refuses_control_characters_and_line_separators(value):
    assert messages(PlainTextValidator("Organisation name"), value) == [
        "Organisation name must be on one line, without hidden control characters"
    ]


def test_a_one_line_answer_refuses_direction_controls_with_its_own_message():
    assert messages(PlainTextValidator("Full name"), "Amina\u202eKhan") == [
        "Full name must not include hidden characters that change the direction of text"
    ]


def test_a_longer_answer_keeps_line_breaks_and_tabs_but_not_other_control_characters():
    validator = PlainTextValidator("Anything else", multiline=True)
    assert messages(validator, "Line one\r\nLine two\tand \u2028 \u202e") == []
    assert messages(validator, "Hello\x1b[31m") == [
        "Anything else must not include hidden control characters"
    ]


@pytest.mark.parametrize("value", ["a\x0bb", "a\u200bb", "a\u202eb", "a\u2029b"])
def test_hidden_characters_include_format_characters_and_separators(value):
    assert has_hidden_characters(value)
    assert not has_hidden_characters("Amina Khan, Zoë O’Neil – ناصر")


@pytest.mark.parametrize(
    "email", ['"a\x0bb"@example.org', '"amina"@example.org', "amina\u200b@example.org"]
)
def test_quoted_addresses_and_hidden_characters_are_not_email_addresses(email):
    assert messages(validate_strict_email, email) == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert messages(validate_strict_email, "amina.khan@example.org") == []


def test_one_line_turns_control_characters_and_runs_of_space_into_one_space_and_cuts():
    assert one_line("a\r\nb\tc\x00d\x85e  \u2028 f") == "a b c d e f"
    assert one_line("x" * 1000) == "x" * 249 + "…"
    assert one_line("short", max_length=5) == "short"
