"""Stored renderings of change requests and cached diffs of published versions.

Markdown is rendered when content is written, never when a page is read: a published
version carries its HTML in its history row (``body_html``, ``summary_html``, ``html``,
written at publish by ``notes.services.history``), and a change request carries its
proposal's HTML and its diffs against the base version, made here when the request is
written or revised. The history compare page diffs two immutable history rows, so each
pair is computed once and kept in the cache.
"""

import hashlib
from types import SimpleNamespace

from django.core.cache import cache
from django.db import transaction

from notes.lib.diffs import inline_word_diff, side_by_side_diff
from notes.lib.markup import render_markdown, render_table
from notes.lib.rendered_diffs import rendered_diff
from notes.models import ChangeRequest
from notes.models.reviews import OPEN_STATUSES
from notes.selectors.reviews import base_version_position, target_base_and_current
from notes.services.history import SUMMARY_FOOTNOTES, chapter_footnotes

# Bump when the diff HTML changes shape, so cached diffs of the old shape are not served.
DIFF_CACHE_VERSION = 4
DIFF_CACHE_SECONDS = 7 * 24 * 3600
RENDERED_FIELDS = [
    "rendered_html",
    "inline_diff_html",
    "side_by_side_html",
    "rendered_diff_html",
    "since_review_diff_html",
    "rendered_revision",
]
# Which field of a history row holds the published HTML, by target kind.
HTML_FIELD = {"book": "summary_html", "chapter": "body_html", "table": "html"}


def change_request_render(change_request: ChangeRequest) -> None:
    """Fill the request's stored HTML from its proposal (no save: the caller saves)."""
    base, _current = target_base_and_current(change_request)
    kind = change_request.target_kind
    if kind == "table":
        slug = change_request.slug or (change_request.table.slug if change_request.table else "")
        proposal = SimpleNamespace(
            slug=slug, title=change_request.title, headers=change_request.headers, rows=change_request.rows
        )
        change_request.rendered_html = render_table(proposal)
        change_request.inline_diff_html = change_request.side_by_side_html = ""
        change_request.since_review_diff_html = ""
    else:
        old = (base.summary if kind == "book" else base.body) if base else ""
        new = change_request.body
        if base:
            base_number, _newer = base_version_position(change_request, base)
            base_label = f"Version {base_number} ({base.history_date:%Y-%m-%d %H:%M})"
        else:
            base_label = "Nothing yet"
        tables = {}
        if kind == "chapter" and change_request.chapter_id is not None:
            tables = {table.slug: table for table in change_request.chapter.tables.all()}
        change_request.rendered_html = render_markdown(
            new, tables, footnote_prefix=_footnotes(change_request)
        )
        change_request.inline_diff_html = inline_word_diff(old, new)
        change_request.side_by_side_html = side_by_side_diff(
            old, new, old_label=base_label, new_label="Proposed"
        )
        change_request.since_review_diff_html = (
            inline_word_diff(change_request.reviewed_body, new)
            if change_request.reviewed_revision is not None
            else ""
        )
    old_html = getattr(base, HTML_FIELD[kind]) if base else ""
    change_request.rendered_diff_html = rendered_diff(old_html, change_request.rendered_html)
    change_request.rendered_revision = change_request.revision


def part_rendered(change_request: ChangeRequest, content: dict) -> str:
    """The page as it would read with ``content`` (part of the request's changes) published:
    what a reviewer previews before publishing the changes they ticked. Writes nothing."""
    if change_request.target_kind == "table":
        table = change_request.table
        return render_table(
            SimpleNamespace(
                slug=table.slug, title=content["title"], headers=content["headers"], rows=content["rows"]
            )
        )
    tables = {table.slug: table for table in change_request.chapter.tables.all()}
    return render_markdown(content["body"], tables, footnote_prefix=_footnotes(change_request))


def _footnotes(change_request: ChangeRequest) -> str:
    """The footnote prefix the published text will have, so its rendered diff is of words only."""
    if change_request.target_kind == "book":
        return SUMMARY_FOOTNOTES
    number = change_request.chapter.number if change_request.chapter_id is not None else change_request.number
    return chapter_footnotes(number or 0)


def change_request_renderings_current(change_request: ChangeRequest) -> ChangeRequest:
    """Make the stored HTML current if it is missing or older than the request's revision.

    Services render when they write; this catches requests stored before renderings were
    kept and those whose chapter's tables changed since (see ``renderings_expire``).
    """
    if change_request.rendered_revision != change_request.revision:
        change_request_render(change_request)
        ChangeRequest.objects.filter(pk=change_request.pk).update(
            **{name: getattr(change_request, name) for name in RENDERED_FIELDS}
        )
    return change_request


def renderings_expire(*, chapter_id: int) -> None:
    """The chapter's tables changed: open requests on it show them, so render those again.

    After the commit, not inside the publishing transaction: that one holds the chapter's
    row lock, and updating a request another reviewer is approving at that moment (their
    transaction holds the request and waits for the chapter) would deadlock the two.
    """

    def expire():
        ChangeRequest.objects.filter(chapter_id=chapter_id, status__in=OPEN_STATUSES).exclude(
            rendered_revision=None
        ).update(rendered_revision=None)

    # robust: the publish committed; failing here must not lose the hooks after it (the
    # e-mails) nor show the reviewer an error. A request left unexpired renders again when
    # it is next revised.
    transaction.on_commit(expire, robust=True)


def versions_compared(kind: str, old_row, new_row, *, old_label: str, new_label: str) -> dict[str, str]:
    """The inline and side-by-side diffs of two history rows' text, computed once per pair.

    History rows never change, so the pair's ids name the result for good.
    """
    field = "summary" if kind == "book" else "body"
    labels = hashlib.sha256(f"{old_label}\n{new_label}".encode()).hexdigest()[:16]
    key = f"compare:{DIFF_CACHE_VERSION}:{kind}:{old_row.history_id}:{new_row.history_id}:{labels}"
    diffs = cache.get(key)
    if diffs is None:
        old, new = getattr(old_row, field), getattr(new_row, field)
        html_field = HTML_FIELD[kind]
        diffs = {
            "inline_diff": inline_word_diff(old, new),
            "side_by_side": side_by_side_diff(old, new, old_label=old_label, new_label=new_label),
            "rendered_diff": rendered_diff(getattr(old_row, html_field), getattr(new_row, html_field)),
        }
        cache.set(key, diffs, DIFF_CACHE_SECONDS)
    return diffs
