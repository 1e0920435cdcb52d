from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    # Workshops, events and projects are shown on public pages: a change refreshes the page cache.
    shown_on_public_pages = True
    # Except these. Each training request saves a request, a reference counter, a rate-limit
    # row and two emails, and every mail run updates the emails: none of that may empty it.
    never_on_public_pages = (
        "TrainingRequest",
        "ReferenceCounter",
        "RecentSubmission",
        "OutboundEmail",
    )
