from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    # Issues and sections are shown on public pages: a change purges the front cache.
    shown_on_public_pages = True
    # Except the subscribers and what is sent to them, which change all day and are private.
    never_on_public_pages = ("Subscriber", "FormerSubscriber", "Mailing", "Delivery")

    def ready(self):
        from blocks import retention, status

        from .models import Subscriber

        # A sign-up whose confirmation link has expired, with the emails about it.
        retention.register(
            "unconfirmed sign-ups",
            Subscriber.objects.unconfirmed_before,
            setting="NEWSLETTER_CONFIRM_DAYS",
        )
        status.register_figure(
            status.THIS_MONTH,
            "Newsletter subscribers confirmed",
            lambda since: Subscriber.objects.confirmed().filter(confirmed_at__gte=since).count(),
        )
