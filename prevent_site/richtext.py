"""Sanitised rich text: the only HTML that editors' content may put on a public page.

Bodies are cleaned when saved and again when rendered, so HTML that reached the database some
other way (a fixture, a shell session) still cannot inject scripts or styles.
"""

import re

import nh3
from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "b", "i"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_HEADING = re.compile(r"<(h[234])>(.*?)</\1>", re.DOTALL)


def sanitise(html):
    """Return ``html`` with everything but the allowed tags, attributes and schemes removed."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def heading_id(prefix, text):
    return f"{prefix}-{slugify(strip_tags(text))}" if prefix else slugify(strip_tags(text))


def render(html, anchor_prefix=""):
    """Sanitise ``html`` and give each heading an id, so sub-headings can be linked to."""

    def add_id(match):
        tag, inner = match.group(1), match.group(2)
        return f'<{tag} id="{heading_id(anchor_prefix, inner)}">{inner}</{tag}>'

    return mark_safe(_HEADING.sub(add_id, sanitise(html)))


def subheadings(html, anchor_prefix=""):
    """(id, text) for each h3 in ``html``: the entries of a section in a table of contents."""
    return [
        (heading_id(anchor_prefix, inner), strip_tags(inner))
        for tag, inner in _HEADING.findall(sanitise(html))
        if tag == "h3"
    ]


class RichTextField(models.TextField):
    """A TextField whose HTML is sanitised every time it is saved."""

    def pre_save(self, model_instance, add):
        value = sanitise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
