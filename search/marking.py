"""Search results' titles and extracts, escaped, with the words found in <mark>."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .index import MARK_END, MARK_START

# About 35 words, as PostgreSQL's headline gives.
EXTRACT_LENGTH = 220

_marked = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)
_markers = re.compile(f"[{MARK_START}{MARK_END}]")


def marked(headline):
    """A headline from PostgreSQL, escaped, with its marks made <mark>."""
    parts = []
    position = 0
    for match in _marked.finditer(headline):
        parts.append(escape(_markers.sub("", headline[position : match.start()])))
        parts.append(f"<mark>{escape(match.group(1))}</mark>")
        position = match.end()
    parts.append(escape(_markers.sub("", headline[position:])))
    return mark_safe("".join(parts))


def extract(text, words, length=EXTRACT_LENGTH):
    """About ``length`` characters of ``text`` around the first of ``words``, escaped, with each
    of them in <mark> (ignoring case), and … where the text was cut."""
    if not text:
        return ""
    pattern = words_pattern(words)
    first = pattern.search(text)
    start = 0
    if first and first.end() > length * 2 // 3:
        # Start a few words before the first match, at the start of a word.
        start = text.rfind(" ", 0, max(first.start() - length // 3, 0)) + 1
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    else:
        end = len(text)
    parts = ["… "] if start > 0 else []
    parts.append(marks(text[start:end], pattern))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))


def words_pattern(words):
    # From the start of a word: "son" is marked in "son's", not in "person".
    return re.compile(
        "|".join(r"\b" + re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!)",
        re.IGNORECASE,
    )


def marks(piece, pattern):
    parts = []
    position = 0
    for match in pattern.finditer(piece):
        parts.append(escape(piece[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(piece[position:]))
    return "".join(parts)


def mark(text, words):
    """All of ``text``, escaped, with each of ``words`` in <mark>."""
    return mark_safe(marks(text, words_pattern(words)))
