"""The one renderer for every piece of Markdown a user wrote.

``render_markdown`` turns Markdown into HTML with markdown-it-py (CommonMark with GFM
tables and strikethrough, line breaks kept, heading anchors, bare URLs linked, footnotes,
task lists), expands comparison-table placeholders, and passes the result through nh3 with
an explicit allow-list. Raw HTML in the source is parsed, and nh3 is the gate: a small
set of formatting tags (``RAW_HTML_TAGS``) survives, everything else (scripts, styles,
frames, forms, SVG, event handlers, style attributes) is removed. Callers store the
result when content is saved; pages never render Markdown per request.

Ids and the task checkboxes are the renderer's own: each render marks those it writes
with a random token that the sanitizer requires and strips, so an ``id`` or an
``<input>`` typed in raw HTML is removed (it could take a heading's or a thread's anchor).
"""

import hashlib
import re
import secrets
from collections.abc import Mapping, Sequence
from html import escape
from typing import Protocol
from urllib.parse import unquote

import nh3
from django.conf import settings
from markdown_it import MarkdownIt, rules_inline
from markdown_it.common.utils import isLinkClose, isLinkOpen
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from notes.lib.limits import MAX_BRACKETS_READ, MAX_LINKED_ADDRESSES
from notes.lib.placeholders import TABLE_PLACEHOLDER_RE


class TableLike(Protocol):
    slug: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    alignments: Sequence[str]


ALIGN_CLASSES = {"left": "align-left", "center": "align-center", "right": "align-right"}
# What a writer may type as raw HTML in Markdown; everything else is removed.
RAW_HTML_TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "details", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "s", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
# ...plus what the renderer itself writes: tables' figures, code blocks, footnotes, task lists.
ALLOWED_TAGS = RAW_HTML_TAGS | {
    "abbr", "caption", "div", "figcaption", "figure", "input", "label", "pre", "section", "span",
}  # fmt: skip
_OWN_IDS = {"id"}  # on the tags below; kept only when the renderer wrote them (see module doc)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"} | _OWN_IDS,
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "details": {"open"},
    "figure": {"data-table"} | _OWN_IDS,
    "li": _OWN_IDS,
    "input": {"checked", "disabled"},
    **{f"h{level}": _OWN_IDS for level in range(1, 7)},
}
# Attributes allowed with these values only.
FOOTNOTE_BACK_LABEL = "Back to the text"
ALLOWED_VALUES = {
    "a": {"aria-label": {FOOTNOTE_BACK_LABEL}},
    "td": {"align": {"left", "center", "right"}},
    "th": {"align": {"left", "center", "right"}},
    "input": {"type": {"checkbox"}},
}
ALLOWED_CLASSES = {
    "figure": {"comparison-table"},
    "div": {"table-scroll", "missing-table"},
    "code": {"language-text"},
    # Column alignment as a class: the CSP forbids inline styles (see static/css/site.css).
    "th": set(ALIGN_CLASSES.values()),
    "td": set(ALIGN_CLASSES.values()),
    # Footnotes (mdit-py-plugins' footnote plugin) and task lists (its tasklists plugin).
    "sup": {"footnote-ref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list", "contains-task-list"},
    "ul": {"contains-task-list"},
    "li": {"footnote-item", "task-list-item"},
    "a": {"footnote-backref"},
    "input": {"task-list-item-checkbox"},
}
_NUMBER_ATTRIBUTES = {"width", "height", "colspan", "rowspan"}
_NUMBER = re.compile(r"[1-9][0-9]{0,3}")
URL_SCHEMES = {"http", "https", "mailto"}


