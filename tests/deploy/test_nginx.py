"""deploy/nginx/ run for real: nginx with the production location rules, over plain HTTP on
loopback, in front of gunicorn with production settings."""

import gzip
import http.client
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from reports.views import BODY_LIMIT as REPORT_BODY_LIMIT
from tests.deploy.test_log_secrets import TOKEN, secret_addresses
from tests.processes import (
    GUNICORN,
    ROOT,
    free_port,
    get,
    manage,
    production_env,
    start,
    stop,
    wait_for_port,
)

DEPLOY = ROOT / "deploy/nginx"
SITE = DEPLOY / "prevent.conf"
LOCATIONS = DEPLOY / "prevent-locations.conf"
# What prevent.conf includes from /etc/nginx/snippets/.
SNIPPETS = ["prevent-logs.conf", "prevent-locations.conf", "prevent-file-headers.conf"]
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
# The folders and files the production rules name, and what the test puts in their place.
PRODUCTION_SNIPPETS = "/etc/nginx/snippets/"
PRODUCTION_ACCESS_LOG = "/var/log/nginx/access.log"
PRODUCTION_STATIC_ROOT = "/srv/prevent/staticfiles/"
PRODUCTION_MEDIA_ROOT = "/srv/prevent/media/"

needs_nginx = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (apt-get install nginx; .ci/run installs it)"
)


def max_body_size(config):
    size = re.search(r"^client_max_body_size (\d+)m;$", config, re.MULTILINE).group(1)
    return int(size) * 1024 * 1024


def test_nginx_takes_the_largest_body_the_site_takes_and_no_more():
    largest = max(settings.REQUEST_BODY_LIMIT, settings.STAFF_REQUEST_BODY_LIMIT, REPORT_BODY_LIMIT)
    assert max_body_size(LOCATIONS.read_text()) == largest


def nginx_conf(folder, sites):
    """A whole nginx.conf around ``sites``; temporary files and logs stay in ``folder``."""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Workers run as "nobody" unless told otherwise when nginx starts as root (as in CI), and
    # nobody may not read pytest's temporary folders.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
{user}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"};
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
    # As Debian's own nginx.conf has it: the site's rules must turn it off for themselves.
    gzip on;
{sites}
}}
"""


def install_snippets(folder, folders=()):
    """deploy/nginx/'s snippets in ``folder`` as production has them in /etc/nginx/snippets/,
    with the access log in ``folder`` too, and each (production's, the test's) of ``folders``
    changed to the test's."""
    locations = LOCATIONS.read_text()
    for production, _ in folders:
        assert production in locations
    replacements = [
        (PRODUCTION_SNIPPETS, f"{folder}/"),
        (PRODUCTION_ACCESS_LOG, str(folder / "access.log")),
        *folders,
    ]
    for name in SNIPPETS:
        text = (DEPLOY / name).read_text()
        for production, here in replacements:
            text = text.replace(production, here)
        (folder / name).write_text(text)


def nginx_command(folder, conf):
    return [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]


