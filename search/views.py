from django.http import Http404


# Being built (issue 13).
def search(request):
    raise Http404


def topic_list(request):
    raise Http404


def topic_detail(request, slug):
    raise Http404


def audience_detail(request, slug):
    raise Http404
