"""``{% capture as name %}…{% endcapture %}``: render a part of a template once, use it again.

base.html captures the title block so that og:title can fall back to it: Django forbids two
blocks with one name, and a child's block cannot be read from another block.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Already rendered, so escaped where it needed to be: marking it safe avoids escaping
        # twice. Surrounding whitespace and line breaks are dropped.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
