from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    # Issues and sections are shown on public pages: a change refreshes the page cache.
    shown_on_public_pages = True
    # Except the subscribers and what is sent to them, which change all day and are private.
    never_on_public_pages = ("Subscriber", "FormerSubscriber", "Mailing", "Delivery")
