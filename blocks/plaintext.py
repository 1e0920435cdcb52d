"""The plain-text part of an email, as a mail program shows it best: lines of at most 78
characters, never split inside a link. Every email the site sends goes through wrap_text: the
outbox's when the worker sends them, the staff's password emails when Django sends them."""

import re
import textwrap

# RFC 5322's advice for a line of text: 78 characters.
TEXT_WIDTH = 78
_LIST_ITEM = re.compile(r"(\s*)(?:[-*] |\d+\. )?")


def wrap_text(text, width=TEXT_WIDTH):
    """Plain text with each line longer than ``width`` wrapped between words. Links have no
    spaces, so none is ever split; one longer than ``width`` stands on a line of its own. A list
    item's following lines are indented under its text."""
    lines = []
    for line in text.splitlines():
        if len(line) <= width:
            lines.append(line)
            continue
        indent = " " * _LIST_ITEM.match(line).end()
        lines += textwrap.wrap(
            line,
            width=width,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")
