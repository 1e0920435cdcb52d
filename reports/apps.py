from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports from the public"
    # Nothing here is shown on public pages, so it says nothing to the front cache.

    def ready(self):
        from blocks import languages, retention, status

        from . import signals  # noqa: F401
        from .models import Report

        # Photos, status changes and emails go with their report; each photo's files once the
        # deletion commits (reports/signals.py).
        # The form and its confirmation, in every language of settings.LANGUAGES.
        languages.translated_page(
            "reports:report", "Report extremist leaflets, stickers or graffiti"
        )
        languages.translated_page("reports:done", "Report sent")
        retention.register(
            "reports", Report.objects.received_before, setting="REPORT_RETENTION_DAYS"
        )
        status.register_figure(
            status.THIS_MONTH,
            "Reports",
            lambda since: Report.objects.received_since(since).count(),
        )
