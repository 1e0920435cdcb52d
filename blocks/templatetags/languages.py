"""{% page_url "name" %}: a link in the reader's language where the page is translated, else
to the English page directly (not through the redirect from /ar/...)."""

from django import template
from django.urls import reverse
from django.utils import translation

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
