"""The training admin: public content, requests, sessions and feedback. Importing the
modules registers their ModelAdmins."""

from . import content, feedback, requests, sessions  # noqa: F401
