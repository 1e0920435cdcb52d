from django import template

from blocks import admin, health

register = template.Library()


@register.simple_tag
def site_warnings():
    """What is wrong with the site, in plain words, for the admin's home page."""
    return health.warnings()


@register.simple_tag(takes_context=True)
def items_due_for_review(context):
    """What is due for review, of what the signed-in member of staff may change."""
    return admin.due_for_review(context["request"])
