"""Finding entries for what someone typed: PostgreSQL's full-text search, or on other databases
(SQLite, the local default) every word looked for in the title and text.

Both give the same page the same things: the matching public entries, ranked, each with a short
extract whose matched words are in <mark>; and the number of matches of each kind.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Length, Lower, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .index import MARK_END, MARK_START
from .models import SearchEntry, SearchLog

MAX_LENGTH = SearchLog.TERM_LENGTH
CONFIG = "english"

# PostgreSQL's English stop words (the Snowball list in tsearch_data/english.stop), which its
# full-text search leaves out: the simple search leaves them out too, so "places of worship"
# needs the same words on both.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)
# About 35 words, as PostgreSQL's headline gives.
EXTRACT_LENGTH = 220

_marked = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)
_markers = re.compile(f"[{MARK_START}{MARK_END}]")


def clean(raw):
    """What someone typed, made safe to search for and log: control characters (NUL among them)
    taken out, runs of spaces made one, and cut to at most MAX_LENGTH characters."""
    text = "".join(c for c in raw if c.isspace() or unicodedata.category(c) != "Cc")
    text = " ".join(text.split())
    if len(text) > MAX_LENGTH:
        # At the end of a word if there is one: half a word would have to be found too.
        cut = text[: MAX_LENGTH + 1]
        text = cut[: cut.rfind(" ")] if " " in cut else cut[:MAX_LENGTH]
    return text


def log_term(text):
    """The form a search is logged in, so that "WRAP" and "wrap " count as one."""
    return text.lower()[:MAX_LENGTH]


class FullTextSearch:
    """PostgreSQL: websearch_to_tsquery over the stored, GIN-indexed search_vector."""

    def __init__(self, text):
        self.query = SearchQuery(text, search_type="websearch", config=CONFIG)

    def matching(self, entries):
        return entries.filter(search_vector=self.query)

    def ranked(self, entries):
        return entries.annotate(
            rank=SearchRank(F("search_vector"), self.query),
            headline=SearchHeadline(
                "text",
                self.query,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                # One fragment around the words found, rather than text starting with them.
                max_fragments=1,
                max_words=35,
                min_words=20,
            ),
        ).order_by("-rank", F("date").desc(nulls_last=True), "title", "pk")

    # Only what the results show: the text is read by ts_headline in the database.
    fields = ("kind", "title", "url", "date")

    def extract(self, entry):
        return marked(entry.headline)


class SimpleSearch:
    """Elsewhere: every word (bar stop words) in the title or the text, ignoring case; entries
    with the words in their title first, then those that say them most."""

    def __init__(self, text):
        found = re.findall(r"\w+", text.lower())
        self.words = list(dict.fromkeys(w for w in found if w not in STOP_WORDS))

    def matching(self, entries):
        if not self.words:
            return entries.none()
        for word in self.words:
            entries = entries.filter(Q(title__icontains=word) | Q(text__icontains=word))
        return entries

    def ranked(self, entries):
        if not self.words:
            return entries
        in_title = sum(
            Case(When(title__icontains=word, then=1), default=0, output_field=IntegerField())
            for word in self.words
        )
        # How often each word occurs in the text: the length it loses when they are taken out.
        occurrences = sum(
            (Length("text") - Length(Replace(Lower("text"), Value(word), Value("")))) / len(word)
            for word in self.words
        )
        return entries.annotate(in_title=in_title, occurrences=occurrences).order_by(
            "-in_title", "-occurrences", F("date").desc(nulls_last=True), "title", "pk"
        )

    fields = ("kind", "title", "url", "date", "text")

    def extract(self, entry):
        return extract(entry.text, self.words)


def searcher(text):
    if connection.vendor == "postgresql":
        return FullTextSearch(text)
    return SimpleSearch(text)


class Search:
    """One search: what was typed (already clean()ed) and, optionally, the kind to show."""

    def __init__(self, text, kind=None):
        self.text, self.kind = text, kind
        self.searcher = searcher(text)
        self.matches = self.searcher.matching(SearchEntry.objects.public())

    def counts(self):
        """{kind: number of matches} for every kind with any, in one query."""
        rows = self.matches.order_by().values_list("kind").annotate(n=Count("pk"))
        return dict(rows)

    def ranked(self):
        """The matches of the chosen kind, best first (evaluate a slice of it)."""
        entries = self.matches.filter(kind=self.kind) if self.kind else self.matches
        return self.searcher.ranked(entries.only(*self.searcher.fields))

    def extract(self, entry):
        return self.searcher.extract(entry)


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
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!)",
        re.IGNORECASE,
    )
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
    piece = text[start:end]
    parts = ["… "] if start > 0 else []
    position = 0
    for match in pattern.finditer(piece):
        parts.append(escape(piece[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(piece[position:]))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))
