"""Table diffs by identity: rows and columns matched by what they hold, not where they stand.

A comparison table's rows are matched by their first column where its text is unique on
both sides (the natural key, "Read speed"), then by likeness of their cells; columns by
their header, then by likeness. So inserting a row shows one inserted row, not every later
row struck out and replaced; moving one shows one moved row; editing a cell shows that cell
with its words marked. ``table_alignment`` is the matching alone (plain texts in, index
pairs out) so the rendered diff of a chapter's HTML tables uses the same one;
``table_diff`` is what review and history pages show for a table's data.

Everything shown is escaped here; the cell HTML is safe to mark safe.
"""

import bisect
import difflib
from dataclasses import dataclass, field
from html import escape

from notes.lib.diffs import inline_word_diff

# Two rows (or columns) pair when their texts are at least this alike (difflib's ratio).
SIMILAR_ENOUGH = 0.5
# Pairing by likeness compares every unmatched old item with every unmatched new one; past
# this many comparisons the rest pair in order instead (the grid allows 500 x 500 rows).
MAX_PAIRING_COMPARISONS = 40_000

Pair = tuple[int | None, int | None]


@dataclass(frozen=True)
class Alignment:
    """Which old column and row each new one is, in display order.

    ``columns`` and ``rows`` list ``(old_index, new_index, is_moved)``; an item only on the
    old side (removed) has ``new_index`` None and stands where it stood, one only on the
    new side (added) has ``old_index`` None. Row indices count body rows, not the header.
    """

    columns: list[tuple[int | None, int | None, bool]]
    rows: list[tuple[int | None, int | None, bool]]


def table_alignment(
    old_headers: list[str], old_rows: list[list[str]], new_headers: list[str], new_rows: list[list[str]]
) -> Alignment:
    """Match the columns by header, then the rows by natural key or likeness."""
    old_headers, new_headers = [_plain(text) for text in old_headers], [_plain(text) for text in new_headers]
    width = max(len(old_headers), *(len(row) for row in old_rows), 0) if old_rows else len(old_headers)
    old_columns = [_column(old_rows, index) for index in range(width)]
    new_width = max(len(new_headers), *(len(row) for row in new_rows), 0) if new_rows else len(new_headers)
    new_columns = [_column(new_rows, index) for index in range(new_width)]
    old_headers += [""] * (width - len(old_headers))
    new_headers += [""] * (new_width - len(new_headers))

    column_pairs = _by_key(old_headers, new_headers)
    # A renamed header: pair by its words, else by the column's cells (a header retyped
    # whole over the same cells is still that column).
    _by_likeness(old_headers, new_headers, column_pairs)
    _by_likeness(
        [" ".join(column) for column in old_columns],
        [" ".join(column) for column in new_columns],
        column_pairs,
    )
    matched = sorted(column_pairs.items(), key=lambda pair: pair[1])  # (old, new) by new position

    def projected(rows, side):
        return [[_plain(_cell(row, pair[side])) for pair in matched] for row in rows]

    old_projected, new_projected = projected(old_rows, 0), projected(new_rows, 1)
    row_pairs: dict[int, int] = {}
    if matched:
        # The natural key: the first column both tables share, where its text is unique.
        row_pairs = _by_key([row[0] for row in old_projected], [row[0] for row in new_projected])
    _by_key([" | ".join(row) for row in old_projected], [" | ".join(row) for row in new_projected], row_pairs)
    _by_likeness(
        [" | ".join(row) for row in old_projected], [" | ".join(row) for row in new_projected], row_pairs
    )
    return Alignment(
        columns=_ordered(column_pairs, width, new_width),
        rows=_ordered(row_pairs, len(old_rows), len(new_rows)),
    )


def _plain(text) -> str:
    return " ".join(str(text).split())


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _column(rows: list[list[str]], index: int) -> list[str]:
    return [_plain(_cell(row, index)) for row in rows]


def _by_key(old: list[str], new: list[str], pairs: dict[int, int] | None = None) -> dict[int, int]:
    """Pair items whose (non-empty) text occurs once on each side and is unpaired yet."""
    pairs = {} if pairs is None else pairs
    taken = set(pairs.values())
    old_free = [index for index in range(len(old)) if index not in pairs]
    new_free = [index for index in range(len(new)) if index not in taken]
    old_places = _unique_places([old[index] for index in old_free], old_free)
    new_places = _unique_places([new[index] for index in new_free], new_free)
    for text, old_index in old_places.items():
        if text in new_places:
            pairs[old_index] = new_places[text]
    return pairs


