from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports from the public"
    # Nothing here is shown on public pages, so it says nothing to the page cache.

    def ready(self):
        from . import signals  # noqa: F401
