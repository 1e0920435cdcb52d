"""What search engines and link previews see: titles, descriptions, canonical and Open Graph
tags on every page, the sitemap, robots.txt and the favicon."""

import datetime
import io
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.prevent_site.test_site import crawl

pytestmark = pytest.mark.django_db

SITE_URL = "https://prevent.example.org"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


# Link texts that say nothing about where the link goes (Lighthouse's list, in English).
VAGUE_LINK_TEXTS = {
    "click here",
    "click this",
    "go",
    "here",
    "link",
    "more",
    "read more",
    "learn more",
    "continue",
    "start",
    "right here",
    "this",
    "this page",
}


class LinkTextParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts, self._href = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.texts.append((" ".join(self._text.split()).lower(), self._href))
            self._href = None


class HeadParser(HTMLParser):
    """The <title>, and the meta and link tags that describe the page."""

    def __init__(self):
        super().__init__()
        self.title, self._in_title = "", False
        self.meta, self.links = defaultdict(list), defaultdict(list)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_title = tag == "title"
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]].append(attrs.get("content", ""))
        if tag == "link" and attrs.get("rel"):
            self.links[attrs["rel"]].append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head(response):
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def pages(client, settings):
    """Every HTML page reachable from the home page with the July 2023 content, and the 404."""
    settings.SITE_URL = SITE_URL
    call_command("load_initial_content", stdout=io.StringIO())
    found = {}
    for path, (response, page) in sorted(crawl(client).items()):
        # /training/request/?workshop=wrap is the request page with WRAP chosen: the same page.
        if page and path.split("?")[0] not in found:
            found[path] = head(response)
    found["/no-such-page/"] = head(client.get("/no-such-page/"))
    assert len(found) > 20
    return found


def test_every_page_has_a_unique_title_and_description(pages):
    titles, descriptions = defaultdict(list), defaultdict(list)
    for path, page in pages.items():
        [description] = page.meta["description"]
        assert description.strip(), path
        descriptions[description].append(path)
        titles[" ".join(page.title.split())].append(path)
    assert {title: paths for title, paths in titles.items() if len(paths) > 1} == {}
    assert {text: paths for text, paths in descriptions.items() if len(paths) > 1} == {}


def test_every_page_has_a_canonical_address_on_the_public_site(pages):
    for path, page in pages.items():
        if path == "/no-such-page/":
            continue
        assert page.links["canonical"] == [SITE_URL + path], path
        assert page.meta["og:url"] == [SITE_URL + path], path


def test_error_pages_name_no_canonical_address(client, settings, django_user_model):
    """A canonical link on an error page would tell search engines the missing address is a page."""
    settings.SITE_URL = SITE_URL
    settings.REQUEST_BODY_LIMIT = 10
    not_found = client.get("/no-such-page/")
    too_large = client.post("/search/", {"q": "x" * 100})
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    forbidden = client.get("/admin/reports/report/")
    # Missing inside a page that has other languages: no page of those languages either.
    past_the_last_page = client.get("/search/?q=prevent&page=999")
    long_ago = timezone.now() - datetime.timedelta(days=settings.FEEDBACK_OPEN_DAYS + 1)
    closed_session = factories.make_session(starts_at=long_ago)
    closed = client.get(reverse("training:feedback", args=[closed_session.feedback_code]))
    for response, status in (
        (not_found, 404),
        (too_large, 413),
        (forbidden, 403),
        (past_the_last_page, 404),
        (closed, 410),
    ):
        assert response.status_code == status
        page = head(response)
        assert page.title.strip(), status
        assert "canonical" not in page.links, status
        assert "og:url" not in page.meta, status
        assert "hreflang=" not in response.content.decode(), status


def test_canonical_address_ignores_tracking_parameters_but_keeps_the_page_number(client, settings):
    settings.SITE_URL = SITE_URL
    for _ in range(13):
        factories.make_issue()
    assert head(client.get("/newsletters/?utm_source=email")).links["canonical"] == [
        SITE_URL + "/newsletters/"
    ]
    assert head(client.get("/newsletters/?page=2&utm_source=x")).links["canonical"] == [
        SITE_URL + "/newsletters/?page=2"
    ]


