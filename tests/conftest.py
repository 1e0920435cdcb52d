"""Shared pytest fixtures for the whole test suite.

Django's test environment (set up by pytest-django) already keeps email in memory: sent messages
are in ``django.core.mail.outbox`` (or the ``mailoutbox`` fixture), so no email leaves the machine.
"""

import pytest
from django.test.utils import override_settings


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """The test client and live_server speak plain HTTP: production's redirect to HTTPS is off.

    Session-scoped, so that it is in force before a session-scoped live_server starts.
    tests/test_security.py turns the redirect back on to test it.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Keep every test away from real files.

    Uploads go to a temporary MEDIA_ROOT, and static files use the plain storage so templates
    render without running collectstatic first (``make test`` runs collectstatic with the
    production storage as a separate check). Each test gets an empty in-memory cache, so cached
    pages never leak between tests and query counts are the page's own; tests/test_cache.py also
    runs the page cache on the shared database cache that production uses by default.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
