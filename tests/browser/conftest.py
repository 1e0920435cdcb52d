"""Shared set-up for tests that drive a real browser (Chromium from Debian) against a live server.

Run them alone with ``pytest -m browser``, or leave them out with ``-m "not browser"``.
"""

import io
import os
import threading
import time

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client, override_settings
from pytest_django.live_server_helper import LiveServer

from tests.prevent_site.test_site import crawl

# Playwright's sync API runs an event loop in the test's thread; Django refuses database access
# from such a thread unless told it is safe, which it is here (one test at a time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"

# The manifest storage 404s on hashed names under a live server; serve files as they are.
PLAIN_STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def empties_the_database(item):
    marker = item.get_closest_marker("django_db")
    transactional = marker and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,)))
    names = getattr(item, "fixturenames", ())
    return bool(transactional or "transactional_db" in names or "live_server" in names)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # pytest-django runs the tests that empty the database after every test (transactional
    # ones, which also remove what migrations made, such as the editors' group) last. But
    # Playwright's session-wide browser_name parameter makes pytest gather all browser tests
    # next to the first one, pulling such a test ahead of ordinary ones: put it back at the end.
    items.sort(key=empties_the_database)
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
    settings.STORAGES = {**settings.STORAGES, **PLAIN_STATIC_FILES}


def wait_for_requests_to_finish(timeout=5):
    """Let the server finish requests the browser made just before the last test ended.

    Each request is handled in a thread of its own, which would find the database connection
    gone if the server were stopped under it.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture(scope="module")
def loaded_site(django_db_setup, django_db_blocker):
    """A live server with the July 2023 content loaded, shared by the tests of one module.

    pytest-django's ``live_server`` empties the database after every test, so each test would
    load the content again. This one loads it once per module, and afterwards empties only the
    tables that were empty before, so what migrations made (such as the editors' group) stays.
    Tests that use it need the ``django_db`` mark, so that the test database exists.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=PLAIN_STATIC_FILES),
    ):
        models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
        empty_before = [m for m in models if not m._base_manager.exists()]
        # Set up before each test's own fixtures, so before tests/conftest.py forgets content
        # types that an earlier module's flush removed: the search index's rows point at them.
        ContentType.objects.clear_cache()
        call_command("load_initial_content", stdout=io.StringIO())
        server = LiveServer("127.0.0.1:0")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            wait_for_requests_to_finish()
            server._live_server_modified_settings.disable()
            server.stop()
            for model in empty_before:
                model._base_manager.all().delete()


@pytest.fixture(scope="module")
def public_pages(loaded_site):
    """The path of every HTML page reachable from the home page, then a page that does not exist."""
    pages = {}
    for path, (_response, page) in sorted(crawl(Client()).items()):
        # The request form with a workshop chosen (?workshop=wrap) is the same page again.
        if page is not None:
            pages.setdefault(path.split("?")[0], path)
    return list(pages.values()) + ["/no-such-page/"]
