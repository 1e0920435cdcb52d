from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from blocks import richtext
from newsletters.models import Section
from resources.models import Audience, FundingScheme, ResourceLink, Topic
from training.models import Event, Workshop

from . import topics as topic_items
from .models import SearchEntry, SearchLog
from .query import Search, clean, log_term
from .translated import translated_results

# How many of the newest newsletter sections on its topics an audience page lists.
RECENT_SECTIONS = 5
# And how many upcoming events: the events page has the rest.
UPCOMING_EVENTS = 5
RESULTS_PER_PAGE = 10


class CountedPaginator(Paginator):
    """A paginator told how many items there are, which the search already counted by kind."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


def help_with_words(found, total, complete):
    """What both search pages say when no result has every word typed: "Did you mean …?", from
    the words the index contains, and that the results shown have only some of them."""
    suggestion = found.suggestion() if complete == 0 else None
    return {
        "partial": total > 0 and complete == 0,
        "suggestion": suggestion,
        "suggestion_url": "?" + urlencode({"q": suggestion}) if suggestion else "",
    }


@require_safe
def search(request):
    text = clean(request.GET.get("q", ""))
    language = translation.get_language()
    if language != settings.LANGUAGE_CODE:
        return search_translated(request, text, language)
    if not text:
        return render(request, "search/search.html", {"q": ""})
    kind = request.GET.get("kind")
    if kind not in SearchEntry.Kind.values:
        kind = None

    found = Search(text, kind)
    counts, complete = found.counts()
    total = sum(counts.values())
    paginator = CountedPaginator(
        found.ranked(), RESULTS_PER_PAGE, counts.get(kind, 0) if kind else total
    )
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    results = [(entry, found.title(entry), found.extract(entry)) for entry in page.object_list]

    # One row per search, not per page or filter of its results.
    if request.method == "GET" and page.number == 1 and kind is None:
        SearchLog.objects.create(term=log_term(text), results=total)

    query = {"q": text}
    filters = [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "url": "?" + urlencode({**query, "kind": value}),
            "current": value == kind,
        }
        for value, label in SearchEntry.Kind.choices
        if value in counts
    ]
    context = {
        "q": text,
        "kind": kind,
        "kind_label": SearchEntry.Kind(kind).label if kind else "",
        "total": total,
        "filters": filters,
        "all_url": "?" + urlencode(query),
        "results": results,
        **help_with_words(found, total, complete),
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "page_query": urlencode({**query, **({"kind": kind} if kind else {})}) + "&",
        # Results are one of endless addresses: none is the page's canonical address, and search
        # engines are asked not to list them.
        "canonical_url": None,
    }
    response = render(request, "search/search.html", context)
    # Never kept by a shared cache: results change with the content, and each search is logged.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def search_translated(request, text, language):
    """The search page in another language: its text in that language, then English results."""
    context = {"q": text}
    if text:
        found = Search(text)
        counts, complete = found.counts()
        context["results"] = translated_results(text, language)
        context["english_total"] = sum(counts.values())
        context.update(help_with_words(found, context["english_total"], complete))
        context["english_results"] = [
            (entry, found.title(entry), found.extract(entry))
            for entry in found.ranked()[:RESULTS_PER_PAGE]
        ]
        with translation.override(settings.LANGUAGE_CODE):
            english_search = reverse("search:search")
        context["english_all_url"] = english_search + "?" + urlencode({"q": text})
        context["canonical_url"] = None
        SearchLog.objects.create(
            term=log_term(text), results=len(context["results"]) + context["english_total"]
        )
    response = render(request, "search/search_translated.html", context)
    if text:
        patch_cache_control(response, private=True, no_cache=True)
    return response


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


@require_safe
def audience_detail(request, slug):
    audience = get_object_or_404(Audience, slug=slug)
    on_its_topics = Q(topics__audiences=audience)
    # Each list is one query; distinct() because an item may share several topics with it.
    context = {
        "audience": audience,
        "heading": audience.heading,
        "paragraphs": richtext.paragraphs(audience.introduction),
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
