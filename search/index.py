"""The search index: one SearchEntry for each thing the site search can find.

Each kind of item says what it puts in its entry with ``search_document()``, next to its
``get_absolute_url()``: the title, the text (rich or plain; indexed as plain words), the date
shown in results, and optionally "published_with", the item whose publication it follows.
Entries are rewritten whenever an item is saved (connect_signals, from SearchConfig.ready), and
all at once by ``manage.py rebuild_search_index``.
"""

import datetime
import html
import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.html import strip_tags

from blocks import richtext
from blocks.publishing import Publishable, Status

from .models import SearchEntry, SearchWord
from .pages import PAGES

# Where ts_headline marks the words it found (search.query turns them into <mark>). Characters
# from Unicode's private use area, which editors' text never needs: they are taken out of every
# entry, so nothing in the content can pass for a mark.
MARK_START, MARK_END = "\ue000", "\ue001"

# Items that are not scheduled (team members, contacts…) are public as soon as they exist. A
# fixed moment in the past rather than the time they were indexed, so that indexing the same
# content again writes the same rows.
ALWAYS = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

# Words in a heading count for more than words in the text (ts_rank weighs A above B).
VECTOR = SearchVector("title", weight="A", config="english") + SearchVector(
    "text", weight="B", config="english"
)

_block_tag = re.compile(r"</?(?:p|br|h[1-6]|li|ul|ol|div|blockquote)\b[^>]*>", re.IGNORECASE)
_markers = re.compile(f"[{MARK_START}{MARK_END}]")


def plain(text):
    """Rich or plain text as plain words: tags out (with a space where a block ended, so
    paragraphs do not run together), entities decoded, whitespace collapsed."""
    text = _block_tag.sub(" ", richtext.sanitise(text)) if "<" in text else text
    text = html.unescape(strip_tags(text))
    return " ".join(_markers.sub("", text).split())


def words(*parts):
    return " ".join(plain(part) for part in parts if part)


def public_from(document, item):
    """When the entry becomes public: a scheduled item (or the item it is published with) from
    its publish-at time, a draft never (None), anything else always."""
    item = document.get("published_with", item)
    if not isinstance(item, Publishable):
        return ALWAYS
    return item.publish_at if item.status == Status.PUBLISHED else None


def entry(kind, item):
    document = item.search_document()
    return {
        "kind": kind,
        "title": document["title"],
        "text": words(*document.get("text", ())),
        "url": item.get_absolute_url(),
        "date": document.get("date"),
        "ends_on": document.get("ends"),
        "public_from": public_from(document, item),
    }


@dataclass(frozen=True)
class Source:
    kind: str
    # What search_document() or get_absolute_url() reads through a foreign key, fetched with
    # the item.
    related: tuple = ()
    # Reverse relations whose entries show something of this item (a section shows its issue's
    # address, month and publication), rewritten with it.
    dependants: tuple = ()


Kind = SearchEntry.Kind
SOURCES = {
    "newsletters.Issue": Source(Kind.ISSUE, dependants=("sections",)),
    "newsletters.Section": Source(Kind.SECTION, related=("issue",)),
    "training.Workshop": Source(Kind.WORKSHOP),
    "training.Event": Source(Kind.EVENT),
    "resources.FundingScheme": Source(Kind.SCHEME),
    "training.CommunityProject": Source(Kind.PROJECT),
    "resources.ResourceLink": Source(Kind.LINK),
    "resources.Contact": Source(Kind.CONTACT),
    "resources.TeamMember": Source(Kind.MEMBER),
    "resources.HelpRoute": Source(Kind.HELP),
    "resources.Topic": Source(Kind.PAGE),
    "resources.Audience": Source(Kind.PAGE),
}
ENTRY_FIELDS = ["kind", "title", "text", "url", "date", "ends_on", "public_from"]

# The words "Did you mean …?" may offer: letters only, long enough to be worth correcting.
_vocabulary_word = re.compile(r"[^\W\d_]{4,40}")


