from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Emergency banner and sensitive pages"
    # A banner is on every page it targets: saving one purges the front cache.
    shown_on_public_pages = True

    def ready(self):
        from blocks import languages

        # The advice on covering one's tracks, linked from every sensitive page, in every
        # language those pages are in.
        languages.translated_page("staying-safe-online", "Staying safe online")