def _parser(*, heading_ids: bool) -> MarkdownIt:
    """Markdown-it as the wiki uses it; ``heading_ids`` gives h1-h4 an id from their text.

    Markdown-it blocks javascript:, vbscript: and file: links itself; nh3 is the second
    line and the one that decides. Raw HTML is parsed (block and inline) so the allowed
    tags render; the sanitizer removes the rest.

    Bare URLs (``https://...``) become links (linkify-it-py); names without a scheme are
    left as text, so "notes.md" or "model.py" stay file names, and so are bare e-mail
    addresses (``mailto:`` links are written as links).
    """
    parser = (
        MarkdownIt("commonmark", {"breaks": True, "html": True, "linkify": True})
        .enable(["table", "strikethrough", "linkify"])
        .use(footnote_plugin, inline=False)
        # The label around checkbox and text names the checkbox for screen readers.
        .use(tasklists_plugin, enabled=False, label=True)
    )
    parser.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    parser.inline.ruler.at("linkify", _linkify_in_linear_time)
    parser.core.ruler.at("linkify", _linkify_text_in_linear_time)
    parser.inline.ruler.at("link", _within_bracket_budget(rules_inline.link))
    parser.inline.ruler.at("image", _within_bracket_budget(rules_inline.image))
    parser.add_render_rule("footnote_anchor_name", _footnote_anchor_name)
    parser.add_render_rule("footnote_anchor", _footnote_back_link)
    if heading_ids:
        parser.core.ruler.push("heading_ids", _heading_ids)
    parser.core.ruler.push("alignment_classes", _alignment_classes)
    parser.core.ruler.push("own_checkboxes", _own_checkboxes)
    return parser


# The schemes linkify-it links after "://" are http, https and ftp: none is longer than this.
_LONGEST_LINK_SCHEME = 5
_SCHEME_AT_END = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)
# How much text after a scheme is handed to linkify-it at first: longer URLs are read again
# whole, and the text jumps past them, so the re-reading stays linear.
_LINK_WINDOW = 4096


