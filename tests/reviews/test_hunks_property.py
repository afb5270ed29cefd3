"""Property test: accepting some changes now and the rest later gives the whole proposal.

Hypothesis builds a base and a proposed text (lines drawn from a small vocabulary, so
they share lines, repeat them and move them) and a random subset of the hunks between
them; applying the subset, then every hunk that remains between that result and the
proposal, must give the proposal exactly. The remaining hunks must be no more than those
left unticked, and the three-way merge of the accepted and the refused halves must give
the proposal's lines too (the hunks are independent). Tables likewise, by rows, columns and
cells. Bounded (200 examples each, no deadline); no example database is written.
"""

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from notes.lib.hunks import (
    proposal_applied,
    proposal_changes,
    table_applied,
    table_changes,
    text_applied,
    text_changes,
)
from notes.lib.merging import merge

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LINES = ["alpha", "beta gamma", "", "delta", "## Heading", "| a | b |", "epsilon zeta eta", "theta."]
line = st.one_of(st.sampled_from(LINES), st.text(alphabet="abc xyz.", max_size=12))
texts = st.builds(
    lambda lines, ending: "\n".join(lines) + ending,
    st.lists(line, max_size=14),
    st.sampled_from(["", "\n"]),
)


@SETTINGS
@given(base=texts, proposed=texts, data=st.data())
def test_accepted_hunks_then_the_remainder_give_the_proposed_text(base, proposed, data):
    changes = text_changes(base, proposed)
    accepted = data.draw(st.sets(st.sampled_from([c.id for c in changes])) if changes else st.just(set()))

    published = text_applied(base, proposed, accepted)
    remainder = text_changes(published, proposed)

    assert text_applied(published, proposed, {c.id for c in remainder}) == proposed
    assert len(remainder) <= len(changes) - len(accepted)
    if len(accepted) == len(changes):
        assert published == proposed
    refused = text_applied(base, proposed, {c.id for c in changes} - accepted)
    # Line by line (the end of the last line is no hunk of its own, so it is left out).
    ended = [text if text.endswith("\n") or not text else text + "\n" for text in (base, published, refused)]
    merged, conflicts = merge({"body": ended[0]}, {"body": ended[1]}, {"body": ended[2]})
    assert not conflicts
    assert merged["body"].splitlines() == proposed.splitlines()


@SETTINGS
@given(base=texts, proposed=texts)
def test_accepting_no_hunk_keeps_the_base_lines(base, proposed):
    assert text_applied(base, proposed, set()).splitlines() == base.splitlines()


KEYS = ["Read speed", "Write speed", "Storage", "Compression", "Updates", "Scans"]
WORDS = st.sampled_from(["fast", "slow", "high", "low", "yes", "no", "good", ""])


@st.composite
def table_pairs(draw):
    """A base table and a proposal made from it by removing, adding, renaming and moving
    rows and columns and changing cells (rows keyed by their first cell, mostly unique)."""
    width = draw(st.integers(1, 4))
    headers = [f"Column {index}" for index in range(width)]
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=5, unique=True))
    rows = [[key, *(draw(WORDS) for _ in range(width - 1))] for key in keys]
    new_headers, new_rows = list(headers), [list(row) for row in rows]
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["cell", "row+", "row-", "col+", "col-", "rename", "move", "swapcol"]))
        if action == "cell" and new_rows:
            row = draw(st.integers(0, len(new_rows) - 1))
            column = draw(st.integers(0, len(new_headers) - 1))
            new_rows[row][column] = draw(WORDS)
        elif action == "row+":
            at = draw(st.integers(0, len(new_rows)))
            new_rows.insert(
                at,
                [draw(st.sampled_from(["New", "Cost", "Latency"]))] + [draw(WORDS) for _ in new_headers[1:]],
            )
        elif action == "row-" and new_rows:
            new_rows.pop(draw(st.integers(0, len(new_rows) - 1)))
        elif action == "col+" and len(new_headers) < 5:
            at = draw(st.integers(1, len(new_headers)))
            new_headers.insert(at, draw(st.sampled_from(["Notes", "Cost", "Added"])))
            for row in new_rows:
                row.insert(at, draw(WORDS))
        elif action == "col-" and len(new_headers) > 1:
            at = draw(st.integers(1, len(new_headers) - 1))
            new_headers.pop(at)
            for row in new_rows:
                row.pop(at)
        elif action == "rename":
            at = draw(st.integers(0, len(new_headers) - 1))
            new_headers[at] = new_headers[at] + " (renamed)"
        elif action == "move" and len(new_rows) > 1:
            new_rows.insert(
                draw(st.integers(0, len(new_rows) - 1)), new_rows.pop(draw(st.integers(0, len(new_rows) - 1)))
            )
        elif action == "swapcol" and len(new_headers) > 2:
            for sequence in (new_headers, *new_rows):
                sequence[1], sequence[2] = sequence[2], sequence[1]
    return headers, rows, new_headers, new_rows


