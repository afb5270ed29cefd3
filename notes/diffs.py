"""Diffs for reviewers: Markdown word by word and side by side, tables cell by cell.

Everything here escapes the text it shows; the results are safe to mark safe.
"""

import difflib
import re
from dataclasses import dataclass
from html import escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def inline_word_diff(old: str, new: str) -> str:
    """One text with removed words in <del> and added words in <ins>."""
    old_words, new_words = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return "".join(parts)


def side_by_side_diff(old: str, new: str, *, old_label: str, new_label: str) -> str:
    """difflib's two-column table of changed lines with context (it escapes the text)."""
    return difflib.HtmlDiff(wrapcolumn=70).make_table(
        old.splitlines(), new.splitlines(), escape(old_label), escape(new_label), context=True, numlines=2
    )


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
