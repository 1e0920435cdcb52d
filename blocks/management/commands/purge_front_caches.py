from django.conf import settings
from django.core.management.base import BaseCommand

from blocks import frontcache
from blocks.jobs import record_run


class Command(BaseCommand):
    help = (
        "Drop every page from each front cache in FRONT_CACHE_URLS at once. Edits in the admin "
        "do this by themselves; run it after a release (once every server runs the new code) "
        "or after changing content outside the admin (a shell, SQL)."
    )

    def handle(self, *args, **options):
        urls = settings.FRONT_CACHE_URLS
        failed = [url for url in urls if not frontcache.purge(url)]
        if failed:
            message = f"Could not purge {', '.join(failed)}: see the log."
        elif urls:
            message = f"Purged {len(urls)} front cache{'s' if len(urls) != 1 else ''}."
        else:
            message = "No front cache to purge (FRONT_CACHE_URLS is empty)."
        if options["verbosity"] > 0:
            self.stdout.write(message)
        record_run("purge_front_caches", message)
        if failed:
            raise SystemExit(1)
