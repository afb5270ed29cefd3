"""Table diffs by identity: an inserted row or column, a moved row and an edited cell each
show as exactly that, in review, history compare and the rendered diff alike."""

import re

from notes.lib.rendered_diffs import rendered_diff
from notes.lib.table_diffs import table_alignment, table_diff

HEADERS = ["Aspect", "Row-wise", "Column-wise"]
ROWS = [
    ["Layout", "Rows together", "Columns together"],
    ["Read speed", "Slow for analytics", "Fast for analytics"],
    ["Write speed", "Fast appends", "Slower appends"],
    ["Examples", "CSV, Avro", "Parquet"],
    ["Best for", "Transactions", "Analytics"],
]
# A "Compression" row above "Read speed", a "Hybrid" column before "Column-wise",
# "Best for" moved to the top, and one cell changed to "Parquet, ORC".
NEW_HEADERS = ["Aspect", "Row-wise", "Hybrid", "Column-wise"]
NEW_ROWS = [
    ["Best for", "Transactions", "Mixed", "Analytics"],
    ["Layout", "Rows together", "Row groups", "Columns together"],
    ["Compression", "Poor", "Good", "Excellent"],
    ["Read speed", "Slow for analytics", "Medium", "Fast for analytics"],
    ["Write speed", "Fast appends", "Medium", "Slower appends"],
    ["Examples", "CSV, Avro", "Parquet row groups", "Parquet, ORC"],
]


def states(diff):
    return [row.state for row in diff.rows]


def test_an_inserted_row_an_inserted_column_a_moved_row_and_a_changed_cell_are_each_marked_once():
    diff = table_diff(HEADERS, ROWS, NEW_HEADERS, NEW_ROWS)
    assert [cell.state for cell in diff.header] == ["same", "same", "added", "same"]
    assert states(diff) == [
        "moved",
        "same",
        "added",
        "same",
        "same",
        "changed",
    ]
    assert diff.counts["rows_added"] == 1
    assert diff.counts["columns_added"] == 1
    assert diff.counts["rows_moved"] == 1
    assert diff.counts["cells_changed"] == 1
    assert diff.counts["rows_removed"] == diff.counts["columns_removed"] == 0
    assert diff.summary == "1 row added, 1 row moved, 1 column added, 1 cell changed"
    changed = [cell for row in diff.rows for cell in row.cells if cell.state == "changed"]
    assert [(cell.old, cell.text) for cell in changed] == [("Parquet", "Parquet, ORC")]
    assert changed[0].html == "<del>Parquet</del><ins>Parquet, ORC</ins>"
    added_row = diff.rows[2]
    assert added_row.new_number == 3 and added_row.old_number is None
    assert {cell.state for cell in added_row.cells} == {"added"}
    moved = diff.rows[0]
    assert (moved.old_number, moved.new_number) == (5, 1)
    # The new column's cells are part of the inserted column, not changed cells.
    assert [row.cells[2].state for row in diff.rows] == ["added"] * 6


def test_the_moved_row_is_the_one_that_moved_not_the_rows_it_passed():
    rows = [["A", "1"], ["B", "2"], ["C", "3"], ["D", "4"]]
    diff = table_diff(["Key", "Value"], rows, ["Key", "Value"], [rows[3], *rows[:3]])
    assert states(diff) == ["moved", "same", "same", "same"]
    assert diff.summary == "1 row moved"


def test_a_removed_row_and_column_stand_where_they_stood_struck_out():
    diff = table_diff(
        HEADERS,
        ROWS,
        ["Aspect", "Column-wise"],
        [[row[0], row[2]] for row in ROWS if row[0] != "Write speed"],
    )
    assert [(cell.text, cell.state) for cell in diff.header] == [
        ("Aspect", "same"),
        ("Row-wise", "removed"),
        ("Column-wise", "same"),
    ]
    assert states(diff) == ["same", "same", "removed", "same", "same"]
    removed = diff.rows[2]
    assert removed.old_number == 3 and removed.new_number is None
    assert removed.cells[0].html == "<del>Write speed</del>"
    assert diff.summary == "1 row removed, 1 column removed"


def test_a_renamed_key_or_header_is_a_change_not_a_removal_and_an_insertion():
    new_rows = [list(row) for row in ROWS]
    new_rows[1][0] = "Read speeds"
    diff = table_diff(HEADERS, ROWS, ["Aspect", "Row-wise", "Columnar"], new_rows)
    assert diff.summary == "1 column renamed, 1 cell changed"
    assert diff.header[2].html == "<del>Column-wise</del><ins>Columnar</ins>"
    assert diff.rows[1].cells[0].html == "Read <del>speed</del><ins>speeds</ins>"


def test_without_a_unique_first_column_rows_are_matched_by_likeness():
    rows = [["x", "alpha beta"], ["x", "gamma delta"], ["x", "epsilon zeta"]]
    new_rows = [["x", "gamma delta"], ["x", "alpha beta"], ["x", "epsilon zeta eta"]]
    diff = table_diff(["K", "V"], rows, ["K", "V"], new_rows)
    assert diff.counts["rows_moved"] == 1
    assert diff.counts["cells_changed"] == 1
    assert diff.counts["rows_added"] == diff.counts["rows_removed"] == 0


def test_identical_tables_have_no_changes_and_a_new_table_is_all_added():
    assert not table_diff(HEADERS, ROWS, HEADERS, ROWS).has_changes
    new = table_diff([], [], HEADERS, ROWS)
    assert new.summary == "5 rows added, 3 columns added"
    assert {cell.state for row in new.rows for cell in row.cells} == {"added"}


def test_cells_are_escaped():
    diff = table_diff(["A"], [["<b>x</b>"]], ["A"], [["<script>y</script>"]])
    html = "".join(cell.html for row in diff.rows for cell in row.cells)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_rows_short_of_cells_are_read_as_empty_cells():
    diff = table_diff(["A", "B"], [["k"]], ["A", "B"], [["k", "v"]])
    assert diff.summary == "1 cell changed"


def test_the_alignment_of_a_large_table_stays_fast():
    import time

    rows = [[f"Key {n}", f"value {n} " * 5] for n in range(500)]
    new_rows = [[f"Other {n}", f"thing {n} " * 5] for n in range(500)]
    started = time.monotonic()
    alignment = table_alignment(["A", "B"], rows, ["A", "B"], new_rows)
    assert time.monotonic() - started < 5
    assert len(alignment.rows) >= 500


def _table(headers, rows):
    head = "".join(f"<th>{cell}</th>" for cell in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        '<figure class="comparison-table"><div class="table-scroll"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></figure>"
    )


def test_the_rendered_diff_of_a_chapter_table_uses_the_same_matching():
    html = rendered_diff(_table(HEADERS, ROWS), _table(NEW_HEADERS, NEW_ROWS))
    assert html.count('class="diff-row-added"') == 1
    assert html.count('class="diff-row-moved"') == 1
    assert html.count('<th scope="col" class="diff-column-added">') == 1
    assert html.count('<td class="diff-column-added">') == 6
    assert "moved from row 5" in html
    # Unchanged rows are not struck out: only the one changed cell holds a <del>.
    assert re.findall(r"<del>(.*?)</del>", html) == ["Parquet"]


def test_a_table_without_a_header_row_gets_none_in_the_rendered_diff():
    old = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>"
    new = "<table><tr><td>a</td><td>b</td></tr><tr><td>x</td><td>y</td></tr><tr><td>c</td><td>d</td></tr></table>"
    html = rendered_diff(old, new)
    assert "<thead>" not in html
    assert html.count('class="diff-row-added"') == 1 and "<del>" not in html
