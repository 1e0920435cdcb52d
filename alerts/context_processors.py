from django.utils.functional import SimpleLazyObject

from .models import Banner, SensitivePage


def banners(request):
    """The live banners for this page, in the HTML Django renders (so a front cache keeps them
    with the page and a purge on saving shows them): one query, made only by pages that show
    banners (base.html), not by feeds or calendar files."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {
        "site_banners": SimpleLazyObject(
            lambda: [
                banner
                for banner in Banner.objects.live().most_severe_first()
                if banner.shown_on(view_name)
            ]
        )
    }


def sensitive_page(request):
    """Whether the team marked this page as sensitive (base.html then shows Exit this page).

    One query, made only by pages that don't always have the button and render base.html."""
    path = request.path
    # An address no marked page can have is not looked up: PostgreSQL refuses a NUL byte.
    markable = "\x00" not in path and len(path) <= SensitivePage._meta.get_field("path").max_length
    return {
        "sensitive_page": SimpleLazyObject(
            lambda: markable and SensitivePage.objects.filter(path=path).exists()
        )
    }
