"""Security headers and cookies: what a browser is told on every page."""

import base64
import hashlib
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import make_issue, make_section, make_workshop

pytestmark = pytest.mark.django_db


class ScriptsAndStyles(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.inline_scripts, self.style_attributes, self.style_elements = [], [], 0, 0
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.style_attributes += "style" in attrs
        self.style_elements += tag == "style"
        if tag == "script":
            self.scripts.append(attrs)
            self._script = "" if "src" not in attrs else None

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.inline_scripts.append(self._script)
            self._script = None


def parse(response):
    parser = ScriptsAndStyles()
    parser.feed(response.content.decode())
    return parser


def csp(response):
    """The policy as {directive: [sources]}."""
    parts = response["Content-Security-Policy"].split(";")
    return {name: sources for name, *sources in (part.split() for part in parts)}


def sha256_source(text):
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


@pytest.fixture
def public_pages():
    issue = make_issue()
    make_section(issue)
    workshop = make_workshop()
    return ["/", issue.get_absolute_url(), workshop.get_absolute_url(), "/events/", "/privacy/"]


def test_policy_allows_only_our_own_scripts_and_styles_and_no_framing(client):
    policy = csp(client.get("/"))
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
        assert not any(source in ("*", "https:", "http:", "data:") for source in policy[directive])
    # Besides our own files, only one fixed <style> of the admin's editor, by its hash.
    assert policy["style-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in policy["style-src"][1:])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_only_inline_script_is_allowed_by_its_hash_for_visitors_and_staff(
    client, admin_client, public_pages
):
    for browser in (client, admin_client):
        for url in public_pages:
            response = browser.get(url)
            page = parse(response)
            assert len(page.inline_scripts) == 1, url
            assert "js-enabled" in page.inline_scripts[0]
            assert sha256_source(page.inline_scripts[0]) in csp(response)["script-src"], url
            inline = next(attrs for attrs in page.scripts if "src" not in attrs)
            assert "nonce" not in inline, url


def test_public_pages_carry_no_nonce_a_front_cache_could_share_and_rely_on_the_hash(client):
    response = client.get("/")
    page = parse(response)
    assert "s-maxage=60" in response["Cache-Control"]
    assert "nonce" not in response.content.decode()
    assert "'nonce-" not in response["Content-Security-Policy"]
    assert sha256_source(page.inline_scripts[0]) in csp(response)["script-src"]


def test_public_pages_load_scripts_from_our_own_origin_and_have_no_inline_styles(
    client, public_pages
):
    for url in public_pages:
        page = parse(client.get(url))
        external = [attrs["src"] for attrs in page.scripts if "src" in attrs]
        assert external and all(src.startswith("/static/") for src in external), url
        assert page.style_attributes == 0 and page.style_elements == 0, url


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/admin/newsletters/issue/add/"])
def test_admin_pages_render_and_their_scripts_are_allowed_by_the_policy(client, admin_client, url):
    response = (client if url == "/admin/login/" else admin_client).get(url)
    assert response.status_code == 200
    page = parse(response)
    policy = csp(response)
    # The admin's scripts are files from our own origin, which 'self' covers; its one inline
    # script (the rich text editor's import map) carries the request's nonce.
    assert page.scripts
    nonce = f"'nonce-{page.scripts[0]['nonce']}'"
    assert nonce in policy["script-src"] and "'self'" in policy["script-src"]
    for attrs in page.scripts:
        assert attrs.get("src", "/static/").startswith(("/static/", "/admin/")), attrs
        if "src" not in attrs:
            assert f"'nonce-{attrs['nonce']}'" == nonce, attrs
    assert page.style_attributes == 0 and page.style_elements == 0


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_hsts_is_sent_over_https_behind_the_proxy_and_not_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/")
    behind_proxy = client.get("/", headers={"X-Forwarded-Proto": "https"})
    hsts = behind_proxy["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_plain_http_is_redirected_to_https_unless_the_proxy_says_it_was_https(settings):
    settings.SECURE_SSL_REDIRECT = True  # production's default; tests/conftest.py turns it off
    from django.test import Client

    fresh = Client()  # middleware reads the setting when it starts
    redirect = fresh.get("/privacy/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/privacy/"
    assert fresh.get("/privacy/", headers={"X-Forwarded-Proto": "https"}).status_code == 200


def test_session_and_csrf_cookies_are_secure_and_http_only(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password")
    login_page = client.get(reverse("admin:login"))
    csrf_cookie = login_page.cookies["csrftoken"]
    assert csrf_cookie["secure"] and csrf_cookie["httponly"]
    response = client.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": "a-long-password",
            "csrfmiddlewaretoken": csrf_cookie.value,
        },
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
