import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.tasks import TaskResultStatus
from django.test import Client
from django.test.utils import override_settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from tests.mail import FailingEmailBackend, use_mail_backend

# The password of the staff fixtures, for the tests that sign in through the login page.
STAFF_PASSWORD = "a long and unusual passphrase"


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """The test client and live_server speak plain HTTP: production's redirect to HTTPS is off.

    Session-scoped, so that it is in force before a session-scoped live_server starts.
    tests/prevent_site/test_security.py turns the redirect back on to test it.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database, with what the migrations made kept for every serialized rollback.

    Django keeps that data (the staff groups, the site's pages) on the connection object that
    created the database. Django's connections are per context, and once Playwright's sync API
    has started, a test runs in a context of its own with a connection object of its own:
    without the data, a serialized rollback would silently restore nothing and the next
    browser test would find no "Content editors" group. Kept on the connection's class, every
    connection of the test database has it, whichever test started first.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is not None:
        type(connection)._test_serialized_contents = contents
    yield
    if contents is not None:
        del type(connection)._test_serialized_contents


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    # Uploads, public and private, go to fresh folders per test; static files need no
    # collectstatic manifest.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.PRIVATE_MEDIA_ROOT},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A deliberately slow hash protects real passwords; tests only need a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # An empty in-memory cache per test, so nothing leaks between tests.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }


@pytest.fixture(autouse=True)
def _no_stale_content_types():
    """The browser tests' serialized_rollback ends with a flush that recreates no content types:
    a content type cached before it would point at a row that is gone (an email's generic
    relation then fails its foreign key on PostgreSQL). Uncached, it is looked up or made."""
    ContentType.objects.clear_cache()


class FrontCachePurges:
    """The purges of the front cache waiting for the worker."""

    def __init__(self):
        self.tasks = DBTaskResult.objects.filter(task_path="blocks.frontcache.purge_front_caches")

    def waiting(self):
        return self.tasks.filter(status=TaskResultStatus.READY).count()

    def done(self):
        """As if the worker had run them."""
        self.tasks.update(status=TaskResultStatus.SUCCESSFUL)


@pytest.fixture
def front_cache_purges(settings):
    """A front cache to purge, as in production (FRONT_CACHE_URLS).

    A purge is queued when a transaction commits: wrap what commits in
    django_capture_on_commit_callbacks(execute=True), as the test's own transaction never does."""
    settings.FRONT_CACHE_URLS = ["http://127.0.0.1:9/"]
    return FrontCachePurges()


@pytest.fixture
def content_editor(django_user_model):
    """A member of the team with the "Content editors" role only (not a superuser)."""
    user = django_user_model.objects.create_user(
        username="editor@westminster.gov.uk",
        email="editor@westminster.gov.uk",
        password=STAFF_PASSWORD,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Content editors"))
    return user


@pytest.fixture
def editor_client(content_editor):
    """Signed in as ``content_editor``; separate from ``client``, which stays a visitor."""
    editor = Client()
    editor.force_login(content_editor)
    return editor


@pytest.fixture
def coordinator(django_user_model):
    """A member of the team in the "Training coordinators" group only."""
    user = django_user_model.objects.create_user(
        "coordinator@westminster.gov.uk", password=STAFF_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Training coordinators"))
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def run_worker(monkeypatch):
    """Run the email worker (`manage.py db_worker`) until no task is ready, then return."""
    # The worker closes connections whose autocommit differs from the settings', which every
    # connection inside a test's transaction does: on PostgreSQL that would end the test's
    # transaction. Django's test client avoids the same by not closing them around requests.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


@pytest.fixture
def mail_server_down(settings, monkeypatch):
    """Every email fails until the test switches the mailer back (tests.mail.use_mail_backend).

    Returns ``fail_with(error, on_open=False)`` to choose how the server fails.
    """
    use_mail_backend(settings, "tests.mail.FailingEmailBackend")

    def fail_with(error, on_open=False):
        monkeypatch.setattr(FailingEmailBackend, "error", error)
        monkeypatch.setattr(FailingEmailBackend, "fail_on_open", on_open)

    return fail_with
