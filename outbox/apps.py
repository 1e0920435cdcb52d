from django.apps import AppConfig


class OutboxConfig(AppConfig):
    # The lowest app: it imports no other app of the project. Each app that sends email says
    # what an email is about (a generic relation) and which kind of email it is.
    # No page shows an email, so it says nothing to the page cache: it is not content.
    name = "outbox"
