from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    # Workshops, events and projects are shown on public pages: a change purges the front cache.
    shown_on_public_pages = True
    # Except requests, which arrive many a day and must not empty it. (Their reference numbers,
    # rate-limit rows and emails are prevent_site's and the outbox's, which are not content.)
    # Sessions and feedback are the team's records: a quote reaches the workshop page only when
    # the team approves it in the admin, and every staff POST there purges
    # (blocks.frontcache.CacheHeadersMiddleware).
    never_on_public_pages = ("TrainingRequest", "Session", "Attendance", "Feedback")

    def ready(self):
        from blocks import languages, retention, reviews, status

        from .models import Feedback, TrainingRequest, Workshop

        # The request form and its confirmation, in every language of settings.LANGUAGES.
        languages.translated_page("training:request", "Request training")
        languages.translated_page("training:request-done", "Request sent")

        reviews.register(Workshop)

        # Their outbox emails go with them (TrainingRequest.emails): the same personal data.
        retention.register(
            "training requests",
            TrainingRequest.objects.received_before,
            setting="TRAINING_REQUEST_RETENTION_DAYS",
        )
        # Published quotes stay while they are on the workshop pages.
        retention.register(
            "feedback responses",
            lambda cutoff: Feedback.objects.received_before(cutoff).filter(
                quote_approved_at__isnull=True
            ),
            setting="FEEDBACK_RETENTION_DAYS",
        )
        status.register_job("send_feedback_links", "Daily at 08:00")
        status.register_figure(
            status.THIS_MONTH,
            "Training requests",
            lambda since: TrainingRequest.objects.received_since(since).count(),
        )
