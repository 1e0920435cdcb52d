"""Shared pytest fixtures for the whole test suite.

Django's test environment (set up by pytest-django) already keeps email in memory: sent messages
are in ``django.core.mail.outbox`` (or the ``mailoutbox`` fixture), so no email leaves the machine.
"""

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Keep every test away from real files.

    Uploads go to a temporary MEDIA_ROOT, and static files use the plain storage so templates
    render without running collectstatic first (``make test`` runs collectstatic with the
    production storage as a separate check).
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