@pytest.fixture(scope="module")
def site(tmp_path_factory, collected_static):
    """gunicorn with production settings (DEBUG off, plain HTTP) and nginx in front of it."""
    folder = tmp_path_factory.mktemp("nginx")
    gunicorn_port, nginx_port = free_port(), free_port()
    env = production_env(
        folder,
        collected_static,
        TRUSTED_PROXY_COUNT="1",
        GUNICORN_BIND=f"127.0.0.1:{gunicorn_port}",
        WEB_CONCURRENCY="2",
    )
    manage(env, "migrate", "--noinput", "-v", "0")

    # The one change to the production rules: the folders they serve and the log they write.
    install_snippets(
        folder,
        [
            (PRODUCTION_STATIC_ROOT, f"{collected_static}/"),
            (PRODUCTION_MEDIA_ROOT, f"{env['MEDIA_ROOT']}/"),
        ],
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        nginx_conf(
            folder,
            f"""
    include {folder / "prevent-logs.conf"};
    upstream prevent {{ server 127.0.0.1:{gunicorn_port}; }}
    server {{
        listen 127.0.0.1:{nginx_port};
        include {folder / "prevent-locations.conf"};
    }}""",
        )
    )

    gunicorn_log, nginx_log = folder / "gunicorn.log", folder / "nginx.log"
    gunicorn = start(GUNICORN, env, gunicorn_log)
    try:
        with nginx_log.open("w") as out:
            nginx = subprocess.Popen(
                [*nginx_command(folder, conf), "-g", "daemon off;"],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for_port(nginx_port, nginx, nginx_log)
            wait_for_port(gunicorn_port, gunicorn, gunicorn_log)
            yield {
                "nginx": nginx_port,
                "gunicorn": gunicorn_port,
                "static": collected_static,
                "media": Path(env["MEDIA_ROOT"]),
                "private": Path(env["PRIVATE_MEDIA_ROOT"]),
                "access_log": folder / "access.log",
            }
        finally:
            stop(nginx)
    finally:
        stop(gunicorn)


def nginx_own_page(body):
    return b"<center>nginx</center>" in body and b"govuk-template" not in body


@needs_nginx
def test_a_page_comes_through_nginx_from_the_site(site):
    response, body = get(site["nginx"], "/privacy/")
    assert response.status == 200
    assert b"<title>Privacy notice" in body
    assert b"govuk-template" in body


@needs_nginx
def test_hashed_static_file_is_served_by_nginx_compressed_and_cached_for_a_year(site):
    manifest = json.loads((site["static"] / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert re.search(r"\.[0-9a-f]{12}\.css$", hashed)

    response, body = get(site["nginx"], f"/static/{hashed}", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    # whitenoise would say ten years (max-age=315360000): this answer is nginx's own.
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Content-Type") == "text/css"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert gzip.decompress(body) == (ROOT / "static/css/site.css").read_bytes()

    response, _ = get(site["nginx"], "/static/css/site.css")
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=60"


@needs_nginx
def test_a_clients_own_forwarded_proto_does_not_make_the_site_think_it_is_https(site):
    claims = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on"}
    # Straight to gunicorn, the claim is believed: the site answers as over HTTPS, with HSTS,
    # which it only sends on secure requests.
    response, _ = get(site["gunicorn"], "/privacy/", {"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security", "")

    response, body = get(site["nginx"], "/privacy/", claims)
    assert response.status == 200, body[:500]
    assert response.getheader("Strict-Transport-Security") is None


@needs_nginx
def test_body_over_the_largest_limit_is_refused_by_nginx_before_the_site(site):
    connection = http.client.HTTPConnection("127.0.0.1", site["nginx"], timeout=30)
    try:
        # Only the headers: nginx answers from Content-Length without waiting for the body.
        connection.putrequest("POST", "/report/")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(REPORT_BODY_LIMIT + 1))
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 413
    assert nginx_own_page(body)

    # Under nginx's limit but over the page's own, the site answers with its own 413 page.
    response, body = get(
        site["nginx"],
        "/training/request/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
        body=b"x" * (settings.REQUEST_BODY_LIMIT + 1),
    )
    assert response.status == 413
    assert not nginx_own_page(body)
    assert b"govuk-template" in body


@needs_nginx
def test_pages_with_a_form_are_not_compressed_by_nginx(site):
    # The form's CSRF token must not be sent compressed (BREACH); Django leaves it plain and
    # nginx must too, even with gzip on in nginx.conf.
    response, body = get(site["nginx"], "/training/request/", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") is None
    assert b'name="csrfmiddlewaretoken"' in body


@needs_nginx
def test_report_photos_cannot_be_fetched_through_nginx(site):
    (site["private"] / "photo.jpg").write_bytes(b"private report photo")
    for path in (
        "/private-media/photo.jpg",
        "/media/../private-media/photo.jpg",
        "/media/%2e%2e/private-media/photo.jpg",
        "/media../private-media/photo.jpg",
    ):
        response, body = get(site["nginx"], path)
        assert response.status == 404, path
        assert b"private report photo" not in body


@needs_nginx
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
def test_the_production_site_configuration_is_valid_nginx(tmp_path):
    """prevent.conf itself, with a throwaway certificate in place of the council's."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=prevent.westminster.gov.uk"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    install_snippets(tmp_path)
    site_conf = SITE.read_text()
    for production, here in [
        ("/etc/ssl/prevent/fullchain.pem", tmp_path / "cert.pem"),
        ("/etc/ssl/prevent/privkey.pem", tmp_path / "key.pem"),
        (PRODUCTION_SNIPPETS, f"{tmp_path}/"),
        (PRODUCTION_ACCESS_LOG, tmp_path / "access.log"),
    ]:
        assert production in site_conf
        site_conf = site_conf.replace(production, str(here))
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf(tmp_path, site_conf))
    result = subprocess.run(nginx_command(tmp_path, conf) + ["-t"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_every_location_with_headers_of_its_own_includes_the_security_headers():
    # Such a location inherits no add_header from its server: each must say them again.
    blocks = re.findall(r"^location [^{]*\{.*?^\}", LOCATIONS.read_text(), re.MULTILINE | re.DOTALL)
    with_headers = [block for block in blocks if "add_header" in block]
    assert len(with_headers) == 3
    for block in with_headers:
        assert f"include {PRODUCTION_SNIPPETS}prevent-file-headers.conf;" in block, block


@needs_nginx
def test_files_nginx_serves_itself_carry_the_security_headers_of_the_sites_pages(site):
    # Strict-Transport-Security as Django sends it on its pages over HTTPS.
    response, _ = get(site["gunicorn"], "/privacy/", {"X-Forwarded-Proto": "https"})
    hsts = response.getheader("Strict-Transport-Security")
    assert hsts and "max-age=31536000" in hsts

    manifest = json.loads((site["static"] / "staticfiles.json").read_text())["paths"]
    (site["media"] / "leaflet.pdf").write_bytes(b"%PDF-1.4 a public leaflet")
    for path, status in [
        (f"/static/{manifest['css/site.css']}", 200),
        ("/static/css/site.css", 200),
        ("/media/leaflet.pdf", 200),
        ("/static/css/no-such-file.css", 404),
    ]:
        response, _ = get(site["nginx"], path)
        assert response.status == status, path
        assert response.getheader("Strict-Transport-Security") == hsts, path
        assert response.getheader("X-Content-Type-Options") == "nosniff", path


@needs_nginx
def test_nginx_logs_no_token_of_a_link_and_no_query_string(site):
    addresses = list(secret_addresses(TOKEN).values())
    unsubscribe = secret_addresses(TOKEN)["newsletters:unsubscribe"]
    requests = [
        *[("GET", address) for address in addresses],
        # Django's 405 and CSRF 403 on a subscriber's link.
        ("OPTIONS", unsubscribe),
        ("POST", unsubscribe.replace("unsubscribe", "preferences")),
        # Without its last slash; with something after it; the same address spelt otherwise.
        ("GET", unsubscribe.rstrip("/")),
        ("GET", f"{unsubscribe}more/"),
        ("GET", unsubscribe.replace("/unsubscribe/", "/%75nsubscribe/")),
        ("GET", f"{unsubscribe}?utm_source=newsletter"),
        # Under a language's prefix, where the site answers them too (redirecting to English).
        ("GET", f"/ar{unsubscribe}"),
        ("GET", f"/bn{unsubscribe.replace('unsubscribe', 'preferences')}"),
    ]
    ids = []
    for method, path in requests:
        response, _ = get(site["nginx"], path, method=method)
        assert response.status != 500, path
        ids.append(response.getheader("X-Request-ID"))

    # nginx writes a request's line once the response has gone: the last may still be coming.
    deadline = time.monotonic() + 5
    while True:
        # This test's own lines, by their request ids: another test's may be written meanwhile.
        lines = [
            line
            for line in site["access_log"].read_text().splitlines()
            if line.rsplit(" ", 1)[-1] in ids
        ]
        if len(lines) >= len(requests) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(lines) == len(requests)
    text = "\n".join(lines)
    assert TOKEN not in text and TOKEN.split(":")[-1] not in text
    assert "utm_source" not in text
    assert all("[token]" in line for line in lines), text
    # Each line carries the id the site's own log lines for that request carry.
    assert [line.rsplit(" ", 1)[1] for line in lines] == ids
    assert '"GET /newsletters/unsubscribe/[token]/ HTTP/1.1" 404' in text
    assert '"OPTIONS /newsletters/unsubscribe/[token]/ HTTP/1.1" 405' in text
    assert '"GET /ar/newsletters/unsubscribe/[token]/ HTTP/1.1" 302' in text
    assert '"GET /bn/newsletters/preferences/[token]/ HTTP/1.1" 302' in text
