from django.apps import AppConfig


class ImpactConfig(AppConfig):
    # The team's figures (/admin/impact/): reads training, reports, newsletters and search, and
    # keeps nothing of its own. No public page shows it, so it says nothing to the front cache.
    name = "impact"
