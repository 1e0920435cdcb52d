"""Shared set-up for tests that drive a real browser (Chromium from Debian) against live_server.

Run them alone with ``pytest -m browser``, or leave them out with ``-m "not browser"``.
"""

import os

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django refuses database access
# from such a thread unless told it is safe, which it is here (one test at a time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    if os.path.exists(CHROMIUM):
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(
                pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium")
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright would otherwise look for a browser build it downloads itself.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _live_server_settings(settings):
    # The manifest storage 404s on hashed names under live_server; serve files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
