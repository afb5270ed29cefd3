"""Three-way merge of a proposal with what was published since it was written.

Text merges line by line (merge3), table cells one by one when the three tables have the
same shape, every other field whole. A conflict keeps the author's side, with markers in
text, so the author resolves from the merge rather than from scratch.
"""

from merge3 import Merge3

_CONFLICT = object()
CONFLICT_START, CONFLICT_MIDDLE, CONFLICT_END = "<<<<<<< current\n", "=======\n", ">>>>>>> proposed\n"


def _merge_value(base, current, proposed):
    if proposed == base or current == proposed:
        return current
    if current == base:
        return proposed
    return _CONFLICT


def _merge_text(base: str, current: str, proposed: str) -> tuple[str, list[dict]]:
    """merge3 over lines: the merged text (with markers where it conflicts) and the conflicts."""
    merge = Merge3(base.splitlines(True), current.splitlines(True), proposed.splitlines(True))
    lines: list[str] = []
    chunks: list[dict] = []
    for group in merge.merge_groups():
        if group[0] == "conflict":
            _, base_lines, current_lines, proposed_lines = group
            chunks.append(
                {
                    "base": "".join(base_lines),
                    "current": "".join(current_lines),
                    "proposed": "".join(proposed_lines),
                }
            )
            lines += [
                CONFLICT_START,
                *_ended(current_lines),
                CONFLICT_MIDDLE,
                *_ended(proposed_lines),
                CONFLICT_END,
            ]
        else:
            lines += group[1]
    return "".join(lines), chunks


