"""Re-anchoring a quote after an edit at its first or last word snaps to whole words: the
thread never ends up quoting part of a word."""

import re

import pytest

from notes.lib.quotes import locate

SENTENCE = "User data. Quickly grows in volume - need to think about how to store it. The end."


def _relocate(old: str, exact: str, new: str) -> str:
    start = old.index(exact)
    found = locate(
        new,
        exact,
        prefix=old[max(0, start - 32) : start],
        suffix=old[start + len(exact) : start + len(exact) + 32],
        near=start,
    )
    assert found is not None, "the quote was orphaned"
    return new[found.start : found.end]


def _whole_words(text: str, quoted: str) -> bool:
    """``quoted`` begins and ends at word boundaries of ``text``."""
    return any(match.group(0) == quoted for match in re.finditer(rf"(?<!\w){re.escape(quoted)}(?!\w)", text))


EDITS = [
    # The first word moved and changed case, a word added inside.
    (
        "Quickly grows in volume - need to think",
        "User data. Grows quickly in volume - we need to think about how to store it. The end.",
    ),
    (
        "Quickly grows in volume - need to",
        "User data. Grows quickly in volume - we need to think about how to store it. The end.",
    ),
    # The first word replaced by a longer one.
    (
        "Quickly grows in volume - need to think",
        "User data. Dramatically grows in volume - need to think about how to store it. The end.",
    ),
    # The last word made longer, and replaced.
    (
        "grows in volume - need to think about",
        "User data. Quickly grew in volume - we must think abouts how to store it. The end.",
    ),
    (
        "grows in volume - need to think about",
        "User data. Quickly grows in volume - need to think regarding how to store it. The end.",
    ),
    # The same letters as the quote's last word stand inside a longer word now.
    (
        "Quickly grows in volume - need to think",
        "User data. Quickly grows in volume - need to thinking about how to store it. The end.",
    ),
]


@pytest.mark.parametrize(("exact", "new"), EDITS)
def test_an_edit_at_the_first_or_last_word_leaves_whole_words(exact, new):
    quoted = _relocate(SENTENCE, exact, new)
    assert _whole_words(new, quoted), quoted
    assert "in volume" in quoted


def test_the_reported_edit_no_longer_starts_mid_word():
    quoted = _relocate(
        SENTENCE,
        "Quickly grows in volume - need to think",
        "User data. Grows quickly in volume - we need to think about how to store it. The end.",
    )
    assert quoted[0] != "u" and quoted.endswith("need to think")


def test_a_quote_taken_from_inside_a_word_may_still_end_inside_one():
    # The reader selected part of a word on purpose: it is not widened where it was partial.
    quoted = _relocate(SENTENCE, "grows in volume - need to thi", SENTENCE)
    assert quoted == "grows in volume - need to thi"
