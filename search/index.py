"""The search index: one SearchEntry for each thing the site search can find.

Entries are rewritten whenever an item is saved (connect_signals, from SearchConfig.ready), and
all at once by ``manage.py rebuild_search_index``. Each is built from the item's fields alone, not
its methods, so that migration 0002 can build them from historical models;
tests/search/test_index.py holds each entry's address to the item's get_absolute_url().
"""

import datetime
import html
import re
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.postgres.search import SearchVector
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from prevent_site import richtext
from prevent_site.publishing import Status

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


def published_from(item):
    """When a scheduled item becomes public; None (never) for a draft."""
    return item.publish_at if item.status == Status.PUBLISHED else None


def local_date(moment):
    return timezone.localtime(moment).date()


# --- What each kind of item puts in its entry: kind, title, text, url, date, public_from --------


def issue_entry(issue):
    return {
        "kind": "issue",
        "title": issue.title,
        "text": words(issue.summary),
        "url": reverse("newsletters:issue-detail", kwargs={"slug": issue.slug}),
        "date": issue.month,
        "public_from": published_from(issue),
    }


def section_entry(section):
    issue = section.issue
    return {
        "kind": "section",
        "title": section.heading,
        "text": words(section.body),
        "url": reverse("newsletters:issue-detail", kwargs={"slug": issue.slug})
        + f"#{section.slug}",
        "date": issue.month,
        "public_from": published_from(issue),
    }


def workshop_entry(workshop):
    # As the lists show it: "Workshop to Raise Awareness of Prevent (WRAP)".
    title = f"{workshop.title} ({workshop.short_name})" if workshop.short_name else workshop.title
    return {
        "kind": "workshop",
        "title": title,
        "text": words(
            workshop.summary,
            workshop.body,
            workshop.audiences,
            workshop.learning_outcomes,
            workshop.partner,
        ),
        "url": reverse("training:workshop-detail", kwargs={"slug": workshop.slug}),
        "date": None,
        "public_from": published_from(workshop),
    }


def event_entry(event):
    return {
        "kind": "event",
        "title": event.title,
        "text": words(event.description, event.organiser, event.venue),
        "url": reverse("training:event-detail", kwargs={"slug": event.slug}),
        "date": local_date(event.starts_at),
        "public_from": published_from(event),
    }


def scheme_entry(scheme):
    return {
        "kind": "scheme",
        "title": scheme.name,
        "text": words(
            scheme.summary,
            scheme.funder,
            scheme.who_can_apply,
            scheme.what_it_covers,
            scheme.how_to_apply,
        ),
        "url": reverse("resources:scheme-detail", kwargs={"slug": scheme.slug}),
        "date": scheme.opens_on,
        "public_from": published_from(scheme),
    }


def project_entry(project):
    return {
        "kind": "project",
        "title": project.title,
        "text": words(project.summary, project.body, project.outcomes, project.delivery_partner),
        "url": reverse("training:project-detail", kwargs={"slug": project.slug}),
        "date": None,
        "public_from": ALWAYS,
    }


def link_entry(link):
    return {
        "kind": "link",
        "title": link.title,
        "text": words(link.description, link.publisher),
        "url": reverse("resources:link-list") + f"#{link.slug}",
        "date": None,
        "public_from": ALWAYS,
    }


def contact_entry(contact):
    return {
        "kind": "contact",
        "title": contact.service,
        "text": words(contact.purpose, contact.email, contact.phone),
        "url": reverse("resources:contact-list") + f"#{contact.slug}",
        "date": None,
        "public_from": ALWAYS,
    }


def member_entry(member):
    return {
        "kind": "member",
        "title": member.name,
        "text": words(member.role, member.bio),
        "url": reverse("resources:team") + f"#{member.slug}",
        "date": None,
        "public_from": ALWAYS,
    }


@dataclass(frozen=True)
class Source:
    build: object
    # What build() reads through a foreign key, fetched with the item.
    related: tuple = ()
    # Reverse relations whose entries show something of this item (a section shows its issue's
    # address, month and publication), rewritten with it.
    dependants: tuple = ()


SOURCES = {
    "newsletters.Issue": Source(issue_entry, dependants=("sections",)),
    "newsletters.Section": Source(section_entry, related=("issue",)),
    "training.Workshop": Source(workshop_entry),
    "training.Event": Source(event_entry),
    "resources.FundingScheme": Source(scheme_entry),
    "training.CommunityProject": Source(project_entry),
    "resources.ResourceLink": Source(link_entry),
    "resources.Contact": Source(contact_entry),
    "resources.TeamMember": Source(member_entry),
}
ENTRY_FIELDS = ["kind", "title", "text", "url", "date", "public_from"]
BATCH = 500


def write(items, apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Create or rewrite the entries of ``items``, all of one model, in two queries."""
    if not items:
        return
    model = type(items[0])
    SearchEntry = apps.get_model("search", "SearchEntry")
    content_type = (
        apps.get_model("contenttypes", "ContentType").objects.db_manager(using).get_for_model(model)
    )
    build = SOURCES[model._meta.label].build
    entries = [
        SearchEntry(content_type=content_type, object_id=item.pk, **build(item)) for item in items
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


def remove(item, apps=global_apps, using=DEFAULT_DB_ALIAS):
    SearchEntry = apps.get_model("search", "SearchEntry")
    content_type = (
        apps.get_model("contenttypes", "ContentType")
        .objects.db_manager(using)
        .get_for_model(type(item))
    )
    SearchEntry.objects.using(using).filter(content_type=content_type, object_id=item.pk).delete()


def with_related(items, source):
    return items.select_related(*source.related) if source.related else items


def rebuild(apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Every entry again from the content; returns how many there are."""
    SearchEntry = apps.get_model("search", "SearchEntry")
    total = 0
    with transaction.atomic(using=using):
        SearchEntry.objects.using(using).all().delete()
        for label, source in SOURCES.items():
            model = apps.get_model(label)
            items = with_related(model._base_manager.using(using), source).order_by("pk")
            batch = []
            for item in items.iterator(chunk_size=BATCH):
                batch.append(item)
                if len(batch) == BATCH:
                    write(batch, apps, using)
                    total, batch = total + len(batch), []
            write(batch, apps, using)
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


def connect_signals():
    from django.db.models.signals import post_delete, post_save

    for label in SOURCES:
        model = global_apps.get_model(label)
        post_save.connect(item_saved, sender=model, dispatch_uid=f"search-save-{label}")
        post_delete.connect(item_deleted, sender=model, dispatch_uid=f"search-delete-{label}")
