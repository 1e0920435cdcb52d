"""Finding entries for what someone typed: PostgreSQL's full-text search, or on other databases
(SQLite, the local default) every word looked for in the title and text.

Both give the same page the same things: the matching public entries, ranked, each with a short
extract whose matched words are in <mark>; and the number of matches of each kind.
"""

import difflib
import re
import unicodedata

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Length, Lower, Replace

from .index import MARK_END, MARK_START
from .marking import extract, mark, marked
from .models import SearchEntry, SearchLog, SearchWord, Synonym

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


# British and American spellings of the same word: each finds the other.
_SPELLINGS = [
    (re.compile(r"(i)s(e|ed|es|ing|ation|ations|er|ers)$"), r"\1z\2"),
    (re.compile(r"(i)z(e|ed|es|ing|ation|ations|er|ers)$"), r"\1s\2"),
    (re.compile(r"(y)s(e|ed|es|ing)$"), r"\1z\2"),
    (re.compile(r"(y)z(e|ed|es|ing)$"), r"\1s\2"),
    (re.compile(r"programmes?$"), "program"),
    (re.compile(r"programs?$"), "programme"),
    (re.compile(r"centres?$"), "center"),
    (re.compile(r"centers?$"), "centre"),
    (re.compile(r"(behavi|neighb|col|lab|fav|hon)ours?$"), r"\1or"),
    (re.compile(r"(behavi|neighb|col|lab|fav|hon)ors?$"), r"\1our"),
    (re.compile(r"defences?$"), "defense"),
    (re.compile(r"defenses?$"), "defence"),
]


def spellings(word):
    """The word and its other spelling, if it has one (radicalization, radicalisation)."""
    found = [word]
    for pattern, replacement in _SPELLINGS:
        other = pattern.sub(replacement, word)
        if other != word and other not in found:
            found.append(other)
    return found


# A quoted phrase or a word, either perhaps with a minus in front to leave it out.
_term = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def stop(words, quoted):
    return not quoted and words[0] in STOP_WORDS


class Terms:
    """What was typed, read as people mean it: groups of alternatives (a word, its other
    spelling and the team's synonyms for it; or a quoted phrase) of which a result should have
    as many as it can, and the words or phrases after a minus, which no result may have."""

    def __init__(self, text):
        # (words, quoted?) in the order typed; stop words too, as they may be part of a term
        # the team gave synonyms for ("further education").
        self.typed = []
        self.excluded = []
        for minus, phrase, word_minus, token in _term.findall(text.lower()):
            quoted = bool(phrase) or (not token)
            words = re.findall(r"\w+", phrase if quoted else token)
            if minus or word_minus:
                if words:
                    self.excluded.append(" ".join(words))
            elif quoted and words:
                self.typed.append((words, True))
            else:
                self.typed.extend(([w], False) for w in words)
        self.groups = [[" ".join(words)] for words, quoted in self.typed if not stop(words, quoted)]

    @property
    def words(self):
        """The single words typed (not the phrases), which spelling help may correct."""
        return [words[0] for words, quoted in self.typed if not quoted and not stop(words, quoted)]

    def expand(self, synonyms):
        """Each group with its other spellings and the synonyms ({term: [alternatives]}); a run of
        up to three words that is a term becomes one group."""
        groups, i = [], 0
        while i < len(self.typed):
            for n in (3, 2, 1):
                run = " ".join(w for words, _ in self.typed[i : i + n] for w in words)
                if n <= len(self.typed) - i and (n == 1 or run in synonyms):
                    break
            i += n
            if n == 1 and stop(*self.typed[i - 1]):
                continue
            alternatives = [run, *spellings(run), *synonyms.get(run, [])]
            groups.append(list(dict.fromkeys(alternatives)))
        self.groups = groups

    def marked_words(self):
        # Whole: a synonym "workshop to raise awareness of prevent" is marked where it is said,
        # not at every "to" and "of".
        return {a for group in self.groups for a in group}


def exact_title(text, terms):
    """The title is what was typed, or names it as its short name: "… (WRAP)"."""
    condition = Q(title__iexact=text)
    for word in terms.words:
        condition |= Q(title__iendswith=f"({word})")
    return Case(When(condition, then=1), default=0, output_field=IntegerField())


def count_of(conditions):
    return sum(
        (Case(When(c, then=1), default=0, output_field=IntegerField()) for c in conditions),
        Value(0),
    )


class FullTextSearch:
    """PostgreSQL: each group a tsquery over the stored, GIN-indexed search_vector."""

    def __init__(self, terms):
        def query(alternative):
            return SearchQuery(alternative, search_type="phrase", config=CONFIG)

        self.group_queries = []
        for group in terms.groups:
            combined = query(group[0])
            for alternative in group[1:]:
                combined |= query(alternative)
            self.group_queries.append(combined)
        self.query = None
        for group in self.group_queries:
            self.query = group if self.query is None else self.query | group
        for excluded in terms.excluded:
            if self.query is not None:
                self.query &= ~query(excluded)

    def conditions(self):
        return [Q(search_vector=q) for q in self.group_queries]

    def matching(self, entries):
        if self.query is None:
            return entries.none()
        return entries.filter(search_vector=self.query)

    def ranked(self, entries, exact):
        return entries.annotate(
            matched=count_of(self.conditions()),
            exact=exact,
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
        ).order_by("-matched", "-exact", "-rank", F("date").desc(nulls_last=True), "title", "pk")

    # Only what the results show: the text is read by ts_headline in the database.
    fields = ("kind", "title", "url", "date", "ends_on")

    def extract(self, entry, words):
        return marked(entry.headline)