def add_words(entries, using):
    found = set()
    for e in entries:
        found.update(_vocabulary_word.findall(f"{e.title} {e.text}".lower()))
    SearchWord.objects.using(using).bulk_create(
        [SearchWord(word=w) for w in sorted(found)], ignore_conflicts=True, batch_size=BATCH
    )


BATCH = 500


def write(items, using=DEFAULT_DB_ALIAS):
    """Create or rewrite the entries of ``items``, all of one model, in two queries."""
    if not items:
        return
    model = type(items[0])
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    kind = SOURCES[model._meta.label].kind
    entries = [
        SearchEntry(content_type=content_type, object_id=item.pk, **entry(kind, item))
        for item in items
    ]
    SearchEntry.objects.using(using).bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=ENTRY_FIELDS,
    )
    if connections[using].vendor == "postgresql":
        SearchEntry.objects.using(using).filter(
            content_type=content_type, object_id__in=[item.pk for item in items]
        ).update(search_vector=VECTOR)
    add_words(entries, using)


def write_pages(using=DEFAULT_DB_ALIAS):
    """The site's own pages (search.pages), which no save announces: written by rebuild() and
    after each migrate."""
    entries = [
        SearchEntry(content_type=None, object_id=number, **entry(Kind.PAGE, page))
        for number, page in enumerate(PAGES)
    ]
    with transaction.atomic(using=using):
        pages = SearchEntry.objects.using(using).filter(content_type__isnull=True)
        pages.delete()
        SearchEntry.objects.using(using).bulk_create(entries)
        if connections[using].vendor == "postgresql":
            pages.update(search_vector=VECTOR)
    add_words(entries, using)


def remove(item, using=DEFAULT_DB_ALIAS):
    content_type = ContentType.objects.db_manager(using).get_for_model(type(item))
    SearchEntry.objects.using(using).filter(content_type=content_type, object_id=item.pk).delete()


def with_related(items, source):
    return items.select_related(*source.related) if source.related else items


def rebuild(using=DEFAULT_DB_ALIAS):
    """Every entry again from the content; returns how many there are."""
    total = 0
    with transaction.atomic(using=using):
        SearchEntry.objects.using(using).all().delete()
        SearchWord.objects.using(using).all().delete()
        write_pages(using)
        total += len(PAGES)
        for label, source in SOURCES.items():
            model = apps.get_model(label)
            items = with_related(model._base_manager.using(using), source).order_by("pk")
            batch = []
            for item in items.iterator(chunk_size=BATCH):
                batch.append(item)
                if len(batch) == BATCH:
                    write(batch, using)
                    total, batch = total + len(batch), []
            write(batch, using)
            total += len(batch)
    return total


# --- Staying current ---------------------------------------------------------------------------


def item_saved(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    # Fixtures (raw saves) may arrive before what they point to: rebuild_search_index after.
    if raw:
        return
    write([instance], using=using)
    for name in SOURCES[sender._meta.label].dependants:
        related = getattr(instance, name).using(using)
        source = SOURCES[related.model._meta.label]
        write(list(with_related(related, source)), using=using)


def item_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    # A deleted issue's sections go too, each with its own post_delete.
    remove(instance, using=using)


def pages_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    # Only when the tables are as the code expects: a migrate back to an earlier state leaves
    # them without today's columns. (flush sends no state: its tables are today's.)
    if apps is not None:
        try:
            apps.get_model("search", "SearchWord")
        except LookupError:
            return
    write_pages(using)


def connect_signals(app_config):
    from django.db.models.signals import post_delete, post_migrate, post_save

    post_migrate.connect(pages_after_migrate, sender=app_config, dispatch_uid="search-pages")
    for label in SOURCES:
        model = apps.get_model(label)
        post_save.connect(item_saved, sender=model, dispatch_uid=f"search-save-{label}")
        post_delete.connect(item_deleted, sender=model, dispatch_uid=f"search-delete-{label}")
