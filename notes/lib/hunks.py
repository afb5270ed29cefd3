"""The separate changes of a proposal, for accepting some of them and leaving the rest.

A reviewer may publish part of a change request: the hunks of a text and the rows,
columns and cells of a table they agree with. The changes are cut here, once, from the
same matching the diffs show (``notes.lib.diffs`` for text lines, ``notes.lib.table_diffs``
for a table's rows and columns), so what a reviewer ticks is what the diff showed them.

``text_changes`` / ``table_changes`` list the changes with ids that stay the same for the
same two versions; ``text_applied`` / ``table_applied`` build the version holding the base
plus exactly the accepted ones. Accepting every change gives the proposal back exactly;
accepting none gives the base (a text's unchanged lines ending as the proposal ends them). Nothing here touches a model or the database.
"""

import hashlib
from dataclasses import dataclass, field
from html import escape

from notes.lib.diffs import changed_words, line_opcodes, paired_by_similarity
from notes.lib.limits import MAX_PART_LINES_SHOWN
from notes.lib.table_diffs import table_alignment


@dataclass(frozen=True)
class Change:
    """One change a reviewer can tick: ``id`` names it in a form, ``label`` says what it is
    in words, ``lines`` is what the diff shows of it ((state, old html, new html) rows)."""

    id: str
    label: str
    lines: list[tuple[str, str, str]] = field(default_factory=list)
    # Text: the old and new line ranges it replaces (0-based, end excluded).
    old_range: tuple[int, int] | None = None
    new_range: tuple[int, int] | None = None
    # Table: the row and column (header text, first-column text) a cell change is at.
    anchor: dict = field(default_factory=dict)


def _fingerprint(*parts) -> str:
    """A short id made from what a change is, so two different changes never share one."""
    digest = hashlib.blake2b("\x1f".join(str(part) for part in parts).encode("utf-8"), digest_size=5)
    return digest.hexdigest()[:10]


# --- Text -----------------------------------------------------------------------------------


def _opcodes(old: str, new: str) -> list[tuple]:
    # The side-by-side diff matches ``splitlines()`` with these very opcodes.
    return line_opcodes(old.splitlines(), new.splitlines())


