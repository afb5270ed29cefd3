"""Quote anchors: resolving a reader's selection, and re-anchoring quotes to a new version.

``quote_resolve`` turns what the browser sent (the selected words, the words around them,
where they started) into a selector of the chapter's current plain text, or refuses it.
``quotes_reanchor`` runs in the publishing transaction of every new rendering of a
chapter: each of its quotes is found again in the new text (``notes.lib.quotes.locate``) and
moved there, its words updated to the new ones; a quote that is no longer there is
orphaned, keeping where it was and the words it was made on.
"""

from dataclasses import dataclass

from notes.lib.limits import MAX_QUOTE_LENGTH, MIN_QUOTE_LENGTH
from notes.lib.quotes import (
    CONTEXT_LENGTH,
    locate,
    locate_exact,
    normalize_whitespace,
    plain_text,
)
from notes.models import Chapter, QuoteAnchor


class QuoteError(ValueError):
    """A selection that cannot be quoted; the message is shown to the user as is."""


@dataclass(frozen=True)
class QuoteSelection:
    """What the browser sent: the selected words, their context and where they started."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None


@dataclass(frozen=True)
class ResolvedQuote:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    was_cut: bool  # the selection was longer than MAX_QUOTE_LENGTH and was cut to it


def quote_resolve(*, body_html: str, selection: QuoteSelection) -> ResolvedQuote:
    """The selection as it stands in this text, cut to ``MAX_QUOTE_LENGTH``; or QuoteError."""
    exact = normalize_whitespace(selection.exact or "")
    prefix = normalize_whitespace(selection.prefix or "")[-CONTEXT_LENGTH:]
    suffix = normalize_whitespace(selection.suffix or "")[:CONTEXT_LENGTH]
    if len(exact) < MIN_QUOTE_LENGTH:
        raise QuoteError(f"Select at least {MIN_QUOTE_LENGTH} characters of the chapter to quote them.")
    was_cut = len(exact) > MAX_QUOTE_LENGTH
    if was_cut:
        exact, suffix = exact[:MAX_QUOTE_LENGTH].rstrip(" "), exact[MAX_QUOTE_LENGTH:][:CONTEXT_LENGTH]
    text = plain_text(body_html)
    found = locate_exact(text, exact, prefix=prefix, suffix=suffix, near=selection.start or 0)
    if found is None:
        raise QuoteError(
            "Those words are not in the current text of this chapter (it may have changed since "
            "the page was opened). Open the chapter again and select the passage anew."
        )
    selector = found.selector(text)
    return ResolvedQuote(was_cut=was_cut, **selector)


def quote_anchor_create(*, thread, chapter: Chapter, quote: ResolvedQuote) -> QuoteAnchor:
    """Anchor ``thread`` on ``quote`` of the chapter's current version (its row is locked)."""
    history_id, number = _current_version(chapter)
    return QuoteAnchor.objects.create(
        thread=thread,
        exact=quote.exact,
        prefix=quote.prefix,
        suffix=quote.suffix,
        start=quote.start,
        end=quote.end,
        original_exact=quote.exact,
        made_on_history_id=history_id,
        made_on_version=number,
        last_anchored_history_id=history_id,
        last_anchored_version=number,
    )


def quotes_reanchor(*, chapter: Chapter, anchors=None) -> list[QuoteAnchor]:
    """Find every quote of ``chapter`` in its new ``body_html``; orphan those that are gone.

    Called in the transaction that rendered the chapter anew, after its version was saved;
    ``anchors`` defaults to the quotes of the chapter's threads. One query when it has none.
    """
    if anchors is None:
        anchors = list(QuoteAnchor.objects.select_for_update().filter(thread__chapter=chapter))
    if not anchors:
        return []
    text = plain_text(chapter.body_html)
    history_id, number = _current_version(chapter)
    for anchor in anchors:
        found = locate(text, anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, near=anchor.start)
        if found is None:
            anchor.status = QuoteAnchor.Status.ORPHANED
            continue
        for name, value in found.selector(text).items():
            setattr(anchor, name, value)
        anchor.status = QuoteAnchor.Status.ANCHORED
        anchor.last_anchored_history_id, anchor.last_anchored_version = history_id, number
    QuoteAnchor.objects.bulk_update(
        anchors,
        [
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "status",
            "last_anchored_history_id",
            "last_anchored_version",
        ],
    )
    return anchors


def _current_version(chapter: Chapter) -> tuple[int | None, int]:
    """The history id of the chapter's newest version and its number (1 for the first)."""
    versions = Chapter.history.filter(id=chapter.pk)
    newest = versions.order_by("-history_id").values_list("history_id", flat=True).first()
    return newest, max(versions.count(), 1)