def has(alternative):
    return Q(title__icontains=alternative) | Q(text__icontains=alternative)


class SimpleSearch:
    """Elsewhere: each group's words in the title or the text, ignoring case; entries with the
    most groups first, then those with them in their title, then those that say them most."""

    def __init__(self, terms):
        self.terms = terms

    def conditions(self):
        conditions = []
        for group in self.terms.groups:
            condition = Q()
            for alternative in group:
                condition |= has(alternative)
            conditions.append(condition)
        return conditions

    def matching(self, entries):
        conditions = self.conditions()
        if not conditions:
            return entries.none()
        condition = Q()
        for c in conditions:
            condition |= c
        entries = entries.filter(condition)
        for excluded in self.terms.excluded:
            entries = entries.exclude(has(excluded))
        return entries

    def ranked(self, entries, exact):
        alternatives = [a for group in self.terms.groups for a in group]
        in_title = count_of(Q(title__icontains=a) for a in alternatives)
        # How often each word occurs in the text: the length it loses when they are taken out.
        occurrences = sum(
            (
                (Length("text") - Length(Replace(Lower("text"), Value(a), Value("")))) / len(a)
                for a in alternatives
            ),
            Value(0),
        )
        return entries.annotate(
            matched=count_of(self.conditions()),
            exact=exact,
            in_title=in_title,
            occurrences=occurrences,
        ).order_by(
            "-matched",
            "-exact",
            "-in_title",
            "-occurrences",
            F("date").desc(nulls_last=True),
            "title",
            "pk",
        )

    fields = ("kind", "title", "url", "date", "ends_on", "text")

    def extract(self, entry, words):
        return extract(entry.text, words)


def synonyms():
    """{words: [other words]} from the team's synonyms, each way round ("FGM" finds "female
    genital mutilation", and that finds "FGM"). All of them in one query on every search, so a
    change made in the admin is used by the next search on every server; the list is short."""
    found = {}
    for synonym in Synonym.objects.all():
        alternatives = synonym.alternative_list()
        found.setdefault(synonym.term, []).extend(alternatives)
        for alternative in alternatives:
            found.setdefault(alternative, []).append(synonym.term)
    return found


def suggestion(terms):
    """A search with each word the index does not contain replaced by the nearest word it does
    (PostgreSQL: by trigram similarity; elsewhere with difflib), or None: one query."""
    words = [w for w in terms.words if len(w) >= 4 and not w.isdigit()]
    if not words:
        return None
    if connection.vendor == "postgresql":
        near = Q(word__in=words)
        for word in words:
            near |= Q(word__trigram_similar=word)
        vocabulary = set(SearchWord.objects.filter(near).values_list("word", flat=True)[:500])
    else:
        vocabulary = set(SearchWord.objects.values_list("word", flat=True))
    changed = False
    corrected = []
    for words_typed, quoted in terms.typed:
        word = words_typed[0]
        if quoted or word not in words or any(s in vocabulary for s in spellings(word)):
            corrected.append(f'"{" ".join(words_typed)}"' if quoted else word)
            continue
        close = difflib.get_close_matches(word, sorted(vocabulary), n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
        changed = changed or bool(close)
    return " ".join(corrected) if changed else None


def searcher(terms):
    if connection.vendor == "postgresql":
        return FullTextSearch(terms)
    return SimpleSearch(terms)


class Search:
    """One search: what was typed (already clean()ed) and, optionally, the kind to show."""

    def __init__(self, text, kind=None):
        self.text, self.kind = text, kind
        self.terms = Terms(text)
        self.terms.expand(synonyms() if self.terms.groups else {})
        self.searcher = searcher(self.terms)
        self.matches = self.searcher.matching(SearchEntry.objects.public())
        self.words = self.terms.marked_words()

    def counts(self):
        """({kind: number of matches}, number of matches with every group), in one query."""
        every = Q()
        for condition in self.searcher.conditions():
            every &= condition
        rows = (
            self.matches.order_by()
            .values_list("kind")
            .annotate(n=Count("pk"), complete=Count("pk", filter=every))
        )
        counts, complete = {}, 0
        for kind, n, with_every in rows:
            counts[kind] = n
            complete += with_every
        return counts, complete

    def ranked(self):
        """The matches of the chosen kind, best first (evaluate a slice of it)."""
        entries = self.matches.filter(kind=self.kind) if self.kind else self.matches
        return self.searcher.ranked(
            entries.only(*self.searcher.fields), exact_title(self.text, self.terms)
        )

    def extract(self, entry):
        return self.searcher.extract(entry, self.words)

    def title(self, entry):
        """The title with the words found marked, as names of people are in the text."""
        return mark(entry.title, self.words)

    def suggestion(self):
        return suggestion(self.terms)
