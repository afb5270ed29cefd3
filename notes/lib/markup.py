"""The one renderer for every piece of Markdown a user wrote.

``render_markdown`` turns Markdown into HTML with markdown-it-py (CommonMark with GFM
tables and strikethrough, line breaks kept, heading anchors, bare URLs linked), expands comparison-table
placeholders, and passes the result through nh3 with an explicit allow-list. Raw HTML in
the source is never passed through: it is shown as text. Callers store the result when
content is saved; pages never render Markdown per request.
"""

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Protocol
from urllib.parse import unquote

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.anchors.index import slugify

from notes.lib.placeholders import TABLE_PLACEHOLDER_RE


class TableLike(Protocol):
    slug: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    alignments: Sequence[str]


ALIGN_CLASSES = {"left": "align-left", "center": "align-center", "right": "align-right"}
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "div", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd",
    "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"scope"},
    "figure": {"id", "data-table"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
ALLOWED_CLASSES = {
    "figure": {"comparison-table"},
    "div": {"table-scroll", "missing-table"},
    "code": {"language-text"},
    # Column alignment as a class: the CSP forbids inline styles (see static/css/site.css).
    "th": set(ALIGN_CLASSES.values()),
    "td": set(ALIGN_CLASSES.values()),
}
URL_SCHEMES = {"http", "https", "mailto"}


def _parser(*, heading_ids: bool) -> MarkdownIt:
    """Markdown-it as the wiki uses it; ``heading_ids`` gives h1-h4 an id from their text.

    Markdown-it blocks javascript:, vbscript: and file: links itself; nh3 is the second
    line and the one that decides. "html": False shows raw HTML as text.

    Bare URLs (``https://...``) become links (linkify-it-py); names without a scheme are
    left as text, so "notes.md" or "model.py" stay file names, and so are bare e-mail
    addresses (``mailto:`` links are written as links).
    """
    parser = MarkdownIt("commonmark", {"breaks": True, "html": False, "linkify": True}).enable(
        ["table", "strikethrough", "linkify"]
    )
    parser.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    if heading_ids:
        parser.core.ruler.push("heading_ids", _heading_ids)
    parser.core.ruler.push("alignment_classes", _alignment_classes)
    return parser


def _heading_ids(state: StateCore) -> None:
    """Give h1-h4 an id from their text, GitHub style: ``slug``, then ``slug-1``, ``slug-2``...

    The ids are those of mdit-py-plugins' anchors plugin, found in linear time: the plugin
    counts up from 1 for each repeat, so 25,000 equal headings took it 90 s to render.
    """
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag not in ("h1", "h2", "h3", "h4"):
            continue
        children = state.tokens[index + 1].children or []
        slug = slugify("".join(child.content for child in children if child.type in ("text", "code_inline")))
        unique = slug
        if unique in used:
            suffix = next_suffix.get(slug, 1)
            while f"{slug}-{suffix}" in used:
                suffix += 1
            next_suffix[slug] = suffix + 1
            unique = f"{slug}-{suffix}"
        used.add(unique)
        token.attrSet("id", unique)


_TEXT_ALIGN = re.compile(r"text-align:(left|center|right)")


def _alignment_classes(state) -> None:
    """GFM table cells come out of markdown-it with ``style="text-align:..."``; the CSP
    forbids inline styles, so write the alignment as a class instead."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            match = _TEXT_ALIGN.fullmatch(str(token.attrs.pop("style")))
            if match:
                token.attrs["class"] = ALIGN_CLASSES[match.group(1)]


_markdown = _parser(heading_ids=True)
_markdown_without_heading_ids = _parser(heading_ids=False)


_URL_ATTRIBUTES = {"href", "src"}
_NOT_URL_CHARACTERS = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _drop_disguised_schemes(tag: str, attribute: str, value: str) -> str | None:
    """Drop a URL whose percent-decoded form hides a scheme we do not allow.

    nh3 checks the scheme as written; ``jav%0Dascript:`` passes as a relative URL.
    Browsers would not decode it, but a link that only looks harmless is not worth
    keeping, so such values are removed.

    An image from another site is dropped too, unless WIKI_ALLOW_OUTSIDE_IMAGES: it
    would tell that site the address of every reader. Images on this site (a path such
    as ``/media/images/...``) stay.
    """
    if attribute not in _URL_ATTRIBUTES:
        return value
    decoded = _NOT_URL_CHARACTERS.sub("", unquote(value)).lower()
    match = _SCHEME.match(decoded)
    if match and match.group(1) not in URL_SCHEMES:
        return None
    if tag == "img" and attribute == "src" and not _is_same_origin(decoded):
        return value if settings.WIKI_ALLOW_OUTSIDE_IMAGES else None
    return value


def _is_same_origin(decoded_url: str) -> bool:
    """A URL without a scheme or host: a path on this site (``//host`` and ``\\host`` are hosts)."""
    return not _SCHEME.match(decoded_url) and not decoded_url.replace("\\", "/").startswith("//")


def sanitize(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_drop_disguised_schemes,
    )


def sanitize_diff(html: str) -> str:
    """``sanitize`` that also keeps <ins> and folds (<details>), for diffs of rendered HTML."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"ins", "details", "summary"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={**ALLOWED_CLASSES, "p": {"diff-cut", "empty"}, "details": {"fold"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_drop_disguised_schemes,
    )


def render_markdown(
    text: str, tables: Mapping[str, TableLike] | None = None, *, heading_ids: bool = True
) -> str:
    """Render user Markdown to sanitized HTML.

    Each line holding only a table placeholder is replaced by that table from ``tables``
    (keyed by slug); a placeholder naming no known table renders as a visible notice.

    Headings get ids from their text, which chapters need (threads point at them). Text
    shown among other content, such as comments, passes ``heading_ids=False``: there
    ``# comment 3`` would otherwise take the id of a real comment's anchor.
    """
    markdown = _markdown if heading_ids else _markdown_without_heading_ids
    text = end_lists_at_unindented_lines(text)
    parts: list[str] = []
    position = 0
    for match in TABLE_PLACEHOLDER_RE.finditer(text):
        parts.append(markdown.render(text[position : match.start()]))
        slug = match.group("slug")
        table = (tables or {}).get(slug)
        parts.append(_table_html(table) if table is not None else _missing_table_html(slug))
        position = match.end()
    parts.append(markdown.render(text[position:]))
    return sanitize("".join(parts))


_LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def end_lists_at_unindented_lines(text: str) -> str:
    """Start a new paragraph at an unindented line that directly follows a list item.

    Notes are written line by line (the seed's plain-text format has no blank lines): a
    line such as "System generated data" under a bullet is a new line of notes, not more
    of the bullet above it. CommonMark would fold it into that bullet ("lazy
    continuation"); a blank line in front of it keeps it where the writer put it. Lines
    indented under an item, and everything inside a code fence, are left alone.
    """
    out: list[str] = []
    in_list = False
    fence: str | None = None
    for line in text.split("\n"):
        fence_match = _FENCE.match(line)
        if fence is not None:  # inside a code fence until the same marker closes it
            if fence_match and fence_match.group(1) == fence:
                fence = None
        elif fence_match:
            fence, in_list = fence_match.group(1), False
        elif _LIST_ITEM.match(line):
            in_list = True
        elif line.strip() and line[0] not in " \t":
            if in_list and out and out[-1].strip():
                out.append("")
            in_list = False
        out.append(line)
    return "\n".join(out)


def render_inline(text: str) -> str:
    """Render one line of inline Markdown (a table cell, a title) to sanitized HTML."""
    return sanitize(_markdown.renderInline(text))


def render_table(table: TableLike) -> str:
    """Render a comparison table to sanitized HTML (cells are inline Markdown)."""
    return sanitize(_table_html(table))


def _table_html(table: TableLike) -> str:
    alignments = list(getattr(table, "alignments", None) or [])
    classes = [
        f' class="{ALIGN_CLASSES[alignment]}"' if alignment in ALIGN_CLASSES else ""
        for alignment in alignments + [""] * (len(table.headers) - len(alignments))
    ]
    header = "".join(
        f'<th scope="col"{align}>{_markdown.renderInline(cell)}</th>'
        for cell, align in zip(table.headers, classes, strict=False)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{align}>{_markdown.renderInline(cell)}</td>"
            for cell, align in zip(row, classes + [""] * (len(row) - len(classes)), strict=False)
        )
        + "</tr>"
        for row in table.rows
    )
    caption = f"<figcaption>{_markdown.renderInline(table.title)}</figcaption>" if table.title else ""
    slug = escape(table.slug)
    return (
        f'<figure class="comparison-table" id="table-{slug}" data-table="{slug}">{caption}'
        f'<div class="table-scroll"><table><thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table></div></figure>\n"
    )


def _missing_table_html(slug: str) -> str:
    return f'<div class="missing-table">Missing comparison table: {escape(slug)}</div>\n'
