"""Pages rendered once for everyone who sees them alike, with holes for what is each reader's own.

A signed-in reader's chapter page is the same for every reader with the same roles and
time zone, but for a few places: the menu's badges, their name and the log-out form, the
watch button, their reading progress, who else is drafting, the flash messages. Those
places are marked in the templates with ``{% hole "name" %}...{% endhole %}``
(``notes.templatetags.holes``). ``render_skeleton`` renders a page with a marker in place
of each hole; the result is kept (in the page cache, per variant); ``fill_skeleton`` then
renders only the holes for each request, with that request's context, and puts them in.
A page costs its holes instead of its whole template.

A hole renders with the page's whole context, so what it shows is exactly what the page
would have shown. What lies outside every hole must depend only on what the variant's key
names: the view choosing a skeleton owns that promise, and its tests check it with two
readers of one variant.
"""

import re
import weakref
from dataclasses import dataclass

from django import template
from django.template.context import make_context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode

# Where a hole was: a NUL character never reaches a page from a form, an import or the
# Markdown renderer, and ``render_skeleton`` refuses a page where the markers it placed are
# not the only ones.
_MARK = "\x00hole:{}\x00"
_MARKS = re.compile("\x00hole:([a-z][a-z0-9-]*)\x00")
# In the context, while a skeleton renders: the holes met, in order.
_SKELETON = "_skeleton_holes"


class HoleNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> str:
        holes = context.get(_SKELETON)
        if holes is None:
            return self.nodelist.render(context)
        holes.append(self.name)
        return _MARK.format(self.name)


@dataclass(frozen=True)
class Skeleton:
    template_name: str
    # The page's text and its holes' names, alternating: text, hole, text, ..., text.
    parts: tuple[str, ...]


def render_skeleton(template_name: str, context: dict, request) -> Skeleton | None:
    """The page with its holes left open; None if its text holds a marker of its own."""
    holes: list[str] = []
    html = render_to_string(template_name, {**context, _SKELETON: holes}, request)
    parts = _MARKS.split(html)
    if list(parts[1::2]) != holes:
        return None
    return Skeleton(template_name, tuple(parts))


def fill_skeleton(skeleton: Skeleton, context: dict, request) -> str:
    """The page for this request: the skeleton with its holes rendered from ``context`` and
    the context processors, as the whole template would have rendered them."""
    compiled = get_template(skeleton.template_name).template
    nodes = _hole_nodes(compiled)
    bound = make_context(context, request)
    with bound.bind_template(compiled):
        return "".join(
            part if index % 2 == 0 else nodes[part].nodelist.render(bound)
            for index, part in enumerate(skeleton.parts)
        )


# Compiled templates are kept by the template loader for the process's life (or until the
# development server reloads them): their holes are looked up once per compiled template.
_NODES: "weakref.WeakKeyDictionary[template.Template, dict[str, HoleNode]]" = weakref.WeakKeyDictionary()


def _hole_nodes(compiled) -> dict[str, HoleNode]:
    nodes = _NODES.get(compiled)
    if nodes is None:
        nodes = {}
        current = compiled
        while current is not None:
            # A child's blocks come first: they are what the page renders.
            for node in current.nodelist.get_nodes_by_type(HoleNode):
                nodes.setdefault(node.name, node)
            extends = current.nodelist.get_nodes_by_type(ExtendsNode)
            parent = extends[0].parent_name.resolve(template.Context()) if extends else None
            current = get_template(parent).template if parent else None
        _NODES[compiled] = nodes
    return nodes
