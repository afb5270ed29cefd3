"""Places of a chapter a discussion thread can point at: its headings and comparison tables.

Headings are read from the chapter's stored, sanitized HTML (the renderer gives each one an
id); tables from the chapter's ``ComparisonTable`` rows. ``chapter_contents`` lists them in
page order when a chapter is rendered (stored as ``Chapter.contents``);
``mark_discussed_places`` adds, next to each such place in the chapter page, a permalink
and links to the threads about it.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import unquote

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


_PLACE_RE = re.compile(f"{_HEADING_RE.pattern}|{_FIGURE_RE.pattern}", re.DOTALL)


def chapter_contents(*, body_html: str, tables: Iterable) -> list[dict]:
    """The chapter's table of contents: its headings and tables in the order they stand.

    Each entry is ``{"kind", "id", "title", "level"}`` (``level`` 1-6 for a heading; a
    table sits one level below the heading above it). Tables the text does not place come
    last, with ``"placed": False``: they are shown on their own page only. Made when the
    chapter is rendered and stored with it, so no page parses HTML to show its contents.
    """
    titles = {table.slug: table.title or table.slug for table in tables}
    entries: list[dict] = []
    placed: set[str] = set()
    level = 0
    for match in _PLACE_RE.finditer(body_html):
        heading_level, heading_id, text, table_slug = match.groups()
        if heading_id is not None:
            level = int(heading_level)
            title = unescape(strip_tags(text)).strip()
            entries.append({"kind": HEADING, "id": unescape(heading_id), "title": title, "level": level})
        else:
            slug = unescape(table_slug)
            placed.add(slug)
            title = titles.get(slug, slug)
            entries.append(
                {"kind": TABLE, "id": f"table-{slug}", "slug": slug, "title": title, "level": level + 1}
            )
    for slug, title in titles.items():
        if slug not in placed:
            entries.append(
                {
                    "kind": TABLE,
                    "id": f"table-{slug}",
                    "slug": slug,
                    "title": title,
                    "level": 1,
                    "placed": False,
                }
            )
    return entries


def anchor_key(kind: str, value: str) -> str:
    return f"{kind}:{value}" if kind else ""


def mark_discussed_places(
    html: str,
    counts: Mapping[str, int],
    *,
    link_for: Callable[[str], str],
    start_for: Callable[[str], str] | None,
    edit_table_for: Callable[[str], str] | None = None,
) -> str:
    """Return the chapter's HTML with a permalink on each heading and each table, and after
    each a line with its thread count and a "Discuss this" link.

    ``counts`` maps anchor keys to thread counts; ``link_for(key)`` gives the URL of the
    threads about a place, ``start_for(key)`` (None for users who cannot post) the URL to
    start one, ``edit_table_for(slug)`` (None for users who cannot propose) the URL of a
    table's grid editor. Only counts and URLs made here are inserted, each escaped: the
    chapter's own HTML passes through untouched.
    """

    def permalink(html_id: str, label: str) -> str:
        return f'<a class="permalink" href="#{escape(html_id)}" aria-label="{label}">#</a>'

    def place_line(key: str, html_id: str, *, is_table: bool, link: bool = False, edit_url: str = "") -> str:
        count = counts.get(key, 0)
        parts = []
        # Outside the " · " joins: the "Discuss this" after it shows on hover only, and a
        # dot before a hidden link would dangle. A space, not only a margin, after it, so its
        # text is not read run into the next link's ("Edit this table1 thread").
        edit = f'<a class="table-edit" href="{escape(edit_url)}">Edit this table</a> ' if edit_url else ""
        if link:  # a table without a caption has no title to hang its permalink on
            parts.append(f'<a class="permalink-text" href="#{escape(html_id)}">Link to this table</a>')
        if count:
            label = f"{count} thread{'s' if count != 1 else ''}"
            parts.append(f'<a class="anchor-threads" href="{escape(link_for(key))}">{label}</a>')
        if start_for is not None:
            label = "Discuss this table" if is_table else "Discuss this"
            parts.append(f'<a class="anchor-start" href="{escape(start_for(key))}">{label}</a>')
        if not parts and not edit:
            return ""
        return f'<p class="discussed-place" data-anchor="{escape(key)}">{edit}{" · ".join(parts)}</p>'

    def after_heading(match: re.Match) -> str:
        level, html_id, text = match.groups()
        html_id = unescape(html_id)
        heading = (
            f'<h{level} id="{escape(html_id)}">{text}{permalink(html_id, "Link to this section")}</h{level}>'
        )
        return heading + place_line(anchor_key(HEADING, html_id), html_id, is_table=False)

    def after_table(match: re.Match) -> str:
        slug = unescape(match.group(1))
        figure, html_id = match.group(0), f"table-{slug}"
        has_caption = "</figcaption>" in figure
        if has_caption:
            figure = figure.replace(
                "</figcaption>", permalink(html_id, "Link to this table") + "</figcaption>", 1
            )
        edit_url = edit_table_for(slug) if edit_table_for is not None else ""
        line = place_line(
            anchor_key(TABLE, slug), html_id, is_table=True, link=not has_caption, edit_url=edit_url
        )
        return figure + line

    return _FIGURE_RE.sub(after_table, _HEADING_RE.sub(after_heading, html))


_ELEMENT_ID_RE = re.compile(r'\sid="([^"]*)"')
_LOCAL_LINK_RE = re.compile(r'href="#([^"]+)"')


def moved_anchor_urls(pages: Iterable[tuple[str, Iterable[dict]]]) -> dict[str, str]:
    """Map each place id (heading or table) to the URL of the first page holding it.

    ``pages`` are ``(url, contents)`` pairs in reading order, ``contents`` as made by
    ``chapter_contents``: the stored table of contents already names every id.
    """
    urls: dict[str, str] = {}
    for url, contents in pages:
        for entry in contents:
            if entry.get("placed", True):
                urls.setdefault(entry["id"], url)
    return urls


def rewrite_moved_anchors(html: str, urls: Mapping[str, str]) -> str:
    """Point each ``#anchor`` link of ``html`` whose target is not in ``html`` itself but is
    in ``urls`` at the page that holds it: ``href="#x"`` becomes ``href="<url>#x"``.

    A book summary written when its notes were one document links ``#feature-stores``;
    that heading now lives on a chapter page. Links to places on the same page, and to
    places no page has, are left as they are.
    """
    if not urls:
        return html
    here = {unescape(element_id) for element_id in _ELEMENT_ID_RE.findall(html)}

    def rewrite(match: re.Match) -> str:
        fragment = match.group(1)
        anchor = unquote(unescape(fragment))  # markdown-it percent-encodes non-ASCII letters
        if anchor in here or anchor not in urls:
            return match.group(0)
        return f'href="{escape(urls[anchor])}#{fragment}"'

    return _LOCAL_LINK_RE.sub(rewrite, html)
