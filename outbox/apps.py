from django.apps import AppConfig


class OutboxConfig(AppConfig):
    # The lowest app: it imports no other app of the project. Each app that sends email says
    # what an email is about (a generic relation) and which kind of email it is.
    # No page shows an email, so it says nothing to the front cache: it is not content.
    name = "outbox"

    def ready(self):
        from blocks import health as site_health
        from blocks import status

        from . import health

        # /readyz/worker fails while emails are not going out (the worker is shared, so /readyz,
        # which routes pages, does not); the admin's home page says why.
        site_health.register_check("worker", health.worker_problem, monitor="worker")
        site_health.register_check("outbox", health.outbox_problem, monitor="worker")
        site_health.register_warnings(health.warnings)
        status.register_figure(status.EMAILS, "Waiting to be sent", health.waiting_count)
        status.register_figure(status.EMAILS, "Given up on", health.given_up_count)
        status.register_figure(status.EMAILS, "Sent today", health.sent_since_count)
        status.register_figure(status.EMAILS, "Worker last seen", health.worker_last_seen_words)
        status.register_job("send_pending_emails", "Every minute")
        # The team's weekly email of what is due for review (blocks.reviews): the building
        # blocks send no email, so the outbox, the lowest app, sends it.
        status.register_job("send_review_reminders", "Weekly")