def _unique_places(texts: list[str], indices: list[int]) -> dict[str, int]:
    seen: dict[str, int | None] = {}
    for text, index in zip(texts, indices, strict=True):
        if text:
            seen[text] = None if text in seen else index
    return {text: index for text, index in seen.items() if index is not None}


def _by_likeness(old: list[str], new: list[str], pairs: dict[int, int]) -> None:
    """Pair the unpaired items most alike first, each pair at least ``SIMILAR_ENOUGH`` alike."""
    taken = set(pairs.values())
    old_free = [index for index in range(len(old)) if index not in pairs and old[index]]
    new_free = [index for index in range(len(new)) if index not in taken and new[index]]
    if not old_free or not new_free:
        return
    if len(old_free) * len(new_free) > MAX_PAIRING_COMPARISONS:
        for old_index, new_index in zip(old_free, new_free, strict=False):
            pairs[old_index] = new_index
        return
    scored = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    for new_index in new_free:
        matcher.set_seq2(new[new_index])
        for old_index in old_free:
            matcher.set_seq1(old[old_index])
            if matcher.real_quick_ratio() < SIMILAR_ENOUGH or matcher.quick_ratio() < SIMILAR_ENOUGH:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR_ENOUGH:
                # Equal likeness: the nearer in position first, so twin rows keep their order.
                scored.append((-ratio, abs(old_index - new_index), old_index, new_index))
    used_new: set[int] = set()
    for _score, _distance, old_index, new_index in sorted(scored):
        if old_index not in pairs and new_index not in used_new:
            pairs[old_index] = new_index
            used_new.add(new_index)


def _ordered(
    pairs: dict[int, int], old_count: int, new_count: int
) -> list[tuple[int | None, int | None, bool]]:
    """Every item in the new order, each removed one where it stood; moved ones flagged.

    The pairs that keep their relative order are the longest increasing run of old indices
    (taken in new order); any other pair was moved.
    """
    old_of_new = {new: old for old, new in pairs.items()}
    in_new_order = [old_of_new[new] for new in range(new_count) if new in old_of_new]
    kept = set(_longest_increasing(in_new_order))
    result: list[tuple[int | None, int | None, bool]] = []
    removed = [old for old in range(old_count) if old not in pairs]
    for new in range(new_count):
        old = old_of_new.get(new)
        if old is not None and old in kept:
            while removed and removed[0] < old:
                result.append((removed.pop(0), None, False))
        result.append((old, new, old is not None and old not in kept))
    result += [(old, None, False) for old in removed]
    return result


def _longest_increasing(values: list[int]) -> list[int]:
    """The longest strictly increasing subsequence of ``values`` (patience sorting)."""
    tails: list[int] = []  # value ending the best run of each length
    tail_at: list[int] = []  # its position in ``values``
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect.bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[length], tail_at[length] = value, position
        previous[position] = tail_at[length - 1] if length else -1
    run = []
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        run.append(values[position])
        position = previous[position]
    return run[::-1]


# --- What review and history pages show --------------------------------------------------------


@dataclass(frozen=True)
class CellDiff:
    text: str  # the new text (the old one for a removed row or column)
    old: str | None
    state: str  # "same", "changed", "added", "removed"
    html: str  # escaped, a changed cell's words marked with <del> and <ins>


@dataclass(frozen=True)
class RowDiff:
    cells: list[CellDiff]
    state: str  # "same", "changed", "added", "removed", "moved"
    old_number: int | None  # 1-based, as a reader counts rows
    new_number: int | None


