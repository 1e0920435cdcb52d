import pytest
from django.contrib.auth.models import Group
from django.test import Client


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    # Uploads go to a fresh folder per test, and static files need no collectstatic manifest.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A deliberately slow hash protects real passwords; tests only need a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def content_editor(django_user_model):
    """A member of the team with the "Content editors" role only (not a superuser)."""
    user = django_user_model.objects.create_user(
        username="editor@westminster.gov.uk",
        email="editor@westminster.gov.uk",
        password="a long and unusual passphrase",
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
