from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    # Workshops, events and projects are shown on public pages: a change purges the front cache.
    shown_on_public_pages = True
    # Except requests, which arrive many a day and must not empty it. (Their reference numbers,
    # rate-limit rows and emails are prevent_site's and the outbox's, which are not content.)
    never_on_public_pages = ("TrainingRequest",)

    def ready(self):
        from blocks import languages, retention, reviews, status

        from .models import TrainingRequest, Workshop

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
        status.register_figure(
            status.THIS_MONTH,
            "Training requests",
            lambda since: TrainingRequest.objects.received_since(since).count(),
        )
