"""What a reviewer reads: word-by-word and side-by-side diffs that show the change, fold
what did not change, and escape everything."""

import re

from notes.lib.diffs import inline_word_diff, paired_by_similarity, side_by_side_diff
from notes.lib.markup import render_markdown
from notes.lib.rendered_diffs import MAX_RENDERED_CHARACTERS, rendered_diff


def lines(count: int, changed: dict[int, str] | None = None) -> str:
    changed = changed or {}
    return "".join(
        changed.get(number, f"Line {number} of the notes.") + "\n" for number in range(1, count + 1)
    )


def folds(html: str) -> list[str]:
    return re.findall(r"<summary>(.*?)</summary>", html)


def test_a_one_word_edit_of_a_long_text_shows_the_change_with_context_and_folds_the_rest():
    html = inline_word_diff(lines(40), lines(40, {20: "Line twenty of the notes."}))
    assert "Line <del>20</del><ins>twenty</ins> of the notes." in html
    assert folds(html) == ["17 unchanged lines", "18 unchanged lines"]
    opened = re.sub(r"<details.*?</details>", "", html, flags=re.DOTALL)
    assert "Line 18 of the notes.\nLine 19 of the notes.\nLine <del>" in opened  # two lines before
    assert "of the notes.\nLine 21 of the notes.\nLine 22 of the notes.\n" in opened  # two after
    assert "Line 17 of" not in opened and "Line 23 of" not in opened
    # Folded, not lost: every line is still in the page, to open.
    for number in range(1, 41):
        assert f"Line {number} of" in html or number == 20


def test_changes_close_together_are_not_folded_apart():
    html = inline_word_diff(lines(12), lines(12, {5: "Five.", 8: "Eight."}))
    assert folds(html) == []  # two lines at each end: not worth a fold
    assert "Line 6 of the notes.\nLine 7 of the notes." in html
    assert html.startswith("Line 1 of the notes.") and html.endswith("Line 12 of the notes.\n")


def test_a_short_text_is_shown_whole():
    html = inline_word_diff("One.\nTwo.\nThree.\n", "One.\nTwo!\nThree.\n")
    assert folds(html) == []
    assert html == "One.\n<del>Two.</del><ins>Two!</ins>\nThree.\n"


def test_side_by_side_marks_changed_words_and_counts_the_skipped_lines():
    html = side_by_side_diff(
        lines(40),
        lines(40, {20: "Line twenty of the notes.", 39: "Line 39 of the notes.\nAn added line."}),
        old_label="Version 1",
        new_label="Proposed",
    )
    rows = re.findall(r"<tr class=\"(\w+)\">(.*?)</tr>", html)
    assert [state for state, _ in rows] == [
        "skipped",
        *["same"] * 2,
        "changed",
        *["same"] * 2,
        "skipped",
        *["same"] * 2,
        "added",
        "same",
    ]
    assert rows[0][1] == '<td colspan="4">⋯ 17 unchanged lines</td>'
    assert rows[6][1] == '<td colspan="4">⋯ 15 unchanged lines</td>'
    changed = rows[3][1]
    assert '<td class="removed">Line <del>20</del> of the notes.</td>' in changed
    assert '<td class="added">Line <ins>twenty</ins> of the notes.</td>' in changed
    # The added line has no old side; the line after it is numbered 40 on the left, 41 on the right.
    assert (
        '<td class="empty"></td><td class="number">40</td><td class="added">An added line.</td>' in rows[9][1]
    )
    assert '<td class="number">40</td>' in rows[10][1] and '<td class="number">41</td>' in rows[10][1]
    assert '<th colspan="2" scope="col">Version 1</th>' in html


def test_side_by_side_of_removed_lines_and_of_the_same_text():
    removed = side_by_side_diff("a\nb\nc\n", "a\nc\n", old_label="old", new_label="new")
    assert '<tr class="removed"><td class="number">2</td><td class="removed">b</td>' in removed
    same = side_by_side_diff("a\nb\n", "a\nb\n", old_label="old", new_label="new")
    assert "The text is the same." in same


def test_both_diffs_escape_the_text_and_the_labels():
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
    for html in (
        inline_word_diff(lines(20), lines(20, {10: hostile})),
        side_by_side_diff(lines(20), lines(20, {10: hostile}), old_label="<b>old</b>", new_label="new"),
    ):
        assert "<script" not in html and "<img" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Side by side pairs lines by likeness; the rendered diff --------------------------------------


def test_a_changed_heading_pairs_with_its_new_wording_not_with_an_added_line():
    old = ["## Row-wise storage", "Fast reads."]
    new = ["An added opening paragraph.", "## Row-wise versus column-wise storage", "Fast reads!"]
    assert paired_by_similarity(old, new) == [(None, 0), (0, 1), (1, 2)]


def test_lines_alike_in_nothing_are_shown_unpaired():
    assert paired_by_similarity(["alpha beta"], ["zzz qqq"]) == [(0, None), (None, 0)]


def test_the_side_by_side_view_shows_the_changed_heading_on_one_row():
    html = side_by_side_diff(
        "## Row-wise storage\nFast reads.\n",
        "An added opening paragraph.\n## Row-wise versus column-wise storage\nFast reads.\n",
        old_label="Old",
        new_label="New",
    )
    heading_row = next(row for row in html.split("<tr") if "Row-wise storage" in row)
    assert 'class="changed"' in heading_row and "versus" in heading_row
    added_row = next(row for row in html.split("<tr") if "added opening" in row)
    assert 'class="added"' in added_row


def test_the_rendered_diff_marks_words_blocks_and_table_cells():
    old = render_markdown("## Storage\n\nKept.\n\n| a | b |\n|---|---|\n| x | y |\n\nGone.\n", {})
    new = render_markdown("New opening.\n\n## Storage\n\nKept.\n\n| a | b |\n|---|---|\n| x | z |\n", {})
    html = rendered_diff(old, new)
    assert "<ins><p>New opening.</p></ins>" in html
    assert "<del><p>Gone.</p></del>" in html
    assert "<td>x</td>" in html  # the unchanged cell stands as it was
    assert "<td><ins>z</ins> <del>y</del></td>" in html  # only the changed cell is marked


def test_the_rendered_diff_is_sanitized():
    html = rendered_diff("<p>a</p>", '<p onclick="x()">a <script>alert(1)</script>b</p>')
    assert "onclick" not in html and "<script" not in html


def test_an_over_long_text_gets_a_notice_instead_of_a_rendered_diff():
    assert "too long for a rendered diff" in rendered_diff(
        "", "<p>x</p>" * (MAX_RENDERED_CHARACTERS // 8 + 1)
    )


def test_pairing_long_paragraphs_takes_linear_time():
    """One paragraph of 60 KB each side, every word changed: ratio() alone would take minutes."""
    import time

    from notes.lib.diffs import paired_by_similarity
    from notes.lib.rendered_diffs import rendered_diff

    old = ["".join(f"line {number} " for number in range(8_000))]
    new = [old[0].replace("line", "lane")]
    started = time.perf_counter()
    assert paired_by_similarity(old, new) == [(0, 0)]
    html = rendered_diff(f"<p>{old[0]}</p>", f"<p>{new[0]}</p>")
    assert "lane 7999" in html
    assert time.perf_counter() - started < 20
