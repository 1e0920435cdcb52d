from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    # Every model here is shown on public pages: a change purges the front cache.
    shown_on_public_pages = True

    def ready(self):
        from blocks import languages

        # Offered in every language of settings.LANGUAGES (their text: resources/translation.py
        # and locale/).
        languages.translated_page("resources:help-route-list", "Worried about someone?")
        languages.translated_page("resources:contact-list", "Useful contacts")
