from django import template

from blocks import health

register = template.Library()


@register.simple_tag
def site_warnings():
    """What is wrong with the site, in plain words, for the admin's home page."""
    return health.warnings()
