"""Diffs for reviewers: Markdown word by word and side by side (tables: ``table_diffs``).

Everything here escapes the text it shows; the results are safe to mark safe.
"""

import difflib
import re
from html import escape

_TOKENS = re.compile(r"\s+|[^\s]+")
# Unchanged lines kept around each change; longer unchanged stretches fold away.
CONTEXT_LINES = 2


# Above these sizes a diff is cut, with a notice, so a page never carries megabytes of it:
# the whole text is a click away on the version's own page.
MAX_INLINE_CHARACTERS = 300_000
MAX_SIDE_BY_SIDE_ROWS = 2_000
# Changed blocks with more words than this on a side are shown replaced whole, not word by
# word: matching words is quadratic in the worst case.
MAX_WORDS_PER_BLOCK = 4_000
# An unchanged stretch longer than this is folded to a line count, without its text.
MAX_FOLDED_CHARACTERS = 50_000


def inline_word_diff(old: str, new: str, *, context: int = CONTEXT_LINES) -> str:
    """One text with removed words in <del> and added words in <ins>.

    Unchanged stretches longer than a few lines fold into a <details> ("37 unchanged
    lines"), so a one-word edit of a long chapter does not bury the change; the text is
    all still there to open. Lines are matched first and words only inside the lines that
    changed, so two 1 MB versions diff in well under a second.
    """
    old_words, new_words, opcodes = _word_opcodes(old, new)
    parts = []
    size = 0
    for index, (operation, a1, a2, b1, b2) in enumerate(opcodes):
        if size > MAX_INLINE_CHARACTERS:
            parts.append(_cut_notice("".join(new_words[b1:]).count("\n")))
            break
        if operation == "equal":
            text = "".join(old_words[a1:a2])
            at_start, at_end = index == 0, index == len(opcodes) - 1
            piece = _folded(text, context, keep_head=not at_start, keep_tail=not at_end)
        else:
            removed, added = "".join(old_words[a1:a2]), "".join(new_words[b1:b2])
            budget = (MAX_INLINE_CHARACTERS - size) // 2
            if len(removed) + len(added) > 2 * budget:
                # One block bigger than what is left to show: its first lines, then the notice.
                removed, added = _first_lines(removed, budget), _first_lines(added, budget)
                cut = "".join(new_words[b1:]).count("\n") - added.count("\n")
                parts.append(_marked(removed, added) + _cut_notice(cut))
                break
            piece = _marked(removed, added)
        parts.append(piece)
        size += len(piece)
    return "".join(parts)


def _marked(removed: str, added: str) -> str:
    return (f"<del>{escape(removed)}</del>" if removed else "") + (
        f"<ins>{escape(added)}</ins>" if added else ""
    )


