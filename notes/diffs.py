"""Diffs for reviewers: Markdown word by word and side by side, tables cell by cell.

Everything here escapes the text it shows; the results are safe to mark safe.
"""

import difflib
import re
from dataclasses import dataclass
from html import escape

_TOKENS = re.compile(r"\s+|[^\s]+")
# Unchanged lines kept around each change; longer unchanged stretches fold away.
CONTEXT_LINES = 2


def inline_word_diff(old: str, new: str, *, context: int = CONTEXT_LINES) -> str:
    """One text with removed words in <del> and added words in <ins>.

    Unchanged stretches longer than a few lines fold into a <details> ("37 unchanged
    lines"), so a one-word edit of a long chapter does not bury the change; the text is
    all still there to open.
    """
    old_words, new_words = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    opcodes = matcher.get_opcodes()
    parts = []
    for index, (operation, a1, a2, b1, b2) in enumerate(opcodes):
        if operation == "equal":
            text = "".join(old_words[a1:a2])
            at_start, at_end = index == 0, index == len(opcodes) - 1
            parts.append(_folded(text, context, keep_head=not at_start, keep_tail=not at_end))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return "".join(parts)


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
    fold = (
        f'<details class="fold"><summary>{count} unchanged line{"s" if count != 1 else ""}</summary>'
        f"{escape(chr(10).join(hidden))}</details>"
    )
    opened = escape("\n".join(head) + "\n") if head else ""
    return opened + fold + escape("\n".join(tail))


def side_by_side_diff(
    old: str, new: str, *, old_label: str, new_label: str, context: int = CONTEXT_LINES
) -> str:
    """A two-column table of the changed lines with ``context`` lines around each change.

    Lines changed on both sides show the changed words marked; unchanged stretches
    between changes are one row saying how many lines they hold.
    """
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows = []
    shown_until = 0
    for group in matcher.get_grouped_opcodes(context):
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
            for k in range(max(a2 - a1, b2 - b1)):
                a, b = a1 + k, b1 + k
                if a < a2 and b < b2:
                    old_html, new_html = _changed_words(old_lines[a], new_lines[b])
                    rows.append(_row(a + 1, old_html, b + 1, new_html, "changed", marked=True))
                elif a < a2:
                    rows.append(_row(a + 1, old_lines[a], None, None, "removed"))
                else:
                    rows.append(_row(None, None, b + 1, new_lines[b], "added"))
        shown_until = group[-1][2]
    if rows and shown_until < len(old_lines):
        rows.append(_skipped_row(len(old_lines) - shown_until))
    if not rows:
        rows.append('<tr class="skipped"><td colspan="4">The text is the same.</td></tr>')
    return (
        '<table class="diff side-by-side-diff">'
        '<colgroup><col class="number"><col><col class="number"><col></colgroup>'
        f'<thead><tr><th colspan="2" scope="col">{escape(old_label)}</th>'
        f'<th colspan="2" scope="col">{escape(new_label)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


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


def _changed_words(old: str, new: str) -> tuple[str, str]:
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


@dataclass(frozen=True)
class Cell:
    text: str
    old: str | None
    state: str  # "same", "changed", "added", "removed"


def table_cell_diff(old_headers, old_rows, new_headers, new_rows) -> dict:
    """A grid of the new table where each cell knows its old value, plus removed rows."""

    def grid(headers, rows):
        return [list(headers), *[list(row) for row in rows]]

    old_grid, new_grid = grid(old_headers or [], old_rows or []), grid(new_headers, new_rows)
    cells = []
    for row_index, row in enumerate(new_grid):
        line = []
        for column, text in enumerate(row):
            if row_index < len(old_grid) and column < len(old_grid[row_index]):
                old = old_grid[row_index][column]
                line.append(Cell(text, old, "same" if old == text else "changed"))
            else:
                line.append(Cell(text, None, "added"))
        cells.append(line)
    removed_rows = old_grid[len(new_grid) :]
    removed_columns = max(0, len(old_grid[0]) - len(new_grid[0])) if old_grid and new_grid else 0
    changed = any(cell.state != "same" for line in cells for cell in line) or removed_rows or removed_columns
    return {
        "header": cells[0] if cells else [],
        "rows": cells[1:],
        "removed_rows": removed_rows,
        "removed_columns": removed_columns,
        "has_changes": bool(changed),
    }
