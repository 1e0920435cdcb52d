from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    # Every model here is shown on public pages: a change purges the front cache.
    shown_on_public_pages = True
