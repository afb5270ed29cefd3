"""The one-line placeholder that places a comparison table inside a chapter body.

A chapter body is Markdown; a line holding only ``[[table:<slug>]]`` stands for the
chapter's comparison table with that slug. The renderer, the live preview and the
import/export formats all use these helpers, so the syntax is defined once.
"""

import re

TABLE_PLACEHOLDER_RE = re.compile(r"^[ \t]*\[\[table:(?P<slug>[a-z0-9][a-z0-9-]*)\]\][ \t]*$", re.MULTILINE)


def table_placeholder(slug: str) -> str:
    """Return the placeholder line for the table ``slug``."""
    return f"[[table:{slug}]]"


def placeholder_slugs(body: str) -> list[str]:
    """Return the table slugs a body places, in order of appearance."""
    return [match.group("slug") for match in TABLE_PLACEHOLDER_RE.finditer(body)]
