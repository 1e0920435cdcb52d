from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PreventSiteConfig(AppConfig):
    name = "prevent_site"
    verbose_name = "Site"

    def ready(self):
        from . import checks, pagecache  # noqa: F401 (checks registers the deploy checks)

        pagecache.connect_signals()
        # Once per `migrate`: contenttypes is always installed and always sent post_migrate.
        post_migrate.connect(
            pagecache.after_migrate, sender=self.apps.get_app_config("contenttypes")
        )
