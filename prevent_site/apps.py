from django.apps import AppConfig


class PreventSiteConfig(AppConfig):
    name = "prevent_site"
    verbose_name = "Site"

    def ready(self):
        from . import checks, frontcache  # noqa: F401 (checks registers the deploy checks)

        frontcache.connect_signals()