def _linkify_in_linear_time(state: StateInline, silent: bool) -> bool:
    """markdown-it-py's inline linkify rule, linear in the length of the text.

    The rule it replaces looks for the scheme in front of each "://" with a regular
    expression over all the text since the previous token, and hands linkify-it a copy of
    everything after it: a paragraph of 40 KB of ``http:// `` took 8 s, of ``x://``
    half a second per KB. Here only the few characters a known scheme can take are
    searched, and linkify-it reads a bounded window. The links found are the same.
    """
    pos = state.pos
    if (
        state.linkLevel > 0
        or pos + 3 > state.posMax
        or state.src[pos] != ":"
        or state.src[pos + 1] != "/"
        or state.src[pos + 2] != "/"
    ):
        return False
    # One character more than the longest scheme, so a longer run of scheme characters
    # (not a scheme linkify-it knows) shows as longer and is left alone.
    match = _SCHEME_AT_END.search(state.pending[-(_LONGEST_LINK_SCHEME + 1) :])
    if not match or len(match.group(1)) > _LONGEST_LINK_SCHEME:
        return False
    if _addresses_left(state.env) <= 0:
        return False
    proto = match.group(1)
    start = pos - len(proto)
    window = state.src[start : start + _LINK_WINDOW]
    link = state.md.linkify.match_at_start(window)
    if link is not None and link.last_index >= len(window) and start + len(window) < len(state.src):
        link = state.md.linkify.match_at_start(state.src[start:])
    if link is None:
        return False
    # A "*" right after a link closes emphasis more often than it ends the URL.
    url: str = link.url.rstrip("*")
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if not silent:
        state.env["addresses_left"] -= 1
        state.pending = state.pending[: -len(proto)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += len(url) - len(proto)
    return True


def _addresses_left(env: dict) -> int:
    """How many more bare addresses this text may link: each costs a parse of its URL.

    Once none are left, the rules note it (``addresses_unlinked``) for the renderer's note.
    """
    left = env.setdefault("addresses_left", MAX_LINKED_ADDRESSES)
    if left <= 0:
        env["addresses_unlinked"] = True
    return left


def _within_bracket_budget(rule):
    """``rule`` (links, images), tried at most MAX_BRACKETS_READ times per text.

    Each "[" is read ahead for its "]" through up to twenty nested brackets: 64 KB of
    ``![`` took 1.6 s, and a chapter of them half a minute. Past the budget a bracket is text.
    """

    def bounded(state: StateInline, silent: bool) -> bool:
        left = state.env.setdefault("brackets_left", MAX_BRACKETS_READ)
        if left <= 0:
            state.env["brackets_unread"] = True
            return False
        state.env["brackets_left"] = left - 1
        return rule(state, silent)

    return bounded


UNREAD_BRACKETS_NOTE = (
    "<p><em>This text holds more brackets than are read as links and images; "
    "the rest are shown as text.</em></p>\n"
)


UNLINKED_ADDRESSES_NOTE = (
    f"<p><em>Only the first {MAX_LINKED_ADDRESSES:,} web addresses of this text are links; "
    "the others are shown as text.</em></p>\n"
)


def _linkify_text_in_linear_time(state: StateCore) -> None:
    """markdown-it-py's core linkify rule (``mailto:`` and ``//host`` addresses, which the
    inline rule leaves), in one pass over each paragraph's tokens.

    The rule it replaces splices the links of each piece of text into the paragraph's
    list of tokens one piece at a time, copying the list each time: 64 KB of
    ``mailto:a@b.co *a*`` took 1.5 s, four times as much sixteen times as long.
    """
    linkify = state.md.linkify
    for inline_token in state.tokens:
        if inline_token.type != "inline" or not inline_token.children:
            continue
        if not linkify.pretest(inline_token.content):
            continue
        tokens = inline_token.children
        to_link = _linkable_text_tokens(tokens, linkify)
        if not to_link or _addresses_left(state.env) <= 0:
            continue
        children: list[Token] = []
        for index, token in enumerate(tokens):
            if index not in to_link or _addresses_left(state.env) <= 0:
                children.append(token)
                continue
            after_escape = index > 0 and tokens[index - 1].type == "text_special"
            children.extend(_text_linked(state, token, after_escape=after_escape))
        inline_token.children = children


def _linkable_text_tokens(tokens: list[Token], linkify) -> set[int]:
    """Which text tokens may hold links: not those inside a link, Markdown or HTML.

    Walked from the end, as markdown-it-py's rule does, so an unbalanced ``</a>`` counts
    the same way.
    """
    found: set[int] = set()
    html_link_level = 0
    index = len(tokens)
    while index >= 1:
        index -= 1
        token = tokens[index]
        if token.type == "link_close":
            index -= 1
            while tokens[index].level != token.level and tokens[index].type != "link_open":
                index -= 1
            continue
        if token.type == "html_inline":
            if isLinkOpen(token.content) and html_link_level > 0:
                html_link_level -= 1
            if isLinkClose(token.content):
                html_link_level += 1
        if html_link_level > 0:
            continue
        if token.type == "text" and linkify.test(token.content):
            found.add(index)
    return found


def _text_linked(state: StateCore, token: Token, *, after_escape: bool) -> list[Token]:
    """The text token as text and link tokens (as markdown-it-py's rule makes them)."""
    text = token.content
    links = state.md.linkify.match(text) or []
    # "http\\://example.com" stays text: the escape is not the start of a link.
    if links and links[0].index == 0 and after_escape:
        links = links[1:]
    nodes: list[Token] = []
    level, last = token.level, 0
    for link in links:
        if _addresses_left(state.env) <= 0:
            break
        full_url = state.md.normalizeLink(link.url)
        if not state.md.validateLink(full_url):
            continue
        state.env["addresses_left"] -= 1
        url_text = link.text
        if not link.schema:
            url_text = _HTTP.sub("", state.md.normalizeLinkText("http://" + url_text))
        elif link.schema == "mailto:" and _MAILTO.match(url_text):
            url_text = _MAILTO.sub("", state.md.normalizeLinkText("mailto:" + url_text))
        else:
            url_text = state.md.normalizeLinkText(url_text)
        if link.index > last:
            nodes.append(_text_token(text[last : link.index], level))
        link_open = Token(
            "link_open", "a", 1, attrs={"href": full_url}, level=level, markup="linkify", info="auto"
        )
        nodes += [
            link_open,
            _text_token(url_text, level + 1),
            Token("link_close", "a", -1, level=level, markup="linkify", info="auto"),
        ]
        last = link.last_index
    if last < len(text):
        nodes.append(_text_token(text[last:], level))
    return nodes


_HTTP = re.compile(r"^http://")
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


def _text_token(content: str, level: int) -> Token:
    return Token("text", "", 0, content=content, level=level)


def _footnote_anchor_name(self, tokens, index, options, env) -> str:
    """Footnote ids as ``fn.<prefix>.<n>`` (and ``fnref.<prefix>.<n>``).

    A heading id is a slug, which never holds a dot, so the two cannot collide; the
    prefix is made from the text (see ``render_markdown``), so two texts on one page
    (a chapter and a comment) number their footnotes apart.
    """
    return f"{env.get('own_marker', '')}.{env.get('footnote_prefix', 'note')}.{tokens[index].meta['id'] + 1}"


def _footnote_back_link(self, tokens, index, options, env) -> str:
    """The plugin's "↩" back to the reference, with a name a screen reader can say."""
    ident = self.rules["footnote_anchor_name"](tokens, index, options, env)
    if tokens[index].meta["subId"] > 0:
        ident += f":{tokens[index].meta['subId']}"
    return f' <a href="#fnref{ident}" class="footnote-backref" aria-label="{FOOTNOTE_BACK_LABEL}">\u21a9\ufe0e</a>'


def _own_checkboxes(state: StateCore) -> None:
    """Mark the task-list plugin's checkboxes as the renderer's own (see ``_only_own_checkboxes``)."""
    marker = state.env.get("own_marker")
    if not marker:
        return
    for index, token in enumerate(state.tokens):
        if (
            token.type != "inline"
            or index < 2
            or "task-list-item" not in str(state.tokens[index - 2].attrs.get("class", ""))
        ):
            continue
        for child in (token.children or [])[:2]:
            if child.type == "html_inline" and child.content.startswith(
                '<input class="task-list-item-checkbox"'
            ):
                child.content = child.content[:-1] + f' data-own="{marker}">'


def _heading_ids(state: StateCore) -> None:
    """Give h1-h4 an id from their text, GitHub style: ``slug``, then ``slug-1``, ``slug-2``...

    The ids are those of mdit-py-plugins' anchors plugin, found in linear time: the plugin
    counts up from 1 for each repeat, so 25,000 equal headings took it 90 s to render.
    """
    marker = state.env.get("own_marker", "")
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
        token.attrSet("id", marker + unique)


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
    """Return ``html`` with everything outside the allow-list removed.

    For HTML the renderer already made (stored HTML passed on, mentions linked): its ids
    and checkboxes stay. User text goes through ``render_markdown`` and its relatives.
    """
    return _clean(html, marker=None)


def sanitize_diff(html: str) -> str:
    """``sanitize`` that also keeps <ins> and folds (<details class="fold">), for diffs of rendered HTML."""
    return _clean(
        html,
        marker=None,
        extra_tags={"ins"},
        extra_classes={
            "p": {"diff-cut", "empty"},
            "details": {"fold"},
            # A table diff's rows and columns (notes.lib.rendered_diffs), named in words too.
            "tr": {"diff-row-added", "diff-row-removed", "diff-row-moved"},
            "th": ALLOWED_CLASSES["th"] | {"diff-column-added", "diff-column-removed"},
            "td": ALLOWED_CLASSES["td"] | {"diff-column-added", "diff-column-removed"},
            "span": {"diff-note"},
        },
    )


def _clean(
    html: str,
    *,
    marker: str | None,
    extra_tags: set[str] = frozenset(),
    extra_classes: Mapping[str, set[str]] | None = None,
) -> str:
    """nh3 with the allow-list. With a ``marker`` (a render's own token), an id or a
    checkbox survives only if the renderer marked it, and the mark is taken off."""
    attributes = ALLOWED_ATTRIBUTES
    if marker is not None:
        attributes = {**ALLOWED_ATTRIBUTES, "input": ALLOWED_ATTRIBUTES["input"] | {"data-own"}}

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if marker is not None:
            is_own = marker in value
            if attribute in ("id", "data-table", "data-own") and not is_own:
                return None
            value = value.replace(marker, "")
        if attribute in _NUMBER_ATTRIBUTES and not _NUMBER.fullmatch(value.strip()):
            return None
        return _drop_disguised_schemes(tag, attribute, value)

    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS | extra_tags,
        attributes=attributes,
        tag_attribute_values=ALLOWED_VALUES,
        allowed_classes={**ALLOWED_CLASSES, **(extra_classes or {})},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        # A removed <script> or <style> leaves its text, shown as text: an unclosed one
        # would otherwise take the rest of the page with it (and the mentions in it).
        clean_content_tags=set(),
        attribute_filter=attribute_filter,
    )
    return _only_task_checkboxes(cleaned, own_only=marker is not None)


