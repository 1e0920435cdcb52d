"""{% page_url "name" %}: a link in the reader's language where the page is translated, else
to the English page directly (not through the redirect from /ar/...)."""

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from modeltranslation.utils import build_localized_fieldname

from blocks import languages

register = template.Library()


def page_url(view_name, *args, **kwargs):
    if languages.is_translated(view_name):
        return reverse(view_name, args=args, kwargs=kwargs)
    with translation.override(languages.default_language()):
        return reverse(view_name, args=args, kwargs=kwargs)


@register.simple_tag(name="page_url")
def page_url_tag(view_name, *args, **kwargs):
    return page_url(view_name, *args, **kwargs)


@register.simple_tag
def fallback_lang(obj, field):
    """' lang="en-GB" dir="ltr"' where a translated field has no text in the reader's language
    yet, so the page shows the English (WCAG 3.1.2, language of parts); nothing otherwise.

    ``{% fallback_lang route "description" %}`` on the element that holds route.description.
    """
    language = translation.get_language()
    if not language or language == languages.default_language():
        return ""
    if getattr(obj, build_localized_fieldname(field, language), None):
        return ""
    return mark_safe(f' lang="{languages.html_lang(languages.default_language())}" dir="ltr"')
