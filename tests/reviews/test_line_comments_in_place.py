"""A comment on a line stands under that line in the side-by-side diff, as a comment on a
cell stands in its cell: found again after a revision moved the line, gone from the diff
(but kept in the list, marked outdated) once the line changed."""

import pytest

from notes.lib.diff_anchors import line_now, side_by_side_with_notes
from notes.lib.diffs import side_by_side_diff
from notes.models import DiffComment
from notes.services.reviews import change_request_request_changes, change_request_revise
from tests.factories import propose_chapter_edit

pytestmark = pytest.mark.django_db

OLD = "".join(f"Line {n}\n" for n in range(1, 11))
NEW = OLD.replace("Line 5\n", "Line five\n").replace("Line 8\n", "")


def _rows(html: str) -> list[str]:
    return html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]


def test_notes_go_in_a_row_right_under_their_new_line_only():
    html = side_by_side_diff(OLD, NEW, old_label="Published", new_label="Proposed")
    placed = side_by_side_with_notes(html, {5: "<p>on five</p>", 8: "<p>on the new line 8</p>"})
    rows = _rows(placed)
    [five] = [index for index, row in enumerate(rows) if "Line <ins>five</ins>" in row]
    assert rows[five + 1].startswith('<tr class="line-notes">') and "on five" in rows[five + 1]
    # New line 8 is "Line 9" (old line 8 was removed): the note follows the new numbering.
    [nine] = [
        index for index, row in enumerate(rows) if '<td class="number">8</td><td class="same">Line 9' in row
    ]
    assert "on the new line 8" in rows[nine + 1]
    # The removed line has no new number: nothing is placed under it.
    [removed] = [index for index, row in enumerate(rows) if "Line 8</td>" in row]
    assert "line-notes" not in rows[removed + 1]
    assert side_by_side_with_notes(html, {}) == html


def test_a_commented_line_is_found_again_where_it_moved_and_lost_once_it_changed():
    anchor = {"line": 2, "text": "Second"}
    assert line_now(anchor, "First\nSecond\nThird") == 2
    assert line_now(anchor, "New\nNewer\nFirst\nSecond\nThird") == 4
    assert line_now(anchor, "First\nSecond, edited\nThird") is None
    assert line_now({"row": "Speed", "column": "Left", "text": "x"}, "Speed") is None


def _line_comment(client_for, request, reviewer, text: str, body: str) -> DiffComment:
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    options = page.split('id="comment-anchor"')[1].split("</select>")[0]
    value = next(
        part.split('"')[0]
        for part in options.split('<option value="')[1:]
        if ">Line" in part and text in part
    )
    client_for(reviewer).post(f"/reviews/{request.pk}/comments/", {"anchor": value, "body": body})
    return DiffComment.objects.latest("pk")


def _side_by_side(client_for, user, request) -> str:
    page = client_for(user).get(f"/reviews/{request.pk}/").content.decode()
    return page.split('class="diff side-by-side-diff"')[1].split("</table>")[0]


def test_the_request_page_shows_a_line_comment_under_its_line_escaped(client_for, chapter, editor, reviewer):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nA new line.")
    comment = _line_comment(client_for, request, reviewer, "A new line.", "Why <b>this</b>?")
    table = _side_by_side(client_for, editor, request)
    before, after = table.split('<tr class="line-notes">')
    assert before.endswith('<td class="added">A new line.</td></tr>')
    assert (
        f'<a href="#diff-comment-{comment.pk}">Comment by reviewer</a>: Why &lt;b&gt;this&lt;/b&gt;?' in after
    )


def test_after_a_revision_the_comment_follows_its_line_or_leaves_the_diff_when_it_changed(
    client_for, chapter, editor, reviewer
):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nA new line.\nAnother.")
    _line_comment(client_for, request, reviewer, "Another.", "Keep this one?")
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="See the line.")
    change_request_revise(
        change_request=request,
        user=editor,
        summary=request.summary,
        content={
            "title": chapter.title,
            "body": "An opening line.\n" + chapter.body + "\nA new line.\nAnother.",
        },
    )
    table = _side_by_side(client_for, reviewer, request)
    assert "Keep this one?" in table.split("Another.</td></tr>")[1]  # under it, at its new number
    change_request_revise(
        change_request=request,
        user=editor,
        summary=request.summary,
        content={"title": chapter.title, "body": chapter.body + "\nA new line.\nAnother, reworded."},
    )
    assert "line-notes" not in _side_by_side(client_for, reviewer, request)
