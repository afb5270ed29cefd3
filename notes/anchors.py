"""Places of a chapter a discussion thread can point at: its headings and comparison tables.

Headings are read from the chapter's stored, sanitized HTML (the renderer gives each one an
id); tables from the chapter's ``ComparisonTable`` rows. ``mark_discussed_places`` adds,
next to each such place in the chapter page, a link to the threads about it.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape, unescape

from django.utils.html import strip_tags

HEADING = "heading"
TABLE = "table"

_HEADING_RE = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)
_FIGURE_RE = re.compile(r'<figure class="comparison-table" id="table-([^"]+)"[^>]*>.*?</figure>', re.DOTALL)


@dataclass(frozen=True)
class Anchor:
    kind: str  # HEADING or TABLE (Thread.AnchorKind values)
    value: str  # the heading's id or the table's slug
    label: str

    @property
    def key(self) -> str:
        """How forms and URLs name the place: "heading:<id>" or "table:<slug>"."""
        return f"{self.kind}:{self.value}"

    @property
    def html_id(self) -> str:
        """The id of the place in the chapter page."""
        return f"table-{self.value}" if self.kind == TABLE else self.value


def chapter_anchors(*, body_html: str, tables: Iterable) -> list[Anchor]:
    """The chapter's headings (in the order of its HTML), then its tables (in their order)."""
    headings = [
        Anchor(HEADING, unescape(heading_id), unescape(strip_tags(text)).strip())
        for _level, heading_id, text in _HEADING_RE.findall(body_html)
    ]
    return headings + [Anchor(TABLE, table.slug, table.title or table.slug) for table in tables]


def anchor_key(kind: str, value: str) -> str:
    return f"{kind}:{value}" if kind else ""


def mark_discussed_places(
    html: str,
    counts: Mapping[str, int],
    *,
    link_for: Callable[[str], str],
    start_for: Callable[[str], str] | None,
) -> str:
    """Return the chapter's HTML with a thread count after each heading and each table.

    ``counts`` maps anchor keys to thread counts; ``link_for(key)`` gives the URL of the
    threads about a place, ``start_for(key)`` (None for users who cannot post) the URL to
    start one. Only counts and URLs made here are inserted, each escaped: the chapter's
    own HTML passes through untouched.
    """

    def badge(key: str, *, is_table: bool) -> str:
        count = counts.get(key, 0)
        parts = []
        if count:
            label = f"{count} thread{'s' if count != 1 else ''}"
            parts.append(f'<a class="anchor-threads" href="{escape(link_for(key))}">{label}</a>')
        if is_table and start_for is not None:
            parts.append(f'<a class="anchor-start" href="{escape(start_for(key))}">Discuss this table</a>')
        if not parts:
            return ""
        return f'<p class="discussed-place" data-anchor="{escape(key)}">{" · ".join(parts)}</p>'

    def after_heading(match: re.Match) -> str:
        return match.group(0) + badge(anchor_key(HEADING, unescape(match.group(2))), is_table=False)

    def after_table(match: re.Match) -> str:
        return match.group(0) + badge(anchor_key(TABLE, unescape(match.group(1))), is_table=True)

    return _FIGURE_RE.sub(after_table, _HEADING_RE.sub(after_heading, html))
