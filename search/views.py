import re

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from newsletters.models import Section
from resources.models import Audience, FundingScheme, ResourceLink, Topic
from training.models import Event, Workshop

from . import topics as topic_items

# How many of the newest newsletter sections on its topics an audience page lists.
RECENT_SECTIONS = 5
# And how many upcoming events: the events page has the rest.
UPCOMING_EVENTS = 5


# Being built (issue 13).
def search(request):
    raise Http404


@require_safe
def topic_list(request):
    topics = topic_items.with_public_counts(Topic.objects.all()).filter(public_total__gt=0)
    for topic in topics:
        topic.counts_in_words = topic_items.counts_in_words(topic)
    return render(request, "search/topic_list.html", {"topics": topics})


@require_safe
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    items = {kind: list(queryset) for kind, queryset in topic_items.public_items(topic).items()}
    return render(
        request,
        "search/topic_detail.html",
        {"topic": topic, "has_items": any(items.values()), **items},
    )


def for_heading(name):
    """“For parents and carers” from “Parents and carers”; “For NHS staff” keeps its capitals."""
    if name[1:2].islower():
        name = name[:1].lower() + name[1:]
    return f"For {name}"


@require_safe
def audience_detail(request, slug):
    audience = get_object_or_404(Audience, slug=slug)
    on_its_topics = Q(topics__audiences=audience)
    # Each list is one query; distinct() because an item may share several topics with it.
    context = {
        "audience": audience,
        "heading": for_heading(audience.name),
        "paragraphs": [p.strip() for p in re.split(r"\n\s*\n", audience.introduction) if p.strip()],
        "workshops": Workshop.objects.published().filter(audience_pages=audience),
        "events": Event.objects.upcoming()
        .filter(on_its_topics | Q(workshop__audience_pages=audience))
        .distinct()[:UPCOMING_EVENTS],
        "links": ResourceLink.objects.filter(on_its_topics).distinct(),
        "contacts": audience.contacts.all(),
        "schemes": FundingScheme.objects.published().filter(on_its_topics).distinct(),
        "sections": Section.objects.published()
        .filter(on_its_topics)
        .select_related("issue")
        .distinct()
        .order_by("-issue__month", "-issue__volume", "order")[:RECENT_SECTIONS],
    }
    return render(request, "search/audience_detail.html", context)
