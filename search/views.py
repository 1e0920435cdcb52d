from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from resources.models import Topic

from . import topics as topic_items


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


def audience_detail(request, slug):
    raise Http404
