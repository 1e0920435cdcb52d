from django import template
from django.conf import settings

from blocks.retention import period_words

register = template.Library()


@register.simple_tag
def kept_for(setting):
    """A retention period in words, from its setting: ``{% kept_for "REPORT_RETENTION_DAYS" %}``
    gives "12 months"."""
    return period_words(getattr(settings, setting))