@dataclass(frozen=True)
class TableDiff:
    header: list[CellDiff]
    rows: list[RowDiff]
    counts: dict[str, int] = field(default_factory=dict)
    # Each shown column's index in the new table (None: a removed column).
    columns: list[int | None] = field(default_factory=list)

    def with_notes(
        self, notes: dict[tuple[int, int], list]
    ) -> list[tuple[RowDiff, list[tuple[CellDiff, list]]]]:
        """The rows with, beside each cell, the ``notes`` placed at (new row, new column),
        both from 0 (comments on cells, for the request page)."""
        return [
            (
                row,
                [
                    (
                        cell,
                        notes.get((row.new_number - 1, column), [])
                        if row.new_number and column is not None
                        else [],
                    )
                    for cell, column in zip(row.cells, self.columns, strict=True)
                ],
            )
            for row in self.rows
        ]

    @property
    def has_changes(self) -> bool:
        return any(self.counts.values())

    @property
    def summary(self) -> str:
        """What changed, in words: "1 row added, 1 column added, 1 row moved, 1 cell changed"."""
        parts = []
        for key, noun, verb in SUMMARY_PARTS:
            count = self.counts.get(key, 0)
            if count:
                parts.append(f"{count} {noun}{'s' if count != 1 else ''} {verb}")
        return ", ".join(parts) if parts else "No differences."


SUMMARY_PARTS = (
    ("rows_added", "row", "added"),
    ("rows_removed", "row", "removed"),
    ("rows_moved", "row", "moved"),
    ("columns_added", "column", "added"),
    ("columns_removed", "column", "removed"),
    ("columns_moved", "column", "moved"),
    ("columns_renamed", "column", "renamed"),
    ("cells_changed", "cell", "changed"),
)


def table_diff(old_headers, old_rows, new_headers, new_rows) -> TableDiff:
    """The new table with each column, row and cell marked against the old one.

    Removed rows and columns stand where they stood, struck out; a moved row is marked
    moved (its cells compared with its old self); a cell of a row and column both sides
    share is "changed" when its text differs, with its words marked.
    """
    old_headers, old_rows = list(old_headers or []), [list(row) for row in old_rows or []]
    new_headers, new_rows = list(new_headers or []), [list(row) for row in new_rows or []]
    alignment = table_alignment(old_headers, old_rows, new_headers, new_rows)
    counts = dict.fromkeys((key for key, _noun, _verb in SUMMARY_PARTS), 0)
    header = []
    for old, new, is_moved in alignment.columns:
        cell = _cell_diff(old_headers, old, new_headers, new, row_state="same")
        header.append(cell)
        if new is None:
            counts["columns_removed"] += 1
        elif old is None:
            counts["columns_added"] += 1
        else:
            counts["columns_moved"] += is_moved
            counts["columns_renamed"] += cell.state == "changed"
    rows = []
    for old_row, new_row, is_row_moved in alignment.rows:
        old_cells = old_rows[old_row] if old_row is not None else []
        new_cells = new_rows[new_row] if new_row is not None else []
        row_state = "removed" if new_row is None else "added" if old_row is None else "same"
        cells = [
            _cell_diff(old_cells, old if old_row is not None else None, new_cells, new, row_state=row_state)
            for old, new, _moved in alignment.columns
        ]
        changed = sum(
            cell.state == "changed" for cell, (old, new, _m) in zip(cells, alignment.columns, strict=True)
        )
        counts["cells_changed"] += changed
        if row_state == "same":
            row_state = "moved" if is_row_moved else ("changed" if changed else "same")
        counts["rows_added"] += row_state == "added"
        counts["rows_removed"] += row_state == "removed"
        counts["rows_moved"] += row_state == "moved"
        rows.append(
            RowDiff(
                cells=cells,
                state=row_state,
                old_number=None if old_row is None else old_row + 1,
                new_number=None if new_row is None else new_row + 1,
            )
        )
    return TableDiff(
        header=header, rows=rows, counts=counts, columns=[new for _old, new, _m in alignment.columns]
    )


def _cell_diff(old_cells, old: int | None, new_cells, new: int | None, *, row_state: str) -> CellDiff:
    """One cell of a column (``old``/``new`` its index on each side, None where it has none)."""
    old_text = _cell(old_cells, old) if old is not None else None
    new_text = _cell(new_cells, new) if new is not None else None
    if row_state == "removed" or new_text is None:
        return CellDiff(
            old_text or "", old_text, "removed", f"<del>{escape(old_text)}</del>" if old_text else ""
        )
    if row_state == "added" or old_text is None:
        return CellDiff(new_text, None, "added", escape(new_text))
    if old_text == new_text:
        return CellDiff(new_text, old_text, "same", escape(new_text))
    return CellDiff(new_text, old_text, "changed", inline_word_diff(old_text, new_text))
