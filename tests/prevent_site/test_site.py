"""Site-wide behaviour: every page reachable from the home page works and is well formed."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import translate_url

pytestmark = pytest.mark.django_db


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.h1s, self.mains = [], set(), 0, 0
        self.title, self._in_title, self.breadcrumbs = "", False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.h1s += tag == "h1"
        self.mains += tag == "main"
        self._in_title = tag == "title"
        if tag == "nav" and "govuk-breadcrumbs" in (attrs.get("class") or "").split():
            self.breadcrumbs = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


# The home page in each language: the only pages without breadcrumbs.
HOME_PAGES = {translate_url("/", code) for code, _ in settings.LANGUAGES}


def crawl(client):
    """Follow every internal link from the home page; return {path: (response, parsed page)}."""
    seen, queue = {}, ["/"]
    while queue:
        path = queue.pop()
        if path in seen or path.startswith("/admin/"):
            continue
        response = client.get(path)
        page = parse(response) if "html" in response.get("Content-Type", "") else None
        seen[path] = (response, page)
        for href in page.links if page else []:
            url, _ = urldefrag(href)
            parts = urlparse(url)
            if url and not parts.scheme and not parts.netloc and url.startswith("/"):
                queue.append(url)
    return seen


@pytest.fixture
def site_with_content():
    call_command("load_initial_content", verbosity=0)


def test_every_page_reachable_from_home_answers_200(client, site_with_content):
    pages = crawl(client)
    broken = {path: r.status_code for path, (r, _) in pages.items() if r.status_code != 200}
    assert broken == {}
    # The crawl really reached the content, not just the menu.
    assert "/newsletters/july-2023/" in pages
    from resources.models import FundingScheme
    from training.models import CommunityProject, Event, Workshop

    for model in (Workshop, Event, FundingScheme, CommunityProject):
        for item in model.objects.all():
            assert item.get_absolute_url() in pages, item


def test_every_html_page_has_one_h1_a_main_landmark_skip_link_and_unique_title(
    client, site_with_content
):
    titles = {}
    for path, (response, page) in crawl(client).items():
        if page is None:
            continue
        assert page.h1s == 1, path
        assert page.mains == 1, path
        assert "main-content" in page.ids, path
        assert 'href="#main-content"' in response.content.decode(), path
        if path not in HOME_PAGES:
            assert page.breadcrumbs, f"{path} has no breadcrumb"
        # A query string (?workshop=wrap pre-selecting the request form) is the same page.
        titles.setdefault(" ".join(page.title.split()), set()).add(urlparse(path).path)
    duplicates = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert duplicates == {}


def test_in_page_links_point_at_ids_that_exist(client, site_with_content):
    for path, (_response, page) in crawl(client).items():
        if page is None:
            continue
        for href in page.links:
            if href.startswith("#"):
                assert href[1:] in page.ids, f"{path}: {href}"


def test_footer_shows_the_team_contact_on_every_page(client, site_with_content):
    for path in ["/", "/team/", "/privacy/"]:
        assert "mailto:prevent@westminster.gov.uk" in client.get(path).content.decode()


def test_unknown_address_gets_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "If you typed the web address, check it is correct." in body


def test_server_error_page_renders_without_the_database(rf, django_assert_num_queries):
    from prevent_site.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_start_up_stops_with_a_clear_message_without_secret_key_when_debug_is_off(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "prevent_site.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    )
    assert result.returncode != 0
    assert re.search(r"SECRET_KEY is not set", result.stderr)
