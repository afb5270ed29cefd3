"""Where a reviewer's comment on a diff points: a line of a text proposal or a cell of a table.

An anchor is plain data kept with the comment ({"line": 12, "text": "..."} or
{"row": "Examples", "column": "Column-wise", "text": "Parquet, ORC"}): what the reviewer
saw there, so that after the author revises, the comment is found again where that text
still stands, or marked outdated when it changed. Rows are named by their first cell (the
table's natural key, as the table diff matches them) and columns by their header.
"""

import difflib
import re
from dataclasses import dataclass

from notes.lib.limits import MAX_ANCHOR_LABEL_LENGTH

# The lines a reviewer may pick: the changed ones and this many lines around each.
CONTEXT_LINES = 1
# A text proposal offers at most this many lines to comment on (the changed ones first).
MAX_LINE_CHOICES = 500


@dataclass(frozen=True)
class Anchor:
    value: str  # what the form posts: "line:12" or "cell:3:2" (new row and column, from 0)
    label: str  # what the reader sees in the list: "Line 12: ..." or "Examples / Column-wise: ..."
    data: dict  # what the comment keeps


def line_anchors(old: str, new: str) -> list[Anchor]:
    """The proposal's changed lines and their neighbours, each a place to comment on."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    wanted: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=len(old_lines) > 2_000)
    for operation, _a1, _a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            continue
        first = max(0, b1 - CONTEXT_LINES)
        last = min(len(new_lines), max(b2, b1 + 1) + CONTEXT_LINES)
        wanted.update(range(first, last))
    numbers = sorted(number for number in wanted if number < len(new_lines))[:MAX_LINE_CHOICES]
    return [
        Anchor(
            value=f"line:{number + 1}",
            label=_label(f"Line {number + 1}", new_lines[number]),
            data={"line": number + 1, "text": new_lines[number]},
        )
        for number in numbers
    ]


def cell_anchors(headers: list[str], rows: list[list[str]]) -> list[Anchor]:
    """Every cell of the proposed table, named by its row's first cell and its column's header."""
    anchors = []
    for row_index, row in enumerate(rows):
        key = str(row[0]) if row else ""
        for column, header in enumerate(headers):
            text = str(row[column]) if column < len(row) else ""
            anchors.append(
                Anchor(
                    value=f"cell:{row_index}:{column}",
                    label=_label(f"Row “{key}”, column “{header}”", text),
                    data={"row": key, "column": str(header), "text": text},
                )
            )
    return anchors


def anchor_chosen(value: str, anchors: list[Anchor]) -> Anchor | None:
    """The anchor the form named, if it is one of those offered."""
    return next((anchor for anchor in anchors if anchor.value == value), None)


def is_outdated(anchor: dict, *, body: str = "", headers=None, rows=None) -> bool:
    """The commented text no longer stands where it stood (a line) or in its cell (a cell)."""
    if "line" in anchor:
        lines = body.splitlines()
        number = anchor["line"] - 1
        if 0 <= number < len(lines) and lines[number] == anchor["text"]:
            return False
        # Lines added or removed above move it; the same text close by is still it.
        return anchor["text"] not in lines[max(0, number - 50) : number + 50]
    headers = [str(header) for header in headers or []]
    if anchor.get("column") not in headers:
        return True
    column = headers.index(anchor["column"])
    found = [row for row in rows or [] if row and str(row[0]) == anchor.get("row")]
    if len(found) != 1:
        return True
    row = found[0]
    return (str(row[column]) if column < len(row) else "") != anchor.get("text")


def anchor_label(anchor: dict) -> str:
    """Where a comment was made, as its list shows it."""
    if "line" in anchor:
        return _label(f"Line {anchor['line']}", anchor.get("text", ""))
    if "row" in anchor:
        return _label(f"Row “{anchor['row']}”, column “{anchor.get('column', '')}”", anchor.get("text", ""))
    return ""


def _label(place: str, text: str) -> str:
    shown = " ".join(text.split()) or "(empty)"
    label = f"{place}: {shown}"
    return label if len(label) <= MAX_ANCHOR_LABEL_LENGTH else label[: MAX_ANCHOR_LABEL_LENGTH - 1] + "…"


def line_now(anchor: dict, body: str) -> int | None:
    """The line (from 1) a comment on a line points at in ``body`` now: where it was, else
    the same text nearest to it within the lines ``is_outdated`` looks at; None when gone."""
    if "line" not in anchor:
        return None
    lines = body.splitlines()
    number = anchor["line"] - 1
    if 0 <= number < len(lines) and lines[number] == anchor.get("text"):
        return number + 1
    near = [
        index
        for index in range(max(0, number - 50), min(len(lines), number + 50))
        if lines[index] == anchor.get("text")
    ]
    return min(near, key=lambda index: abs(index - number)) + 1 if near else None


_SIDE_BY_SIDE_ROW_RE = re.compile(
    r'<tr class="(?:same|changed|added|removed)">'
    r'<td class="number">\d*</td><td class="[a-z]+">.*?</td>'
    r'<td class="number">(\d*)</td><td class="[a-z]+">.*?</td></tr>',
    re.DOTALL,
)


def side_by_side_with_notes(html: str, notes: dict[int, str]) -> str:
    """The side-by-side diff (``notes.lib.diffs.side_by_side_diff``) with a row under each
    new line numbered in ``notes``, holding that line's notes (HTML made by the caller,
    escaped there). A line the diff does not show (an unchanged stretch) gets none here."""
    if not notes:
        return html

    def under(match: re.Match) -> str:
        number = match.group(1)
        placed = notes.get(int(number)) if number else None
        if not placed:
            return match.group(0)
        return f'{match.group(0)}<tr class="line-notes"><td class="number"></td><td colspan="3">{placed}</td></tr>'

    return _SIDE_BY_SIDE_ROW_RE.sub(under, html)
