"""What the public may see on a topic: the published sections, workshops, events, resource links
and funding schemes that carry it. The topic pages read these; so may other pages of this app."""

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from newsletters.models import Section
from resources.models import FundingScheme, ResourceLink
from training.models import Event, Workshop

# Each kind of item a topic can carry: Topic's name for them (their related_name), what the
# public may see of them, and what to call them when counted.
KINDS = {
    "sections": (Section.objects.published, "newsletter section", "newsletter sections"),
    "workshops": (Workshop.objects.published, "workshop", "workshops"),
    "events": (Event.objects.published, "event", "events"),
    "resource_links": (ResourceLink.objects.all, "resource", "resources"),
    "funding_schemes": (FundingScheme.objects.published, "funding scheme", "funding schemes"),
}


def public_count(items):
    """The number of ``items`` on the outer query's topic, as a subquery (0 when none)."""
    counted = (
        items.filter(topics=OuterRef("pk")).order_by().values("topics").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def with_public_counts(topics):
    """``topics``, each annotated with ``<kind>_count`` for every kind and ``public_total``, in
    one query."""
    topics = topics.annotate(
        **{f"{kind}_count": public_count(public()) for kind, (public, *_) in KINDS.items()}
    )
    return topics.annotate(public_total=sum(F(f"{kind}_count") for kind in KINDS))


def counts_in_words(topic):
    """E.g. "2 newsletter sections, 1 workshop and 5 resources", from with_public_counts()."""
    parts = [
        f"{n} {singular if n == 1 else plural}"
        for kind, (_, singular, plural) in KINDS.items()
        if (n := getattr(topic, f"{kind}_count"))
    ]
    return " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def public_items(topic):
    """What the topic's page lists, kind by kind: newest first where items have dates, events
    to come before those past."""
    on_topic = {"topics": topic}
    return {
        "sections": Section.objects.published()
        .filter(**on_topic)
        .select_related("issue")
        .order_by("-issue__month", "-issue__volume", "order"),
        "workshops": Workshop.objects.published().filter(**on_topic),
        "upcoming_events": Event.objects.upcoming().filter(**on_topic),
        "past_events": Event.objects.past().filter(**on_topic),
        "resource_links": ResourceLink.objects.filter(**on_topic),
        "funding_schemes": FundingScheme.objects.published()
        .filter(**on_topic)
        .order_by("-opens_on", "name"),
    }
