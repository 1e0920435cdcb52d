from django.core.management.base import BaseCommand

from prevent_site import pagecache
from prevent_site.jobs import record_run


class Command(BaseCommand):
    help = (
        "Make every page in the page cache stale at once, on every app server. Edits in the "
        "admin do this by themselves; run it after a release (once every server runs the new "
        "code) or after changing content outside the admin (a shell, SQL)."
    )

    def handle(self, *args, **options):
        pagecache.bump_generation()
        message = "Cached pages will be built afresh on their next request."
        if options["verbosity"] > 0:
            self.stdout.write(message)
        record_run("refresh_cached_pages", message)
