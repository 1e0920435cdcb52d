from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search, topics and audiences"
    # Topic and audience pages are public, but neither the search index (rewritten with the
    # content whose change already purges the front cache) nor the log of searches (written by
    # every search) changes a page.
    shown_on_public_pages = True
    never_on_public_pages = ("SearchEntry", "SearchLog", "SearchWord", "Synonym")

    def ready(self):
        from blocks import languages, retention

        from . import index
        from .models import SearchLog

        index.connect_signals(self)
        # Searches the translated text in the reader's language, then English (translated.py).
        languages.translated_page("search:search", "Search")
        retention.register(
            "logged searches", SearchLog.objects.before, setting="SEARCH_LOG_RETENTION_DAYS"
        )
