from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Emergency banner and sensitive pages"
    # A banner is on every page it targets: saving one purges the front cache.
    shown_on_public_pages = True
