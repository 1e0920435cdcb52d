"""Production configuration: settings from the environment, static files, gunicorn, page weight."""

import gzip
import json
import re
import secrets
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "prevent_site.settings",
    "ALLOWED_HOSTS": "prevent.westminster.gov.uk",
}


def production_env(**extra):
    return {
        **PRODUCTION_ENV,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://prevent.westminster.gov.uk",
        # An address of the site's own, as docs/deployment.md asks (not the team's inbox).
        "DEFAULT_FROM_EMAIL": "website@example.org",
        **extra,
    }


def check(env, *options):
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def settings_in(env, *names):
    """Values of settings as a fresh process with ``env`` sees them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_reports_nothing_under_production_settings():
    result = check(production_env(), "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        (None, "SITE_URL is not https"),
        ("", "SITE_URL is not set"),
        ("http://prevent.westminster.gov.uk", "SITE_URL is not https"),
        ("https://localhost", "SITE_URL is a loopback address"),
        ("https://127.0.0.1:8443", "SITE_URL is a loopback address"),
        ("https://[::1]", "SITE_URL is a loopback address"),
        ("https://", "SITE_URL has no host name"),
    ],
)
def test_check_deploy_refuses_a_site_url_that_emails_cannot_link_to(site_url, problem):
    # Every email's links, the unsubscribe link included, start with SITE_URL.
    env = production_env()
    if site_url is None:
        del env["SITE_URL"]
    else:
        env["SITE_URL"] = site_url
    result = check(env, "--deploy")
    assert result.returncode == 1
    assert "prevent_site.E00" in result.stderr
    assert problem in result.stderr


def test_emails_come_from_the_team_by_name_whatever_sender_address_is_configured():
    unset = {k: v for k, v in production_env().items() if k != "DEFAULT_FROM_EMAIL"}
    values = settings_in(unset, "DEFAULT_FROM_EMAIL", "SERVER_EMAIL", "TEAM_EMAIL")
    assert values["DEFAULT_FROM_EMAIL"] == "Westminster Prevent team <prevent@westminster.gov.uk>"
    assert values["SERVER_EMAIL"] == values["DEFAULT_FROM_EMAIL"]
    assert values["TEAM_EMAIL"] == "prevent@westminster.gov.uk"
    bare = production_env(DEFAULT_FROM_EMAIL="prevent-site@westminster.gov.uk")
    assert settings_in(bare, "DEFAULT_FROM_EMAIL")["DEFAULT_FROM_EMAIL"] == (
        "Westminster Prevent team <prevent-site@westminster.gov.uk>"
    )
    named = production_env(DEFAULT_FROM_EMAIL="Prevent website <prevent-site@westminster.gov.uk>")
    assert settings_in(named, "DEFAULT_FROM_EMAIL")["DEFAULT_FROM_EMAIL"] == (
        "Prevent website <prevent-site@westminster.gov.uk>"
    )


def test_check_deploy_warns_when_the_team_would_get_mail_from_its_own_address():
    env = production_env(
        DEFAULT_FROM_EMAIL="Prevent <Prevent@westminster.gov.uk>",
        TEAM_EMAIL="prevent@westminster.gov.uk",
    )
    result = check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1
    assert "prevent_site.W001" in result.stderr


def test_plain_checks_and_local_development_accept_a_local_site_url():
    # make test runs the checks without --deploy; make serve runs production settings over
    # plain HTTP on loopback.
    local = production_env(SITE_URL="http://127.0.0.1:8000")
    assert check(local, "--fail-level", "WARNING").returncode == 0
    debug = {**local, "DEBUG": "true"}
    result = check(debug, "--deploy")
    assert "SITE_URL" not in result.stdout + result.stderr


def test_production_defaults_are_the_safe_ones():
    values = settings_in(
        production_env(),
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "FRONT_CACHE_SECONDS",
        "FRONT_CACHE_URLS",
    )
    assert values["DEBUG"] is False
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"):
        assert values[name] is True, name
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # Scheduled items appear within a minute: see blocks/frontcache.py.
    assert values["FRONT_CACHE_SECONDS"] == 60
    assert values["FRONT_CACHE_URLS"] == []


def test_local_development_relaxes_https_only_settings():
    values = settings_in(
        {**PRODUCTION_ENV, "DEBUG": "true"},
        "SESSION_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": False,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
    }


def test_front_cache_urls_are_read_as_a_list():
    values = settings_in(
        production_env(FRONT_CACHE_URLS="http://10.0.0.5:6081/, http://10.0.0.6:6081/"),
        "FRONT_CACHE_URLS",
    )
    assert values["FRONT_CACHE_URLS"] == ["http://10.0.0.5:6081/", "http://10.0.0.6:6081/"]


def test_a_bucket_name_moves_uploads_to_s3_compatible_storage():
    values = settings_in(
        production_env(
            AWS_STORAGE_BUCKET_NAME="prevent-media",
            AWS_S3_ENDPOINT_URL="https://objects.example.net",
        ),
        "STORAGES",
        "SECURE_CSP",
    )
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "prevent-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://objects.example.net"
    assert "https://objects.example.net" in values["SECURE_CSP"]["img-src"]
    local = settings_in(production_env(), "STORAGES")["STORAGES"]["default"]
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_private_files_are_kept_apart_from_the_public_uploads(tmp_path):
    local = settings_in(
        production_env(
            MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_MEDIA_ROOT=str(tmp_path / "private")
        ),
        "STORAGES",
    )["STORAGES"]["private"]
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert local["OPTIONS"]["location"] == str(tmp_path / "private")

    s3 = settings_in(
        production_env(AWS_STORAGE_BUCKET_NAME="prevent-media", AWS_S3_CUSTOM_DOMAIN="cdn.example"),
        "STORAGES",
    )["STORAGES"]
    private = s3["private"]["OPTIONS"]
    assert s3["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private["bucket_name"] == "prevent-media"
    # Its own prefix, private objects, and never the public domain that serves the media.
    assert private["location"] == "private"
    assert private["default_acl"] == "private"
    assert private["querystring_auth"] is True
    assert private["custom_domain"] is None
    assert s3["default"]["OPTIONS"]["custom_domain"] == "cdn.example"


@pytest.mark.parametrize("inside", ["media/private", "media", "."])
def test_private_files_inside_the_public_media_folder_stop_start_up(tmp_path, inside):
    env = production_env(
        MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_MEDIA_ROOT=str(tmp_path / inside)
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ROOT" in result.stderr and "outside MEDIA_ROOT" in result.stderr


@pytest.fixture
def production_static(settings, collected_static):
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "blocks.storage.HashedStaticFilesStorage"},
    }
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    return {name: f"/static/{hashed}" for name, hashed in manifest.items()}


@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
def test_hashed_static_files_are_served_compressed_and_cached_for_a_year(
    production_static, accept, encoding
):
    response = Client().get(production_static["css/site.css"], headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    cache_control = response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in cache_control and "public" in cache_control
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    css = (ROOT / "static/css/site.css").read_bytes()
    assert (brotli.decompress(body) if encoding == "br" else gzip.decompress(body)) == css


def test_the_module_script_imports_the_hashed_govuk_frontend(production_static):
    response = Client().get(production_static["js/init.js"])
    body = b"".join(response.streaming_content).decode()
    assert production_static["js/govuk-frontend.min.js"].rsplit("/", 1)[1] in body


def test_gunicorn_configuration_loads_the_site(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--check-config",
            "-c",
            "gunicorn.conf.py",
            "prevent_site.wsgi",
        ],
        env=production_env(STATIC_ROOT=str(tmp_path)),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_runs_sync_workers_on_loopback_by_default():
    config = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our own file
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["worker_class"] == "sync"
    assert config["workers"] >= 3
    assert config["preload_app"] is True
    assert config["timeout"] <= 60


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["gzip"])
def test_home_page_html_css_and_javascript_transfer_under_60_kb(production_static, encoding):
    """Every byte of HTML, CSS and JavaScript the home page makes a browser download (Django
    gzips the page as Varnish keeps it; brotli is for static files only)."""
    call_command("load_initial_content", verbosity=0)
    browser = Client(headers={"Accept-Encoding": encoding})

    def download(url):
        response = browser.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if "Content-Encoding" not in response:  # too small to be worth compressing
            assert len(body) < 1024, url
            return len(body), body.decode()
        assert response["Content-Encoding"] == encoding, url
        plain = brotli.decompress(body) if encoding == "br" else gzip.decompress(body)
        return len(body), plain.decode()

    sizes, queue, seen = {}, ["/"], set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        sizes[url], text = download(url)
        queue += re.findall(r'<link rel="stylesheet" href="(/static/[^"]+)"', text)
        queue += re.findall(r'<script[^>]* src="(/static/[^"]+)"', text)
        if url.endswith(".js"):  # ES module imports, relative to the script
            folder = url.rsplit("/", 1)[0]
            queue += [f"{folder}/{name}" for name in re.findall(r'from "\./([^"]+)"', text)]
    downloaded = {url.rsplit("/", 1)[1].split(".")[0] for url in sizes}
    assert {"site", "init", "govuk-frontend"} <= downloaded
    assert sum(sizes.values()) < 60 * 1024, sizes


def test_make_serve_collects_static_files_then_runs_gunicorn_with_production_settings():
    dry_run = subprocess.run(
        ["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    commands = [line for line in dry_run.splitlines() if "manage.py" in line or "gunicorn" in line]
    assert "collectstatic" in commands[0]
    assert commands[-1].endswith("gunicorn -c gunicorn.conf.py prevent_site.wsgi")
    variables = subprocess.run(
        ["make", "-p", "-n", "serve"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert "serve: DEBUG = false" in variables
    assert "serve: GUNICORN_BIND = 127.0.0.1:$(PORT)" in variables
    assert "\nPORT = 8000\n" in variables  # unless make is given PORT=
    assert "serve: SECURE_SSL_REDIRECT = false" in variables  # plain HTTP on loopback