def text_changes(old: str, new: str, *, prefix: str = "") -> list[Change]:
    """The hunks of ``old`` -> ``new``: each run of changed lines the side-by-side diff
    shows between unchanged ones, in order, numbered from 1 ("Change 2: lines 14-16")."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    changes = []
    for operation, a1, a2, b1, b2 in _opcodes(old, new):
        if operation == "equal":
            continue
        number = len(changes) + 1
        shown = []
        # A long hunk shows its first lines and says how many more it holds.
        shown_old = old_lines[a1 : min(a2, a1 + MAX_PART_LINES_SHOWN)]
        shown_new = new_lines[b1 : min(b2, b1 + MAX_PART_LINES_SHOWN)]
        for a, b in paired_by_similarity(shown_old, shown_new):
            if a is not None and b is not None:
                old_html, new_html = changed_words(old_lines[a1 + a], new_lines[b1 + b])
                shown.append(("changed", old_html, new_html))
            elif a is not None:
                shown.append(("removed", escape(old_lines[a1 + a]), ""))
            else:
                shown.append(("added", "", escape(new_lines[b1 + b])))
        hidden = (a2 - a1 - len(shown_old)) + (b2 - b1 - len(shown_new))
        if hidden:
            shown.append(("more", f"… and {hidden} more line{'s' if hidden != 1 else ''} in this change", ""))
        if b2 > b1:
            where = f"line {b1 + 1}" if b2 - b1 == 1 else f"lines {b1 + 1}-{b2}"
        else:
            where = f"removed after line {b1}" if b1 else "removed at the start"
        changes.append(
            Change(
                id=f"{prefix}{number}-{_fingerprint(a1, b1, old_lines[a1:a2], new_lines[b1:b2])}",
                label=f"Change {number}: {where}",
                lines=shown,
                old_range=(a1, a2),
                new_range=(b1, b2),
            )
        )
    return changes


def text_applied(old: str, new: str, accepted: set[str] | frozenset[str], *, prefix: str = "") -> str:
    """``old`` with exactly the ``accepted`` hunks of ``old`` -> ``new`` made.

    Lines keep their own line ends: unchanged lines and accepted hunks as ``new`` has them,
    refused hunks as ``old`` has them; a line that comes to stand before another without an
    end of its own (the last line of one side) gets a newline.
    """
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    chosen: list[str] = []
    changes = iter(text_changes(old, new, prefix=prefix))
    for operation, a1, a2, b1, b2 in _opcodes(old, new):
        if operation == "equal":
            chosen += new_lines[b1:b2]
            if a2 == len(old_lines) and b2 < len(new_lines):
                # Old's last line, followed only by what new adds: it ends as in old
                # unless an accepted addition comes after it (then a newline is added).
                chosen[-1] = old_lines[a2 - 1]
        elif next(changes).id in accepted:
            chosen += new_lines[b1:b2]
        else:
            chosen += old_lines[a1:a2]
    last = len(chosen) - 1
    return "".join(
        line + "\n" if index < last and line.splitlines() == [line] else line
        for index, line in enumerate(chosen)
    )


# --- Tables ---------------------------------------------------------------------------------


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def table_changes(
    old_headers: list[str], old_rows: list[list[str]], new_headers: list[str], new_rows: list[list[str]]
) -> list[Change]:
    """The changes of a table, by identity as its diff shows them: each column added or
    removed, each header renamed, the columns' new order, each row added or removed, the
    rows' new order, and each cell changed in a row and a column both versions share."""
    alignment = table_alignment(old_headers, old_rows, new_headers, new_rows)
    changes: list[Change] = []

    def header_of(old, new):
        return _cell(new_headers, new) if new is not None else _cell(old_headers, old)

    def key_of(old, new):
        row = new_rows[new] if new is not None else old_rows[old]
        return row[0] if row else ""

    for old, new, _moved in alignment.columns:
        if new is None:
            name = _cell(old_headers, old)
            changes.append(
                Change(
                    id=f"column-removed-{old}-{_fingerprint(name)}",
                    label=f"Column “{name}” removed",
                    lines=[("removed", escape(name), "")],
                    anchor={"column": name},
                )
            )
        elif old is None:
            name = _cell(new_headers, new)
            changes.append(
                Change(
                    id=f"column-added-{new}-{_fingerprint(name, [_cell(row, new) for row in new_rows])}",
                    label=f"Column “{name}” added",
                    lines=[("added", "", escape(name))],
                    anchor={"column": name},
                )
            )
        elif _cell(old_headers, old) != _cell(new_headers, new):
            before, after = _cell(old_headers, old), _cell(new_headers, new)
            old_html, new_html = changed_words(before, after)
            changes.append(
                Change(
                    id=f"header-{old}-{new}-{_fingerprint(before, after)}",
                    label=f"Column “{before}” renamed “{after}”",
                    lines=[("changed", old_html, new_html)],
                    anchor={"column": after},
                )
            )
    if _order_changed(alignment.columns):
        order = [_cell(new_headers, new) for _old, new, _moved in alignment.columns if new is not None]
        changes.append(
            Change(
                id=f"columns-order-{_fingerprint(order)}",
                label="Columns put in a new order: " + ", ".join(f"“{name}”" for name in order),
                lines=[("changed", "", escape(" | ".join(order)))],
            )
        )
    for old, new, _moved in alignment.rows:
        if new is None:
            row = old_rows[old]
            changes.append(
                Change(
                    id=f"row-removed-{old}-{_fingerprint(row)}",
                    label=f"Row “{key_of(old, new)}” removed",
                    lines=[("removed", escape(" | ".join(row)), "")],
                    anchor={"row": key_of(old, new)},
                )
            )
        elif old is None:
            row = new_rows[new]
            changes.append(
                Change(
                    id=f"row-added-{new}-{_fingerprint(row)}",
                    label=f"Row “{key_of(old, new)}” added",
                    lines=[("added", "", escape(" | ".join(row)))],
                    anchor={"row": key_of(old, new)},
                )
            )
    if _order_changed(alignment.rows):
        changes.append(
            Change(
                id=f"rows-order-{_fingerprint([row[0] if row else '' for row in new_rows])}",
                label="Rows put in a new order",
                lines=[("changed", "", escape(", ".join(row[0] if row else "" for row in new_rows)))],
            )
        )
    for old_row, new_row, _moved in alignment.rows:
        if old_row is None or new_row is None:
            continue
        for old_column, new_column, _column_moved in alignment.columns:
            if old_column is None or new_column is None:
                continue
            before = _cell(old_rows[old_row], old_column)
            after = _cell(new_rows[new_row], new_column)
            if before == after:
                continue
            row_key, column = key_of(old_row, new_row), header_of(old_column, new_column)
            old_html, new_html = changed_words(before, after)
            changes.append(
                Change(
                    id=f"cell-{old_row}-{old_column}-{new_row}-{new_column}-{_fingerprint(before, after)}",
                    label=f"Cell “{row_key}” / “{column}” changed",
                    lines=[("changed", old_html, new_html)],
                    anchor={"row": row_key, "column": column},
                )
            )
    return changes


def _order_changed(pairs: list[tuple[int | None, int | None, bool]]) -> bool:
    """The items both versions share stand in another order (one or more was moved)."""
    return any(is_moved for _old, _new, is_moved in pairs)


