from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from blocks.reviews import Reviewed
from newsletters.models import Issue, Section
from resources.models import (
    Audience,
    Contact,
    FundingScheme,
    HelpRoute,
    ResourceLink,
    TeamMember,
    Topic,
)
from training.models import CommunityProject, Event, Testimonial, Workshop

UK_TIME = ZoneInfo("Europe/London")

# In loading order, so that whatever an item refers to by slug already exists. The keys are also
# the names of Section's many-to-many fields.
ITEMS = {
    # First: the items below (and sections) name theirs in a `topics` list.
    "topics": Topic,
    "team_members": TeamMember,
    "contacts": Contact,
    "resource_links": ResourceLink,
    "funding_schemes": FundingScheme,
    "workshops": Workshop,
    "events": Event,
    "projects": CommunityProject,
}
# Loaded in the same way, but no section links to them.
PAGE_ITEMS = {"help_routes": HelpRoute}


def uk_datetime(value):
    """A YAML date, datetime or ISO string as an aware datetime; naive values are UK time."""
    value = datetime.fromisoformat(str(value))
    return value if timezone.is_aware(value) else timezone.make_aware(value, UK_TIME)


def field_values(model, item):
    values = {}
    for name, value in item.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.DateTimeField):
            value = uk_datetime(value)
        elif field.many_to_one:
            value = field.related_model.objects.get(slug=value) if value else None
        values[name] = value
    return values


class Command(BaseCommand):
    help = (
        "Create or update the newsletter content described in a YAML file, matching items by "
        "slug. Running it again with the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=settings.BASE_DIR / "content" / "2023-07-vol2.yaml",
            help="YAML file to load (default: %(default)s).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load nothing if any newsletter issue exists, so the team's edits in the admin "
            "are never overwritten (used by `make run`).",
        )

    def handle(self, *args, file, if_empty=False, **options):
        if if_empty and Issue.objects.exists():
            self.stdout.write("Content already loaded; nothing changed (--if-empty).")
            return
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        self.loaded, self.created = Counter(), 0
        with transaction.atomic():
            for key, model in (ITEMS | PAGE_ITEMS).items():
                for position, item in enumerate(data.get(key, []), start=1):
                    item = dict(item)
                    testimonials = item.pop("testimonials", [])
                    item.pop("audience_pages", None)  # set by load_audiences, once they exist
                    topics = item.pop("topics", None)
                    obj = self.upsert(model, item, position)
                    for order, testimonial in enumerate(testimonials, start=1):
                        self.upsert(Testimonial, testimonial, order, workshop=obj, order=order)
                    if topics is not None:
                        obj.topics.set([Topic.objects.get(slug=slug) for slug in topics])

            issue_data = dict(data["issue"])
            sections = issue_data.pop("sections")
            issue = self.upsert(Issue, issue_data)
            for order, item in enumerate(sections, start=1):
                item = dict(item)
                related = {key: item.pop(key) for key in ITEMS if key in item}
                slug = item.pop("slug")
                section = self.upsert(Section, item, order, issue=issue, slug=slug)
                for key, slugs in related.items():
                    getattr(section, key).set([ITEMS[key].objects.get(slug=s) for s in slugs])

            self.load_audiences(data)

        counts = ", ".join(
            f"{n} {ngettext(model._meta.verbose_name, model._meta.verbose_name_plural, n)}"
            for model, n in self.loaded.items()
        )
        total = sum(self.loaded.values())
        self.stdout.write(
            f"Loaded {counts} from {file.name}: "
            f"{self.created} created, {total - self.created} updated."
        )

    def load_audiences(self, data):
        """The audience pages, with their topics and contacts, then the workshops each lists."""
        for position, item in enumerate(data.get("audiences", []), start=1):
            item = dict(item)
            topic_slugs, contact_slugs = item.pop("topics", []), item.pop("contacts", [])
            audience = self.upsert(Audience, item, position)
            audience.topics.set([Topic.objects.get(slug=s) for s in topic_slugs])
            audience.contacts.set([Contact.objects.get(slug=s) for s in contact_slugs])
        for item in data.get("workshops", []):
            if "audience_pages" in item:
                Workshop.objects.get(slug=item["slug"]).audience_pages.set(
                    [Audience.objects.get(slug=s) for s in item["audience_pages"]]
                )

    def upsert(self, model, item, position=0, **lookup):
        """Create or update one item, found by ``lookup`` or else by its slug."""
        values = field_values(model, item)
        if any(field.name == "order" for field in model._meta.concrete_fields):
            values.setdefault("order", position)
        lookup = lookup or {"slug": values.pop("slug")}
        create_defaults = values
        if issubclass(model, Reviewed):
            # Copied from the newsletter, not checked by anyone: due for review at once, as the
            # migrations made what was there before (updates leave the review dates alone).
            never_checked = {"last_checked_at": None, "next_review_on": timezone.localdate()}
            create_defaults = {**values, **never_checked}
        obj, created = model.objects.update_or_create(
            **lookup, defaults=values, create_defaults=create_defaults
        )
        self.loaded[model] += 1
        self.created += created
        return obj
