"""Quotes of a chapter's text: its plain text, and finding a quote in it again.

A quote is kept as the W3C Web Annotation model keeps one: a TextQuoteSelector (the exact
words, up to ``CONTEXT_LENGTH`` characters before and after them) and a
TextPositionSelector (start and end offsets) into the chapter's **plain text**, defined
once here and mirrored by ``static/js/quotes.js``:

    the text content of the chapter's stored, sanitized ``body_html``, each run of HTML
    whitespace (space, tab, line feed, carriage return, form feed) made one space, with no
    space at either end; offsets count Unicode code points.

``locate`` finds a quote in a new plain text: every exact occurrence and the best near
match (rapidfuzz) are scored together on the quote, its context and its distance from
the old position, so a changed word still anchors on its sentence while a duplicate
elsewhere does not take it; below ``MIN_SIMILARITY`` nothing is found (the caller orphans).
What it finds starts and ends where words do, as the quote did: an edit at the quote's
first or last word never leaves it holding part of a word.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from rapidfuzz import fuzz

from notes.lib.limits import MIN_QUOTE_LENGTH

CONTEXT_LENGTH = 32
# How much of a quote must survive an edit, as rapidfuzz's ratio (normalized Indel
# similarity, 0-1), for it to stay anchored; below it the thread is orphaned.
MIN_SIMILARITY = 0.75
# Weights of one candidate's score, as Hypothesis weighs them: the quote counts most,
# then its context, the old position only breaks ties.
_QUOTE_WEIGHT, _CONTEXT_WEIGHT, _POSITION_WEIGHT = 50, 20, 2
# An exact occurrence whose context matches this well is taken without a fuzzy search.
_SURE_CONTEXT = 0.9
# At most this many exact occurrences are weighed (a three-letter quote of a long text).
_MAX_OCCURRENCES = 500
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def normalize_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip(" ")


class _TextContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(body_html: str) -> str:
    """The chapter's plain text (see the module's docstring)."""
    parser = _TextContent()
    parser.feed(body_html)
    parser.close()
    return normalize_whitespace("".join(parser.parts))


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    similarity: float  # of the words found to the quote, 0-1 (1 for an exact match)

    def selector(self, text: str) -> dict:
        """The exact words found with their context, as a QuoteAnchor stores them."""
        return {
            "start": self.start,
            "end": self.end,
            "exact": text[self.start : self.end],
            "prefix": text[max(0, self.start - CONTEXT_LENGTH) : self.start],
            "suffix": text[self.end : self.end + CONTEXT_LENGTH],
        }


def _similarity(first: str, second: str) -> float:
    if not first and not second:
        return 1.0
    return fuzz.ratio(first, second) / 100


def _score(
    text: str, start: int, end: int, *, similarity: float, prefix: str, suffix: str, near: int
) -> float:
    before = (
        text[max(0, start - len(prefix)) : start] if prefix else text[max(0, start - CONTEXT_LENGTH) : start]
    )
    after = text[end : end + (len(suffix) or CONTEXT_LENGTH)]
    distance = abs(start - near) / max(len(text), 1)
    return (
        _QUOTE_WEIGHT * similarity
        + _CONTEXT_WEIGHT * (_similarity(prefix, before) + _similarity(suffix, after))
        + _POSITION_WEIGHT * (1 - distance)
    )


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def _inside_word(text: str, position: int) -> bool:
    """``position`` falls between two characters of one word."""
    return 0 < position < len(text) and _is_word(text[position - 1]) and _is_word(text[position])


@dataclass(frozen=True)
class _Edges:
    """Whether the quote began and ended inside a word when it was taken (a reader may select
    part of a word); only edges that were at a word's boundary are kept at one."""

    starts_inside: bool
    ends_inside: bool

    @classmethod
    def of(cls, exact: str, *, prefix: str, suffix: str) -> "_Edges":
        return cls(
            starts_inside=bool(prefix and exact) and _is_word(prefix[-1]) and _is_word(exact[0]),
            ends_inside=bool(suffix and exact) and _is_word(exact[-1]) and _is_word(suffix[0]),
        )

    def snap(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Widen ``start``-``end`` to whole words at the edges that must be at a boundary."""
        while not self.starts_inside and _inside_word(text, start):
            start -= 1
        while not self.ends_inside and _inside_word(text, end):
            end += 1
        return start, end


def exact_occurrences(text: str, exact: str) -> list[int]:
    starts, position = [], text.find(exact)
    while position != -1 and len(starts) < _MAX_OCCURRENCES:
        starts.append(position)
        position = text.find(exact, position + 1)
    return starts


def locate_exact(text: str, exact: str, *, prefix: str = "", suffix: str = "", near: int = 0) -> Found | None:
    """The exact occurrence of ``exact`` whose context and position fit best, or None."""
    best = None
    for start in exact_occurrences(text, exact):
        score = _score(
            text, start, start + len(exact), similarity=1.0, prefix=prefix, suffix=suffix, near=near
        )
        if best is None or score > best[0]:
            best = (score, Found(start, start + len(exact), 1.0))
    return best[1] if best else None


def locate(text: str, exact: str, *, prefix: str, suffix: str, near: int) -> Found | None:
    """Where the quote ``exact`` (with its context, last seen at ``near``) stands in ``text``."""
    if not exact or not text:
        return None
    edges = _Edges.of(exact, prefix=prefix, suffix=suffix)
    candidates: list[tuple[float, Found]] = []
    for start in exact_occurrences(text, exact):
        # The same letters inside a longer word ("storage" in "storages"): the whole word.
        start, end = edges.snap(text, start, start + len(exact))
        similarity = _similarity(exact, text[start:end])
        score = _score(text, start, end, similarity=similarity, prefix=prefix, suffix=suffix, near=near)
        candidates.append((score, Found(start, end, similarity)))
    sure = _QUOTE_WEIGHT + 2 * _CONTEXT_WEIGHT * _SURE_CONTEXT
    if not any(score >= sure for score, _found in candidates):
        for found in _near_matches(text, exact, prefix=prefix, suffix=suffix, near=near, edges=edges):
            score = _score(
                text,
                found.start,
                found.end,
                similarity=found.similarity,
                prefix=prefix,
                suffix=suffix,
                near=near,
            )
            candidates.append((score, found))
    if not candidates:
        return None
    return max(candidates, key=lambda candidate: (candidate[0], -abs(candidate[1].start - near)))[1]


def _near_matches(
    text: str, exact: str, *, prefix: str, suffix: str, near: int, edges: _Edges
) -> list[Found]:
    """Fuzzy matches of the quote: the best around the old position, the best anywhere, and
    the best inside the passage that matches the quote *with its context* best (which
    finds the changed sentence even where its words, unchanged, also stand elsewhere)."""
    window = max(500, 4 * len(exact))
    low, high = max(0, near - window), min(len(text), near + len(exact) + window)
    regions = [(low, high), (0, len(text))]
    context = fuzz.partial_ratio_alignment(prefix + exact + suffix, text) if prefix or suffix else None
    if context is not None:
        regions.append((max(0, context.dest_start - 8), min(len(text), context.dest_end + 8)))
    matches: list[Found] = []
    for region in dict.fromkeys(regions):
        alignment = fuzz.partial_ratio_alignment(
            exact, text[region[0] : region[1]], score_cutoff=MIN_SIMILARITY * 100
        )
        if alignment is None:
            continue
        found = _refine(
            text, exact, region[0] + alignment.dest_start, region[0] + alignment.dest_end, edges=edges
        )
        if found is not None and found not in matches:
            matches.append(found)
    return matches


def _refine(text: str, exact: str, start: int, end: int, *, edges: _Edges) -> Found | None:
    """The words around an alignment that are most like the quote.

    The alignment is as long as the quote, so it cuts into the words when the edit made them
    longer or shorter; starts and ends are tried at word boundaries near it (and the
    alignment's own edge only where the quote itself began or ended inside a word).
    """
    reach = min(max(8, len(exact) // 4), 60)

    def boundaries(center: int, *, starting: bool) -> set[int]:
        keeps_center = edges.starts_inside if starting else edges.ends_inside
        positions = {center} if keeps_center else set()
        for position in range(max(0, center - reach), min(len(text), center + reach) + 1):
            if _inside_word(text, position):
                continue
            # Never a space at either end of a quote.
            if starting and position < len(text) and text[position] != " ":
                positions.add(position)
            if not starting and position > 0 and text[position - 1] != " ":
                positions.add(position)
        if not positions:
            # One word longer than the reach: its own edges.
            positions.add(edges.snap(text, center, center)[0 if starting else 1])
        return positions

    best = None
    for first in boundaries(start, starting=True):
        for last in boundaries(end, starting=False):
            if last - first < MIN_QUOTE_LENGTH:
                continue
            similarity = _similarity(exact, text[first:last])
            key = (similarity, -abs(first - start) - abs(last - end))
            if best is None or key > best[0]:
                best = (key, Found(first, last, similarity))
    if best is None or best[1].similarity < MIN_SIMILARITY:
        return None
    return best[1]
