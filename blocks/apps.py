from django.apps import AppConfig


class BlocksConfig(AppConfig):
    """The building blocks every app shares (publishing, rich text, images, the public-form
    workflow, retention, health checks, the status page's registry, the front cache's headers
    and purges...). They import no app: each app tells them what they need to know about it.
    """

    name = "blocks"
    # These lived in the prevent_site package, the project's, until it kept only the project
    # layer: the label keeps their tables, migrations and content types as they were.
    label = "prevent_site"
    verbose_name = "Site"
    # Pages' opening words and which translations are checked show on public pages, so a
    # change to them purges the front cache (blocks.frontcache); these never show there.
    shown_on_public_pages = True
    never_on_public_pages = (
        "ReferenceCounter",
        "RecentSubmission",
        "JobRun",
        "ReviewReminder",
        "StatutoryPage",
    )

    def ready(self):
        from . import checks, frontcache, health, languages, ratelimit, retention, reviews, status  # noqa: F401
        from .models import RecentSubmission, StatutoryPage

        frontcache.connect_signals()
        # What is long past its review day (apps register their reviewed models) is one of
        # the warnings on the admin's home and status pages.
        health.register_warnings(reviews.warnings)
        reviews.register(StatutoryPage)
        # The site-wide pages in every language (prevent_site/urls.py routes them): their
        # opening words are the team's, in each language (PageIntroduction), and what they show
        # only in English is marked so.
        languages.translated_page("home", "Home page")
        languages.translated_page("accessibility", "Accessibility statement")
        languages.translated_page("privacy", "Privacy notice")
        # The scheduled commands docs/deployment.md asks for, besides the apps' own.
        status.register_job("purge", "Daily")
        status.register_job("purge_front_caches", "After each release")

        # The rate limit's keyed hashes of clients: the next form sent drops them too, but a
        # quiet site may not see one.
        retention.register(
            "rate-limit counts",
            lambda cutoff: RecentSubmission.objects.filter(created_at__lt=cutoff),
            period=ratelimit.WINDOW,
        )
