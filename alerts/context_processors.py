from django.utils.functional import SimpleLazyObject

from .models import Banner


def banners(request):
    """The live banners for this page, in the HTML Django renders (so a front cache keeps them
    with the page and a purge on saving shows them): one query, made only by pages that show
    banners (base.html), not by feeds or calendar files."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {
        "site_banners": SimpleLazyObject(
            lambda: [banner for banner in Banner.objects.live() if banner.shown_on(view_name)]
        )
    }