def test_a_page_number_counts_in_the_canonical_address_only_on_a_paginated_list(client, settings):
    settings.SITE_URL = SITE_URL
    for _ in range(13):
        factories.make_issue()
    home = head(client.get("/?page=3"))
    assert home.links["canonical"] == home.meta["og:url"] == [SITE_URL + "/"]
    last = head(client.get("/newsletters/?page=last"))
    assert last.links["canonical"] == last.meta["og:url"] == [SITE_URL + "/newsletters/?page=2"]


def test_every_page_has_open_graph_tags_and_og_title_is_never_empty(pages):
    for path, page in pages.items():
        [og_title] = page.meta["og:title"]
        assert og_title.strip(), path
        assert page.meta["og:description"] and page.meta["og:description"][0].strip(), path
        # The team's name in the page's language: Arabic and Bengali pages are under /ar/, /bn/.
        english = not path.startswith(("/ar/", "/bn/"))
        assert (page.meta["og:site_name"] == ["Westminster Prevent team"]) == english, path
        assert page.meta["og:type"] in (["website"], ["article"]), path


def test_page_without_its_own_og_title_falls_back_to_its_title(pages):
    assert pages["/privacy/"].meta["og:title"] == ["Privacy notice"]
    assert pages["/no-such-page/"].meta["og:title"] == ["Page not found"]
    assert pages["/newsletters/july-2023/"].meta["og:title"] == ["Prevent Newsletter, July 2023"]


def test_no_link_is_called_here_or_read_more(client):
    call_command("load_initial_content", stdout=io.StringIO())
    vague = []
    for path, (response, page) in crawl(client).items():
        if page:
            parser = LinkTextParser()
            parser.feed(response.content.decode())
            vague += [(path, href, text) for text, href in parser.texts if text in VAGUE_LINK_TEXTS]
    assert vague == []


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]
    assert all(loc.startswith(SITE_URL + "/") for loc in locations), locations
    return {loc.removeprefix(SITE_URL) for loc in locations}


def test_sitemap_lists_every_public_page_at_its_canonical_address(client, pages):
    # Every page a visitor can reach (except the 404) is in the sitemap, and nothing else.
    assert sitemap_paths(client) == set(pages) - {"/no-such-page/"}


def test_sitemap_leaves_out_drafts_and_items_scheduled_for_the_future(client, settings):
    settings.SITE_URL = SITE_URL
    published = [
        factories.make_issue(),
        factories.make_workshop(),
        factories.make_event(),
        factories.make_scheme(),
        factories.make_project(),
    ]
    hidden = []
    for make in (
        factories.make_issue,
        factories.make_workshop,
        factories.make_event,
        factories.make_scheme,
    ):
        hidden.append(make(status="draft"))
        hidden.append(make(publish_at=factories.future()))

    paths = sitemap_paths(client)
    for item in published:
        assert item.get_absolute_url() in paths, item
    for item in hidden:
        assert item.get_absolute_url() not in paths, item
    assert {"/", "/accessibility/", "/privacy/", "/cookies/"} <= paths


def test_robots_txt_keeps_crawlers_out_of_the_admin_as_pythons_robot_parser_reads_it(client):
    parser = RobotFileParser()
    parser.parse(client.get("/robots.txt").content.decode().splitlines())
    assert not parser.can_fetch("*", "/admin/")
    assert not parser.can_fetch("Googlebot", "/admin/login/")
    assert parser.can_fetch("*", "/")
    assert parser.can_fetch("*", "/newsletters/july-2023/")


def test_robots_txt_allows_everything_but_the_admin_and_points_to_the_sitemap(client, settings):
    settings.SITE_URL = SITE_URL
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = [line.strip() for line in response.content.decode().splitlines()]
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert [line for line in lines if line.startswith("Disallow:")] == ["Disallow: /admin/"]
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines


def test_favicon_ico_at_the_site_root_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/images/favicon.ico"
    icon = Path(finders.find("images/favicon.ico")).read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