@SETTINGS
@given(tables=table_pairs(), data=st.data())
def test_accepted_rows_columns_and_cells_then_the_remainder_give_the_proposed_table(tables, data):
    headers, rows, new_headers, new_rows = tables
    note(repr(tables))
    changes = table_changes(headers, rows, new_headers, new_rows)
    assert len({change.id for change in changes}) == len(changes)
    accepted = data.draw(st.sets(st.sampled_from([c.id for c in changes])) if changes else st.just(set()))

    published_headers, published_rows = table_applied(headers, rows, new_headers, new_rows, accepted)
    assert all(len(row) == len(published_headers) for row in published_rows)
    remainder = table_changes(published_headers, published_rows, new_headers, new_rows)

    assert table_applied(
        published_headers, published_rows, new_headers, new_rows, {c.id for c in remainder}
    ) == (new_headers, new_rows)
    if len(accepted) == len(changes):
        assert (published_headers, published_rows) == (new_headers, new_rows)
    if not accepted:
        assert (published_headers, published_rows) == (headers, rows)


def test_a_changed_cell_is_one_change_and_accepting_it_changes_that_cell_only():
    headers, rows = (
        ["Property", "Rows", "Columns"],
        [["Read speed", "fast", "slow"], ["Scans", "slow", "fast"]],
    )
    new_rows = [["Read speed", "fast", "quick"], ["Scans", "slower", "fast"], ["Cost", "low", "high"]]

    changes = table_changes(headers, rows, headers, new_rows)

    labels = [change.label for change in changes]
    assert labels == [
        "Row “Cost” added",
        "Cell “Read speed” / “Columns” changed",
        "Cell “Scans” / “Rows” changed",
    ]
    _headers, published = table_applied(headers, rows, headers, new_rows, {changes[1].id})
    assert published == [["Read speed", "fast", "quick"], ["Scans", "slow", "fast"]]


def test_text_hunks_are_the_side_by_side_diffs_runs_of_changed_lines_in_order():
    base = "One.\nTwo.\nThree.\nFour.\nFive.\n"
    proposed = "One!\nTwo.\nThree?\nFour.\nFive.\nSix.\n"

    changes = text_changes(base, proposed)

    assert [change.label for change in changes] == [
        "Change 1: line 1",
        "Change 2: line 3",
        "Change 3: line 6",
    ]
    assert (
        text_applied(base, proposed, {changes[0].id, changes[2].id})
        == "One!\nTwo.\nThree.\nFour.\nFive.\nSix.\n"
    )


@pytest.mark.parametrize("kind", ["chapter", "table"])
def test_a_proposal_counts_its_title_as_a_change_of_its_own(kind):
    if kind == "chapter":
        base, proposed = {"title": "Old", "body": "A.\n"}, {"title": "New", "body": "B.\n"}
    else:
        base = {"title": "Old", "headers": ["K", "V"], "rows": [["a", "1"]]}
        proposed = {"title": "New", "headers": ["K", "V"], "rows": [["a", "2"]]}

    changes = proposal_changes(kind, base, proposed)

    assert [change.label for change in changes][0] == "Title"
    assert len(changes) == 2
    assert proposal_applied(kind, base, proposed, {changes[0].id})["title"] == "New"
    assert proposal_applied(kind, base, proposed, {changes[0].id}) != proposed
    assert proposal_applied(kind, base, proposed, {c.id for c in changes}) == proposed


def test_a_long_hunk_shows_its_first_lines_and_how_many_more_it_holds():
    from notes.lib.limits import MAX_PART_LINES_SHOWN

    old = "".join(f"line {index}\n" for index in range(40))
    new = "".join(f"row {index}\n" for index in range(40))

    [change] = text_changes(old, new)

    assert len(change.lines) == MAX_PART_LINES_SHOWN * 2 + 1
    assert change.lines[-1] == (
        "more",
        f"… and {80 - 2 * MAX_PART_LINES_SHOWN} more lines in this change",
        "",
    )
    assert text_applied(old, new, {change.id}) == new


def test_the_side_by_side_diff_shows_exactly_the_lines_the_hunks_change():
    """What a reviewer ticks is what the diff shows: every changed row of the side-by-side
    diff lies in one hunk, and every hunk's lines are changed rows of it."""
    import re

    from notes.lib.diffs import side_by_side_diff

    old = "\n".join(f"Line {index}." for index in range(30)) + "\n"
    new = (
        old.replace("Line 3.", "Line three.")
        .replace("Line 12.\n", "")
        .replace("Line 20.", "Line 20.\nAdded.")
    )
    changes = text_changes(old, new)
    html = side_by_side_diff(old, new, old_label="a", new_label="b")

    shown_new = {
        int(number) - 1
        for number in re.findall(
            r'<tr class="(?:changed|added)"><td class="number">\d*</td>'
            r'<td class="[a-z]+">.*?</td><td class="number">(\d+)',
            html,
        )
    }
    shown_old = {
        int(number) - 1
        for number in re.findall(r'<tr class="(?:changed|removed)"><td class="number">(\d+)', html)
    }
    assert shown_new == {line for change in changes for line in range(*change.new_range)}
    assert shown_old == {line for change in changes for line in range(*change.old_range)}
    assert len(changes) == 3
