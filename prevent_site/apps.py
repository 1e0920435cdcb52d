from django.apps import AppConfig


class PreventSiteConfig(AppConfig):
    name = "prevent_site"
    verbose_name = "Site"

    def ready(self):
        from . import frontcache

        frontcache.connect_signals()
