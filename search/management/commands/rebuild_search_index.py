from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = (
        "Build the site search's index again from all the content. Saving content keeps it "
        "current, so this is needed only after changes that send no signals (loaddata, "
        "queryset.update() in a shell)."
    )

    def handle(self, *args, **options):
        total = index.rebuild()
        self.stdout.write(f"Indexed {total} item{'s' if total != 1 else ''} for the site search.")