def _ordered(pairs: list[tuple[int | None, int | None, bool]], *, new_order: bool, kept) -> list:
    """The ``kept`` items of ``pairs`` in the new order (the display order, removed items
    where they stood) or, when the new order is not accepted, the old items in their old
    order with each added one after the item it follows in the display order."""
    if new_order:
        return [pair for pair in pairs if kept(pair)]
    result = sorted((pair for pair in pairs if pair[0] is not None and kept(pair)), key=lambda pair: pair[0])
    previous = None
    for pair in pairs:
        if pair[0] is None and kept(pair):
            result.insert(0 if previous is None else result.index(previous) + 1, pair)
        if pair in result:
            previous = pair
    return result


def table_applied(
    old_headers: list[str],
    old_rows: list[list[str]],
    new_headers: list[str],
    new_rows: list[list[str]],
    accepted: set[str] | frozenset[str],
) -> tuple[list[str], list[list[str]]]:
    """The old table with exactly the ``accepted`` changes of ``table_changes`` made.

    A kept row in a column it did not have before (a removed row kept in an added column,
    an added row in a removed column kept) gets an empty cell.
    """
    alignment = table_alignment(old_headers, old_rows, new_headers, new_rows)
    ids = {change.id: change for change in table_changes(old_headers, old_rows, new_headers, new_rows)}
    is_accepted = {change_id: change_id in accepted for change_id in ids}

    def taken(prefix: str) -> bool:
        return any(value for change_id, value in is_accepted.items() if change_id.startswith(prefix))

    def column_kept(old, new) -> bool:
        if new is None:
            return not taken(f"column-removed-{old}-")
        if old is None:
            return taken(f"column-added-{new}-")
        return True

    def row_kept(old, new) -> bool:
        if new is None:
            return not taken(f"row-removed-{old}-")
        if old is None:
            return taken(f"row-added-{new}-")
        return True

    columns = _ordered(
        alignment.columns, new_order=taken("columns-order-"), kept=lambda pair: column_kept(pair[0], pair[1])
    )
    rows = _ordered(
        alignment.rows, new_order=taken("rows-order-"), kept=lambda pair: row_kept(pair[0], pair[1])
    )
    headers = []
    for old, new, _moved in columns:
        if old is None:
            headers.append(_cell(new_headers, new))
        elif new is None:
            headers.append(_cell(old_headers, old))
        else:
            renamed = taken(f"header-{old}-{new}-")
            headers.append(_cell(new_headers, new) if renamed else _cell(old_headers, old))
    result = []
    for old_row, new_row, _moved in rows:
        cells = []
        for old_column, new_column, _column_moved in columns:
            if old_row is None:  # an added row
                cells.append(_cell(new_rows[new_row], new_column))
            elif new_row is None:  # a removed row kept
                cells.append(_cell(old_rows[old_row], old_column))
            elif old_column is None:  # an added column, in a row both share
                cells.append(_cell(new_rows[new_row], new_column))
            elif new_column is None:  # a removed column kept
                cells.append(_cell(old_rows[old_row], old_column))
            else:
                changed = taken(f"cell-{old_row}-{old_column}-{new_row}-{new_column}-")
                cells.append(
                    _cell(new_rows[new_row], new_column) if changed else _cell(old_rows[old_row], old_column)
                )
        result.append(cells)
    return headers, result


# --- A whole proposal -----------------------------------------------------------------------


def title_change(old: str, new: str) -> list[Change]:
    """A changed title, as one change of its own."""
    if old == new:
        return []
    old_html, new_html = changed_words(old, new)
    return [
        Change(id=f"title-{_fingerprint(old, new)}", label="Title", lines=[("changed", old_html, new_html)])
    ]


def proposal_changes(kind: str, base: dict, proposed: dict) -> list[Change]:
    """Every change a proposal makes to a chapter's or a table's content (``kind``), in the
    order the request page shows them: the title first, then the text or the table."""
    changes = title_change(base.get("title", ""), proposed.get("title", ""))
    if kind == "table":
        return changes + table_changes(base["headers"], base["rows"], proposed["headers"], proposed["rows"])
    return changes + text_changes(base["body"], proposed["body"])


def proposal_applied(kind: str, base: dict, proposed: dict, accepted: set[str] | frozenset[str]) -> dict:
    """``base`` with exactly the ``accepted`` changes of ``proposal_changes`` made."""
    titles = title_change(base.get("title", ""), proposed.get("title", ""))
    result = dict(base)
    if titles and titles[0].id in accepted:
        result["title"] = proposed["title"]
    if kind == "table":
        result["headers"], result["rows"] = table_applied(
            base["headers"], base["rows"], proposed["headers"], proposed["rows"], accepted
        )
    else:
        result["body"] = text_applied(base["body"], proposed["body"], accepted)
    return result
