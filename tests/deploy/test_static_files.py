"""Static files and pages reach browsers compressed and, for static files, cacheable for long."""

import gzip
import io
import re

import pytest
from django.core.management import call_command

PRODUCTION_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "blocks.storage.HashedStaticFilesStorage"},
}


def test_collected_javascript_imports_the_hashed_govuk_frontend_file(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = PRODUCTION_STORAGE
    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())

    [init] = [p for p in (tmp_path / "js").glob("init.*.js") if p.suffix == ".js"]
    imported = re.search(r'from "\./([^"]+)"', init.read_text()).group(1)
    assert re.fullmatch(r"govuk-frontend\.min\.[0-9a-f]{12}\.js", imported)
    assert (tmp_path / "js" / imported).exists()


@pytest.mark.django_db
def test_pages_are_sent_compressed_to_browsers_that_accept_it(client):
    response = client.get("/cookies/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert b"<h1" in gzip.decompress(response.content)


def test_static_urls_are_the_hashed_names_and_unknown_files_still_fail(settings, tmp_path):
    from django.contrib.staticfiles.storage import staticfiles_storage

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = PRODUCTION_STORAGE
    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())

    first = staticfiles_storage.url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", first)
    assert staticfiles_storage.url("css/site.css") == first
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            staticfiles_storage.url("css/no-such-file.css")
