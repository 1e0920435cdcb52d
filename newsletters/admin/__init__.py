"""The newsletter's admin: the issue editor with its mailing console, and the subscriber list
with its CSV import screen. Importing the modules registers their ModelAdmins."""

from . import issues, subscribers  # noqa: F401