def _ended(lines: list[str]) -> list[str]:
    return [*lines[:-1], lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n"] if lines else []


def merge(base: dict, current: dict, proposed: dict) -> tuple[dict, list[dict]]:
    """Merge field by field: text line by line, table cells one by one, the rest whole."""
    merged, conflicts = {}, []
    for name, proposed_value in proposed.items():
        base_value, current_value = base[name], current[name]
        if name == "body":
            text, chunks = _merge_text(base_value, current_value, proposed_value)
            merged[name] = text
            if chunks:
                conflicts.append({"field": name, "chunks": chunks, "merged": text})
            continue
        value = _merge_value(base_value, current_value, proposed_value)
        if value is _CONFLICT:
            conflicts.append(
                {"field": name, "base": base_value, "current": current_value, "proposed": proposed_value}
            )
        else:
            merged[name] = value
    if {"headers", "rows"} <= set(proposed) and any(c["field"] in ("headers", "rows") for c in conflicts):
        # Whole-table conflict: try cell by cell when all three have the same shape.
        cells = _merge_cells(base, current, proposed)
        if cells is not None:
            conflicts = [c for c in conflicts if c["field"] not in ("headers", "rows")] + cells[1]
            # Published only when nothing conflicts; otherwise the grid the author resolves.
            merged["headers"], merged["rows"] = cells[0]
    return merged, conflicts


def _merge_cells(base: dict, current: dict, proposed: dict):
    def shape(table):
        return (len(table["headers"]), [len(row) for row in table["rows"]])

    if not shape(base) == shape(current) == shape(proposed):
        return None
    conflicts = []
    headers = []
    for column, values in enumerate(
        zip(base["headers"], current["headers"], proposed["headers"], strict=True)
    ):
        value = _merge_value(*values)
        if value is _CONFLICT:
            conflicts.append(
                {
                    "field": f"header {column + 1}",
                    "base": values[0],
                    "current": values[1],
                    "proposed": values[2],
                }
            )
        headers.append(values[2] if value is _CONFLICT else value)  # the author's, to resolve
    rows = []
    for row_index, row_values in enumerate(zip(base["rows"], current["rows"], proposed["rows"], strict=True)):
        row = []
        for column, values in enumerate(zip(*row_values, strict=True)):
            value = _merge_value(*values)
            if value is _CONFLICT:
                conflicts.append(
                    {
                        "field": f"row {row_index + 1}, column {column + 1}",
                        "base": values[0],
                        "current": values[1],
                        "proposed": values[2],
                    }
                )
            row.append(values[2] if value is _CONFLICT else value)  # the author's, to resolve
        rows.append(row)
    return (headers, rows), conflicts


KEEP_PUBLISHED, KEEP_MINE, EDIT = "published", "mine", "edit"
CHOICES = (KEEP_PUBLISHED, KEEP_MINE, EDIT)


class ConflictChoiceError(ValueError):
    """The posted choices do not fit the text's conflicts; the message says why."""


def conflict_blocks(text: str) -> list[dict]:
    """The text as its pieces: agreed text ``{"text": ...}`` and each conflict between
    ``_merge_text``'s markers ``{"published": ..., "mine": ...}``, in order.

    A marker left unpaired (the author edited the markers by hand) stays text: the
    "still holds conflict markers" check refuses it at submit.
    """
    lines = text.splitlines(True)
    pieces: list[dict] = []
    agreed: list[str] = []
    index = 0
    while index < len(lines):
        if _is(lines[index], CONFLICT_START):
            middle = _find(lines, CONFLICT_MIDDLE, index + 1)
            end = _find(lines, CONFLICT_END, middle + 1) if middle is not None else None
            if middle is not None and end is not None:
                if agreed:
                    pieces.append({"text": "".join(agreed)})
                    agreed = []
                pieces.append(
                    {
                        "published": "".join(lines[index + 1 : middle]),
                        "mine": "".join(lines[middle + 1 : end]),
                    }
                )
                index = end + 1
                continue
        agreed.append(lines[index])
        index += 1
    if agreed:
        pieces.append({"text": "".join(agreed)})
    return pieces


def _is(line: str, marker: str) -> bool:
    return line.rstrip("\r\n") == marker.rstrip("\n")


def _find(lines: list[str], marker: str, start: int) -> int | None:
    for index in range(start, len(lines)):
        if _is(lines[index], CONFLICT_START):
            return None  # a new conflict opens before this one closed: not a pair
        if _is(lines[index], marker):
            return index
    return None


def conflicts_resolve(text: str, *, choices: list[str], edits: list[str]) -> str:
    """``text`` with each of its marked conflicts replaced by the side the author chose.

    ``choices[i]`` is "published", "mine" or "edit" for the i-th conflict; with "edit",
    ``edits[i]`` is the author's own text for it. The text between conflicts is kept as
    it is. Raises ``ConflictChoiceError`` when a choice is missing or unknown.
    """
    pieces = conflict_blocks(text)
    conflicts = [piece for piece in pieces if "text" not in piece]
    if len(choices) != len(conflicts):
        raise ConflictChoiceError(
            f"The text has {len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''} and "
            f"{len(choices)} choice{'s' if len(choices) != 1 else ''} came with it; choose for each one."
        )
    resolved: list[str] = []
    number = 0
    for piece in pieces:
        if "text" in piece:
            resolved.append(piece["text"])
            continue
        choice = choices[number]
        if choice == KEEP_PUBLISHED:
            resolved.append(piece["published"])
        elif choice == KEEP_MINE:
            resolved.append(piece["mine"])
        elif choice == EDIT:
            edited = (edits[number] if number < len(edits) else "").replace("\r\n", "\n")
            resolved.append(edited if not edited or edited.endswith("\n") else edited + "\n")
        else:
            raise ConflictChoiceError(
                f"Conflict {number + 1}: choose “keep published”, “keep mine” or “edit”."
            )
        number += 1
    return "".join(resolved)


def conflict_markers_escaped(text: str) -> str:
    """Markdown that shows the markers of each marked conflict as the plain lines they are.

    A bare ``=======`` under a line makes that line a heading; escaped, each marker is a
    literal line in the preview. Lines outside a complete conflict are left alone (a
    ``=======`` under a title is the author's heading).
    """
    shown = []
    for piece in conflict_blocks(text):
        if "text" in piece:
            shown.append(piece["text"])
        else:
            shown += ["\\" + CONFLICT_START, piece["published"], "\\" + CONFLICT_MIDDLE]
            shown += [piece["mine"], "\\" + CONFLICT_END]
    return "".join(shown)
