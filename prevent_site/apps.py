from django.apps import AppConfig


class PreventSiteConfig(AppConfig):
    name = "prevent_site"
    verbose_name = "Site"

    def ready(self):
        from . import checks, frontcache, status  # noqa: F401 (checks registers the deploy checks)

        frontcache.connect_signals()
        # The scheduled commands docs/deployment.md asks for, besides the apps' own.
        status.register_job("purge", "Daily")
        status.register_job("purge_front_caches", "After each release")

        from . import ratelimit, retention
        from .models import RecentSubmission

        # The rate limit's keyed hashes of clients: the next form sent drops them too, but a
        # quiet site may not see one.
        retention.register(
            "rate-limit counts",
            lambda cutoff: RecentSubmission.objects.filter(created_at__lt=cutoff),
            period=ratelimit.WINDOW,
        )
