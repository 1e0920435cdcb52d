"""Reading rendered pages the way a person (or assistive technology) meets them."""

import html as html_module
import re
from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.inputs = {}
        self.summary_links = []
        self._in_summary = 0
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("input", "textarea", "select") and "id" in attrs:
            self.inputs[attrs["id"]] = attrs
        if "govuk-error-summary" in (attrs.get("class") or "").split():
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self._link = [attrs.get("href"), ""]

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if self._in_summary and tag == "a" and self._link:
            self.summary_links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None
        if self._in_summary and tag == "div":
            self._in_summary -= 1


def parse(response):
    return parse_html(response.content.decode())


def parse_html(html):
    page = _Page()
    page.feed(html)
    return page


def field_error(response, field):
    """The error message shown next to a field, inside its form group."""
    html = response.content.decode()
    match = re.search(
        rf'<span id="id_{field}_1_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>\s*(.*?)\s*</span>',
        html,
        re.S,
    )
    return match and html_module.unescape(match.group(1))
