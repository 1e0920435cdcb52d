"""Sanitised rich text: the only HTML that editors' content may put on a public page.

Bodies are cleaned when saved and again when rendered, so HTML that reached the database some
other way (a fixture, a shell session) still cannot inject scripts or styles.
"""

import re

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField, ProseEditorFormField

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


# What the admin's editor offers, and nothing more: the toolbar has no button for anything the
# sanitiser would strip, and no HTML source view, so editors never type markup.
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
}

# What an editor leaves behind when the text is deleted: an empty paragraph or two.
_EMPTY = re.compile(r"(\s|<p>(\s|<br>)*</p>)*")


def clean_editor_html(html):
    """``sanitise(html)``, and an empty string when nothing but empty paragraphs is left."""
    html = sanitise(html)
    return "" if _EMPTY.fullmatch(html) else html


class RichTextFormField(ProseEditorFormField):
    def to_python(self, value):
        # Cleaned before the required check, so an emptied editor counts as empty.
        return clean_editor_html(super().to_python(value))


class RichTextField(ProseEditorField):
    """Rich text edited in the admin's WYSIWYG editor, sanitised here whenever it is cleaned and
    every time it is saved (so a shell session or fixture cannot store a script either)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EDITOR_EXTENSIONS)
        # Our sanitiser, not one the editor derives from its extensions: one set of rules.
        kwargs.setdefault("sanitize", clean_editor_html)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})

    def deconstruct(self):
        # ProseEditorField records itself as a plain TextField; keep this class in migrations
        # so the state matches the migrations already written.
        name, _path, args, kwargs = super().deconstruct()
        return name, "prevent_site.richtext.RichTextField", args, kwargs

    def pre_save(self, model_instance, add):
        value = clean_editor_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
