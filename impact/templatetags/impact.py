from django import template

from impact.views import may_see_impact

register = template.Library()


@register.simple_tag(takes_context=True)
def impact_visible(context):
    """Whether the signed-in user may open the impact page (for the admin's home page)."""
    return may_see_impact(context["request"].user)
