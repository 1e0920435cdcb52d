"""Sanitised rich text: the only HTML that editors' content may put on a public page.

Bodies are cleaned when saved and again when rendered, so HTML that reached the database some
other way (a fixture, a shell session) still cannot inject scripts or styles.
"""

import html as html_module
import re
from functools import partial

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField, ProseEditorFormField

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "b", "i"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Heading levels a text may use. A text shown under a heading of its own (a newsletter section
# under its h2) starts lower: RichTextField(heading_levels=(3, 4)).
HEADING_LEVELS = (2, 3, 4)

_HEADING = re.compile(r"<(h[234])>(.*?)</\1>", re.DOTALL)


def paragraphs(text):
    """Plain text the team typed, as its paragraphs: split at blank lines, and trimmed."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def sanitise(html, heading_levels=HEADING_LEVELS):
    """Return ``html`` with everything but the allowed tags, attributes and schemes removed.

    A heading above the highest of ``heading_levels`` is moved down to it, so that its words
    stay a heading rather than becoming loose text.
    """
    clean = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    top = min(heading_levels)
    if top > 2:
        # nh3's output has no attributes on headings: each tag is exactly <hN> or </hN>.
        clean = re.sub(rf"<(/?)h[2-{top - 1}]>", rf"<\1h{top}>", clean)
    return clean


def heading_text(inner):
    """A heading as readers see it: no tags, and entities decoded (``&amp;`` becomes ``&``)."""
    return html_module.unescape(strip_tags(inner))


def _anchored_headings(clean_html, prefix):
    """(match, id) for each h2–h4 of sanitised HTML. Ids are unique within the text: a repeated
    heading gets ``-2``, ``-3``…, and one with no letters or digits to slugify gets "heading"."""
    seen = {}
    for match in _HEADING.finditer(clean_html):
        slug = slugify(heading_text(match.group(2))) or "heading"
        anchor = f"{prefix}-{slug}" if prefix else slug
        seen[anchor] = seen.get(anchor, 0) + 1
        yield match, anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}"


def render_with_subheadings(html, anchor_prefix=""):
    """``(render(html), subheadings(html))``, sanitising once for both."""
    clean = sanitise(html)
    parts, position, entries = [], 0, []
    for match, anchor in _anchored_headings(clean, anchor_prefix):
        tag, inner = match.group(1), match.group(2)
        parts += [clean[position : match.start()], f'<{tag} id="{anchor}">{inner}</{tag}>']
        position = match.end()
        if tag == "h3":
            entries.append((anchor, heading_text(inner)))
    parts.append(clean[position:])
    return mark_safe("".join(parts)), entries


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def first_paragraph_text(html):
    """The text of the first paragraph of ``html`` that has any, as readers see it (plain, with
    entities decoded); "" if none has."""
    for match in _PARAGRAPH.finditer(sanitise(html)):
        text = " ".join(heading_text(match.group(1)).split())
        if text:
            return text
    return ""


_BLOCK_END = re.compile(r"</(?:p|h[234]|ul|ol)>")
_LINE_END = re.compile(r"<br>|</li>")


def plain_text(html):
    """``html`` as plain text, for a calendar file: paragraphs and headings a blank line apart,
    each list item on a line of its own after "- ", entities decoded (``&amp;`` becomes ``&``)."""
    text = _BLOCK_END.sub("\n\n", sanitise(html).replace("<li>", "- "))
    text = html_module.unescape(strip_tags(_LINE_END.sub("\n", text)))
    return re.sub(r"\n\s*\n\s*", "\n\n", text).strip()


def render(html, anchor_prefix=""):
    """Sanitise ``html`` and give each heading an id, so sub-headings can be linked to."""
    return render_with_subheadings(html, anchor_prefix)[0]


def subheadings(html, anchor_prefix=""):
    """(id, text) for each h3 in ``html``: the entries of a section in a table of contents."""
    return render_with_subheadings(html, anchor_prefix)[1]


# What the admin's editor offers, and nothing more: the toolbar has no button for anything the
# sanitiser would strip, and no HTML source view, so editors never type markup.
EDITOR_EXTENSIONS = {
    "Heading": {"levels": list(HEADING_LEVELS)},
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


def clean_editor_html(html, heading_levels=HEADING_LEVELS):
    """``sanitise(html)``, and an empty string when nothing but empty paragraphs is left."""
    html = sanitise(html, heading_levels)
    return "" if _EMPTY.fullmatch(html) else html


class RichTextFormField(ProseEditorFormField):
    def __init__(self, *args, heading_levels=HEADING_LEVELS, **kwargs):
        self.heading_levels = heading_levels
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        # Cleaned before the required check, so an emptied editor counts as empty.
        return clean_editor_html(super().to_python(value), self.heading_levels)


class RichTextField(ProseEditorField):
    """Rich text edited in the admin's WYSIWYG editor, sanitised here whenever it is cleaned and
    every time it is saved (so a shell session or fixture cannot store a script either)."""

    def __init__(self, *args, heading_levels=HEADING_LEVELS, **kwargs):
        self.heading_levels = tuple(heading_levels)
        kwargs.setdefault(
            "extensions", {**EDITOR_EXTENSIONS, "Heading": {"levels": list(self.heading_levels)}}
        )
        # Our sanitiser, not one the editor derives from its extensions: one set of rules.
        kwargs.setdefault("sanitize", partial(clean_editor_html, heading_levels=heading_levels))
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": RichTextFormField, "heading_levels": self.heading_levels, **kwargs}
        )

    def deconstruct(self):
        # ProseEditorField records itself as a plain TextField; keep this class in migrations
        # so the state matches the migrations already written.
        name, _path, args, kwargs = super().deconstruct()
        return name, "blocks.richtext.RichTextField", args, kwargs

    def pre_save(self, model_instance, add):
        value = clean_editor_html(getattr(model_instance, self.attname), self.heading_levels)
        setattr(model_instance, self.attname, value)
        return value