def _first_lines(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters, ended at a line break where there is one."""
    if len(text) <= limit:
        return text
    end = text.rfind("\n", 0, limit)
    return text[: end + 1] if end > 0 else text[:limit]


def _cut_notice(lines: int) -> str:
    return (
        f'<span class="diff-cut">The diff is too long to show in full: {lines} more '
        f"line{'s' if lines != 1 else ''} of it are not shown here. Each version is shown whole on its own page.</span>"
    )


def _word_opcodes(old: str, new: str) -> tuple[list[str], list[str], list[tuple]]:
    """Both texts as words and the opcodes turning one into the other.

    Lines are matched first (after trimming the lines both share at the start and end);
    only the blocks of lines that differ are then matched word by word. Each line's words
    end with its newline, so the words join back into the exact text.
    """
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    old_line_words = [_TOKENS.findall(line) for line in old_lines]
    new_line_words = [_TOKENS.findall(line) for line in new_lines]
    old_starts, new_starts = _starts(old_line_words), _starts(new_line_words)
    old_words = [word for words in old_line_words for word in words]
    new_words = [word for words in new_line_words for word in words]
    opcodes: list[tuple] = []

    def add(operation, a1, a2, b1, b2):
        if a1 == a2 and b1 == b2:
            return
        if opcodes and opcodes[-1][0] == operation == "equal":
            _, p1, _, q1, _ = opcodes.pop()
            a1, b1 = p1, q1
        opcodes.append((operation, a1, a2, b1, b2))

    for operation, a1, a2, b1, b2 in line_opcodes(old_lines, new_lines):
        w1, w2, v1, v2 = old_starts[a1], old_starts[a2], new_starts[b1], new_starts[b2]
        if operation == "equal":
            add("equal", w1, w2, v1, v2)
        elif w2 - w1 > MAX_WORDS_PER_BLOCK or v2 - v1 > MAX_WORDS_PER_BLOCK or not (w2 > w1 and v2 > v1):
            add("replace" if w2 > w1 and v2 > v1 else ("delete" if w2 > w1 else "insert"), w1, w2, v1, v2)
        else:
            matcher = difflib.SequenceMatcher(a=old_words[w1:w2], b=new_words[v1:v2], autojunk=False)
            for word_operation, c1, c2, d1, d2 in matcher.get_opcodes():
                add(word_operation, w1 + c1, w1 + c2, v1 + d1, v1 + d2)
    return old_words, new_words, opcodes


def _starts(line_words: list[list[str]]) -> list[int]:
    """Index of each line's first word in the flat list, and the total at the end."""
    starts = [0]
    for words in line_words:
        starts.append(starts[-1] + len(words))
    return starts


def line_opcodes(old_lines: list[str], new_lines: list[str]) -> list[tuple]:
    """difflib opcodes over lines, with the common head and tail taken off first (cheaply)."""
    head = 0
    limit = min(len(old_lines), len(new_lines))
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while (
        tail < limit - head and old_lines[len(old_lines) - 1 - tail] == new_lines[len(new_lines) - 1 - tail]
    ):
        tail += 1
    middle_old = old_lines[head : len(old_lines) - tail]
    middle_new = new_lines[head : len(new_lines) - tail]
    opcodes = [("equal", 0, head, 0, head)] if head else []
    matcher = difflib.SequenceMatcher(a=middle_old, b=middle_new, autojunk=len(middle_old) > 2_000)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        opcodes.append((operation, head + a1, head + a2, head + b1, head + b2))
    if tail:
        opcodes.append(
            ("equal", len(old_lines) - tail, len(old_lines), len(new_lines) - tail, len(new_lines))
        )
    return opcodes


def _folded(text: str, context: int, *, keep_head: bool, keep_tail: bool) -> str:
    """Unchanged ``text`` (escaped), its middle folded when it spans many lines.

    The first piece ends the line a change stands in and the last begins the next one:
    those and ``context`` whole lines beside each change stay open.
    """
    pieces = text.split("\n")
    head = pieces[: context + 1] if keep_head else []
    tail = pieces[-(context + 1) :] if keep_tail else []
    hidden = pieces[len(head) : len(pieces) - len(tail)]
    count = len(hidden) - (1 if hidden and not keep_tail and hidden[-1] == "" else 0)  # a final newline
    if count < 3:  # folding one or two lines would hide little and cost a click
        return escape(text)
    opened = escape("\n".join(head) + "\n") if head else ""
    if sum(len(piece) for piece in hidden) > MAX_FOLDED_CHARACTERS:
        # Too long to carry in the page: say how much is unchanged, without the text.
        skipped = f'<span class="fold">⋯ {count} unchanged line{"s" if count != 1 else ""}</span>\n'
        return opened + skipped + escape("\n".join(tail))
    fold = (
        f'<details class="fold"><summary>{count} unchanged line{"s" if count != 1 else ""}</summary>'
        f"{escape(chr(10).join(hidden))}</details>"
    )
    return opened + fold + escape("\n".join(tail))


def side_by_side_diff(
    old: str, new: str, *, old_label: str, new_label: str, context: int = CONTEXT_LINES
) -> str:
    """A two-column table of the changed lines with ``context`` lines around each change.

    Lines changed on both sides show the changed words marked; unchanged stretches
    between changes are one row saying how many lines they hold.
    """
    old_lines, new_lines = old.splitlines(), new.splitlines()
    rows = []
    shown_until = 0
    for group in _grouped(line_opcodes(old_lines, new_lines), context):
        first = group[0][1]
        if first > shown_until:
            rows.append(_skipped_row(first - shown_until))
        for operation, a1, a2, b1, b2 in group:
            if operation == "equal":
                rows += [
                    _row(a1 + k + 1, old_lines[a1 + k], b1 + k + 1, new_lines[b1 + k], "same")
                    for k in range(a2 - a1)
                ]
                continue
            for a, b in paired_by_similarity(old_lines[a1:a2], new_lines[b1:b2]):
                a, b = (None if a is None else a1 + a), (None if b is None else b1 + b)
                if a is not None and b is not None:
                    old_html, new_html = changed_words(old_lines[a], new_lines[b])
                    rows.append(_row(a + 1, old_html, b + 1, new_html, "changed", marked=True))
                elif a is not None:
                    rows.append(_row(a + 1, old_lines[a], None, None, "removed"))
                else:
                    rows.append(_row(None, None, b + 1, new_lines[b], "added"))
        shown_until = group[-1][2]
    if rows and shown_until < len(old_lines):
        rows.append(_skipped_row(len(old_lines) - shown_until))
    if len(rows) > MAX_SIDE_BY_SIDE_ROWS:
        left = sum(1 for row in rows[MAX_SIDE_BY_SIDE_ROWS:] if not row.startswith('<tr class="skipped"'))
        rows = rows[:MAX_SIDE_BY_SIDE_ROWS]
        rows.append(f'<tr class="skipped"><td colspan="4">{_cut_notice(left)}</td></tr>')
    if not rows:
        rows.append('<tr class="skipped"><td colspan="4">The text is the same.</td></tr>')
    return (
        '<table class="diff side-by-side-diff">'
        '<colgroup><col class="number"><col><col class="number"><col></colgroup>'
        f'<thead><tr><th colspan="2" scope="col">{escape(old_label)}</th>'
        f'<th colspan="2" scope="col">{escape(new_label)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# Pairing lines by likeness compares every old line of a replaced block with the new ones
# after its last match; past this many comparisons the block pairs line by line in order.
MAX_PAIRING_COMPARISONS = 40_000
SIMILAR_ENOUGH = 0.5
# SequenceMatcher.ratio() costs up to the product of the two lengths: past this length a
# line is judged by quick_ratio() (its letters in common, linear) alone. A long paragraph
# (one line of Markdown, one block of HTML) would otherwise take minutes.
MAX_RATIO_CHARACTERS = 2_000


def paired_by_similarity(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """The lines of a replaced block, paired in order by likeness; the rest unpaired.

    Each old line pairs with the first new line after the previous pair whose
    ``SequenceMatcher`` ratio is at least one half: a changed heading stands beside its
    new wording, not beside whatever line happens to share its position. New lines
    skipped over, and old lines like no new one, show on their own side only.
    """
    if len(old) * len(new) > MAX_PAIRING_COMPARISONS:
        pairs = [
            (k if k < len(old) else None, k if k < len(new) else None) for k in range(max(len(old), len(new)))
        ]
        return pairs
    pairs: list[tuple[int | None, int | None]] = []
    start = 0
    matcher = difflib.SequenceMatcher(autojunk=False)
    for a, line in enumerate(old):
        matcher.set_seq2(line)
        match = None
        for b in range(start, len(new)):
            matcher.set_seq1(new[b])
            if (
                matcher.real_quick_ratio() >= SIMILAR_ENOUGH
                and matcher.quick_ratio() >= SIMILAR_ENOUGH
                and (max(len(line), len(new[b])) > MAX_RATIO_CHARACTERS or matcher.ratio() >= SIMILAR_ENOUGH)
            ):
                match = b
                break
        if match is None:
            pairs.append((a, None))
            continue
        pairs += [(None, b) for b in range(start, match)]
        pairs.append((a, match))
        start = match + 1
    pairs += [(None, b) for b in range(start, len(new))]
    return pairs


def _grouped(opcodes: list[tuple], context: int) -> list[list[tuple]]:
    """The changes in groups with up to ``context`` lines around each (difflib's grouping)."""
    codes = list(opcodes) or [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, a1, a2, b1, b2 = codes[0]
        codes[0] = tag, max(a1, a2 - context), a2, max(b1, b2 - context), b2
    if codes[-1][0] == "equal":
        tag, a1, a2, b1, b2 = codes[-1]
        codes[-1] = tag, a1, min(a2, a1 + context), b1, min(b2, b1 + context)
    groups, group = [], []
    for tag, a1, a2, b1, b2 in codes:
        if tag == "equal" and a2 - a1 > context * 2:
            group.append((tag, a1, min(a2, a1 + context), b1, min(b2, b1 + context)))
            groups.append(group)
            group = []
            a1, b1 = max(a1, a2 - context), max(b1, b2 - context)
        group.append((tag, a1, a2, b1, b2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def _row(old_number, old_text, new_number, new_text, state: str, *, marked: bool = False) -> str:
    def side(number, text, kind):
        if number is None:
            return '<td class="number"></td><td class="empty"></td>'
        shown = text if marked else escape(text)
        return f'<td class="number">{number}</td><td class="{kind}">{shown}</td>'

    old_kind = {"removed": "removed", "changed": "removed"}.get(state, "same")
    new_kind = {"added": "added", "changed": "added"}.get(state, "same")
    return f'<tr class="{state}">{side(old_number, old_text, old_kind)}{side(new_number, new_text, new_kind)}</tr>'


def _skipped_row(count: int) -> str:
    return (
        f'<tr class="skipped"><td colspan="4">⋯ {count} unchanged line{"s" if count != 1 else ""}</td></tr>'
    )


def changed_words(old: str, new: str) -> tuple[str, str]:
    """Both versions of one line, escaped, with the words that differ marked on each side."""
    old_words, new_words = _TOKENS.findall(old), _TOKENS.findall(new)
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        old_part, new_part = escape("".join(old_words[a1:a2])), escape("".join(new_words[b1:b2]))
        if operation == "equal":
            old_html.append(old_part)
            new_html.append(new_part)
            continue
        if old_part:
            old_html.append(f"<del>{old_part}</del>")
        if new_part:
            new_html.append(f"<ins>{new_part}</ins>")
    return "".join(old_html), "".join(new_html)
