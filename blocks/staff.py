"""The staff groups, named once: each app's admin and access rules and invite_staff read these.
(The migrations that made the groups keep their own copies, as migrations must.)"""

from django.db import models


class StaffGroup(models.TextChoices):
    """Each group's name, labelled with what it lets its members do, in the invitation's words."""

    CONTENT_EDITORS = (
        "Content editors",
        "edit the website's pages: newsletters, training, events, resources and the team",
    )
    TRAINING_COORDINATORS = (
        "Training coordinators",
        "see and handle training requests, the sessions delivered and attendees' feedback",
    )
    REPORT_HANDLERS = (
        "Report handlers",
        "see and handle reports of extremist leaflets, stickers or graffiti from the public",
    )
    SUBSCRIBER_MANAGERS = "Newsletter subscriber managers", "manage the newsletter's subscribers"
    EMERGENCY_PUBLISHERS = (
        "Emergency publishers",
        "put the emergency banner live on the website, and take it down",
    )
    MANAGERS = "Managers", "see the team's impact figures and download them"
