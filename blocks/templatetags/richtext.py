from django import template

from blocks import richtext as richtext_module

register = template.Library()


@register.filter
def richtext(value, anchor_prefix=""):
    """Render stored rich text safely: ``{{ section.body|richtext:section.slug }}``."""
    return richtext_module.render(value, anchor_prefix)
