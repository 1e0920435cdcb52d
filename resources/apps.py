from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    # Every model here is shown on public pages: a change purges the front cache.
    shown_on_public_pages = True

    def ready(self):
        from blocks import languages, reviews

        from .models import Contact, FundingScheme, HelpRoute, ResourceLink

        # Offered in every language of settings.LANGUAGES (their text: resources/translation.py
        # and locale/).
        languages.translated_page("resources:help-route-list", "Worried about someone?")
        languages.translated_page("resources:contact-list", "Useful contacts")

        # A way to get help long unchecked is the site's most dangerous stale content: the
        # admin's home and status pages warn about it.
        reviews.register(HelpRoute, warn_after_months=3)
        reviews.register(Contact)
        reviews.register(FundingScheme)
        reviews.register(ResourceLink)
