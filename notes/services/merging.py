"""Three-way merge of a proposal with what was published since it was written.

Text merges line by line (merge3), table cells one by one when the three tables have the
same shape, every other field whole. A conflict keeps the author's side, with markers in
text, so the author resolves from the merge rather than from scratch.
"""

from merge3 import Merge3

_CONFLICT = object()


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
                "<<<<<<< current\n",
                *_ended(current_lines),
                "=======\n",
                *_ended(proposed_lines),
                ">>>>>>> proposed\n",
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
