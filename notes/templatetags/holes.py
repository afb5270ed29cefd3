"""``{% hole "name" %}...{% endhole %}``: a part of a page that is each reader's own, rendered
for every request while the rest of the page is kept (``notes.lib.skeletons``)."""

import re

from django import template

from notes.lib.skeletons import HoleNode

register = template.Library()


@register.tag
def hole(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or not re.fullmatch(r"([\"'])[a-z][a-z0-9-]*\1", bits[1]):
        raise template.TemplateSyntaxError(
            '{% hole %} takes one quoted name of lower-case letters, digits and dashes: {% hole "name" %}'
        )
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(bits[1][1:-1], nodelist)
