from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .models import SearchEntry, SearchLog
from .query import Search, clean, log_term

RESULTS_PER_PAGE = 10


class CountedPaginator(Paginator):
    """A paginator told how many items there are, which the search already counted by kind."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


@require_safe
def search(request):
    text = clean(request.GET.get("q", ""))
    if not text:
        return render(request, "search/search.html", {"q": ""})
    kind = request.GET.get("kind")
    if kind not in SearchEntry.Kind.values:
        kind = None

    found = Search(text, kind)
    counts = found.counts()
    total = sum(counts.values())
    paginator = CountedPaginator(
        found.ranked(), RESULTS_PER_PAGE, counts.get(kind, 0) if kind else total
    )
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    results = [(entry, found.extract(entry)) for entry in page.object_list]

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


# Being built (issue 13).
def topic_list(request):
    raise Http404


def topic_detail(request, slug):
    raise Http404


def audience_detail(request, slug):
    raise Http404