_INPUT = re.compile(r"<input\b[^>]*>")
_CHECKED = re.compile(r"\schecked(?:=|\s|>)")


def _only_task_checkboxes(html: str, *, own_only: bool) -> str:
    """Every <input> left is a disabled task checkbox written by the renderer, else none.

    nh3 has already reduced each input to the allowed attributes with fixed values, so
    its text here is simple; the checkbox is written back in one fixed form.
    """

    def checkbox(match: re.Match) -> str:
        tag = match.group(0)
        if 'type="checkbox"' not in tag or (own_only and "data-own=" not in tag):
            return ""
        checked = ' checked="checked"' if _CHECKED.search(tag) else ""
        return f'<input class="task-list-item-checkbox" type="checkbox" disabled="disabled"{checked}>'

    return _INPUT.sub(checkbox, html)


def render_markdown(
    text: str,
    tables: Mapping[str, TableLike] | None = None,
    *,
    heading_ids: bool = True,
    footnote_prefix: str | None = None,
) -> str:
    """Render user Markdown to sanitized HTML.

    Each line holding only a table placeholder is replaced by that table from ``tables``
    (keyed by slug); a placeholder naming no known table renders as a visible notice.

    Headings get ids from their text, which chapters need (threads point at them). Text
    shown among other content, such as comments, passes ``heading_ids=False``: there
    ``# comment 3`` would otherwise take the id of a real comment's anchor.

    The text is rendered in one piece (tables go in afterwards), so footnotes and heading
    ids are numbered across the whole text. Footnote ids carry ``footnote_prefix`` (a
    chapter passes its number, so its ids stay put from one version to the next and differ
    from the other chapters' in a one-file export), or else a prefix made from the text.
    """
    markdown = _markdown if heading_ids else _markdown_without_heading_ids
    text = end_lists_at_unindented_lines(text)
    marker = secrets.token_hex(12)
    placed: dict[str, str] = {}

    def place(match: re.Match) -> str:
        slug = match.group("slug")
        table = (tables or {}).get(slug)
        token = f"cwtable{marker}n{len(placed)}x"
        placed[token] = _table_html(table, marker) if table is not None else _missing_table_html(slug)
        return f"\n{token}\n"

    text = TABLE_PLACEHOLDER_RE.sub(place, text)
    if footnote_prefix is None:
        footnote_prefix = hashlib.sha256(text.encode()).hexdigest()[:6]
    env = {"own_marker": marker, "footnote_prefix": escape(footnote_prefix)}
    html = markdown.render(text, env)
    if env.get("addresses_unlinked"):
        html += UNLINKED_ADDRESSES_NOTE
    if env.get("brackets_unread"):
        html += UNREAD_BRACKETS_NOTE
    for token, table_html in placed.items():
        # A placeholder stands alone in its paragraph, or (inside a list item or code) in text.
        html = html.replace(f"<p>{token}</p>\n", table_html).replace(token, table_html)
    return _clean(html, marker=marker)


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
    return _clean(_markdown.renderInline(text), marker=secrets.token_hex(12))


def render_table(table: TableLike) -> str:
    """Render a comparison table to sanitized HTML (cells are inline Markdown)."""
    marker = secrets.token_hex(12)
    return _clean(_table_html(table, marker), marker=marker)


def _table_html(table: TableLike, marker: str) -> str:
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
        f'<figure class="comparison-table" id="{marker}table-{slug}" data-table="{marker}{slug}">{caption}'
        f'<div class="table-scroll"><table><thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table></div></figure>\n"
    )


def _missing_table_html(slug: str) -> str:
    return f'<div class="missing-table">Missing comparison table: {escape(slug)}</div>\n'
