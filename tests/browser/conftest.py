"""Fixtures for the browser tests: Playwright drives the machine's Chromium against a live server.

Playwright's own browser download does not work here, so the browser is /usr/bin/chromium (or
$CHROMIUM). Every module here is marked ``browser``: run only these tests with
`pytest -m browser`, or skip them with `pytest -m "not browser"`.
"""

import io
import os
import threading
import time

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from pytest_django.live_server_helper import LiveServer

from tests.test_site import crawl

# Playwright's sync API runs an event loop in the main thread, and Django refuses database calls
# from a thread with a running loop. Only one test runs at a time here, so it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The live server serves static files from the finders; the manifest storage that production
# uses would 404 on the hashed names without a collectstatic first.
PLAIN_STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="module")
def loaded_site(django_db_setup, django_db_blocker):
    """A live server with the July 2023 content loaded, shared by the tests of one module.

    pytest-django's own ``live_server`` empties the database after every test, so each test would
    have to load the content again; this one loads it once per module and empties the database
    when the module is done.
    """
    with django_db_blocker.unblock(), override_settings(STORAGES=PLAIN_STATIC_FILES):
        call_command("load_initial_content", stdout=io.StringIO())
        server = LiveServer("127.0.0.1:0")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            wait_for_requests_to_finish()
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def public_pages(loaded_site):
    """The path of every HTML page reachable from the home page, then a page that does not exist."""
    pages = [path for path, (_response, page) in crawl(Client()).items() if page is not None]
    return sorted(pages) + ["/no-such-page/"]
