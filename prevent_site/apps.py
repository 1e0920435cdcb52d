from django.apps import AppConfig


class PreventSiteConfig(AppConfig):
    name = "prevent_site"
    verbose_name = "Site"

    def ready(self):
        from . import checks, frontcache  # noqa: F401 (checks registers the deploy checks)

        frontcache.connect_signals()

        from . import ratelimit, retention
        from .models import RecentSubmission

        # The rate limit's keyed hashes of clients: the next form sent drops them too, but a
        # quiet site may not see one.
        retention.register(
            "rate-limit counts",
            lambda cutoff: RecentSubmission.objects.filter(created_at__lt=cutoff),
            period=ratelimit.WINDOW,
        )
