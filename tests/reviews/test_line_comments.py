"""Comments on a line or a cell of a request's diff: shown in place, answered, resolved, and
marked outdated after the author revises what they pointed at."""

import pytest

from notes.lib.diff_anchors import cell_anchors, is_outdated, line_anchors
from notes.models import DiffComment
from notes.services.review_comments import DiffCommentError, diff_comment_post
from notes.services.reviews import change_request_request_changes, change_request_revise
from tests.factories import propose_chapter_edit, propose_table_edit

pytestmark = pytest.mark.django_db


def test_the_lines_offered_are_the_changed_ones_and_a_neighbour_each_side():
    old = "".join(f"Line {n}\n" for n in range(1, 11))
    new = old.replace("Line 5\n", "Line five\n")
    assert [anchor.value for anchor in line_anchors(old, new)] == ["line:4", "line:5", "line:6"]
    assert line_anchors(old, new)[1].label == "Line 5: Line five"


def test_a_line_comment_is_outdated_only_when_its_line_changed():
    anchor = {"line": 2, "text": "Second line"}
    assert not is_outdated(anchor, body="First\nSecond line\nThird")
    assert not is_outdated(anchor, body="New first\nFirst\nSecond line\nThird")  # moved down, same text
    assert is_outdated(anchor, body="First\nSecond line, edited\nThird")


def test_a_cell_comment_follows_its_row_and_column_and_is_outdated_when_the_cell_changed():
    [anchor] = [
        a.data for a in cell_anchors(["Aspect", "Left"], [["Speed", "fast"]]) if a.value == "cell:0:1"
    ]
    assert anchor == {"row": "Speed", "column": "Left", "text": "fast"}
    moved = {"headers": ["Aspect", "Middle", "Left"], "rows": [["Cost", "x", "low"], ["Speed", "y", "fast"]]}
    assert not is_outdated(anchor, **moved)
    assert is_outdated(anchor, headers=["Aspect", "Left"], rows=[["Speed", "faster"]])
    assert is_outdated(anchor, headers=["Aspect", "Right"], rows=[["Speed", "fast"]])


def _table_request(chapter, editor):
    table = chapter.tables.get()
    return table, propose_table_edit(editor, table, [["Speed", "faster", "slow"], ["Cost", "low", "high"]])


def test_a_reviewer_comments_on_a_cell_and_it_shows_in_the_cell_and_in_the_list(
    client_for, chapter, editor, reviewer
):
    _table, request = _table_request(chapter, editor)
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert '<option value="cell:0:1">Row “Speed”, column “Left”: faster</option>' in page
    response = client_for(reviewer).post(
        f"/reviews/{request.pk}/comments/", {"anchor": "cell:0:1", "body": "Measured how?"}, follow=True
    )
    page = response.content.decode()
    comment = DiffComment.objects.get()
    assert (comment.revision, comment.anchor["row"], comment.anchor["column"]) == (1, "Speed", "Left")
    assert f'href="#diff-comment-{comment.pk}">comment by reviewer</a>' in page
    assert "Measured how?" in page and "outdated" not in page.split('id="line-comments"')[1].split("<form")[0]


def test_after_the_author_revises_the_cell_the_comment_is_marked_outdated(
    client_for, chapter, editor, reviewer
):
    table, request = _table_request(chapter, editor)
    client_for(reviewer).post(
        f"/reviews/{request.pk}/comments/", {"anchor": "cell:0:1", "body": "Measured how?"}
    )
    client_for(reviewer).post(f"/reviews/{request.pk}/comments/", {"anchor": "cell:1:2", "body": "Fine."})
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="See my comments.")
    change_request_revise(
        change_request=request,
        user=editor,
        summary=request.summary,
        content={
            "title": table.title,
            "headers": table.headers,
            "rows": [["Speed", "2x", "slow"], ["Cost", "low", "high"]],
        },
    )
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    outdated, fine = DiffComment.objects.order_by("id")
    section = page.split('id="line-comments"')[1]
    assert f'class="diff-comment outdated" id="diff-comment-{outdated.pk}"' in section
    assert f'class="diff-comment" id="diff-comment-{fine.pk}"' in section
    # The outdated one is no longer placed in a cell; the other still is.
    assert f'href="#diff-comment-{outdated.pk}"' not in page.split('id="line-comments"')[0]
    assert f'href="#diff-comment-{fine.pk}"' in page.split('id="line-comments"')[0]


def test_a_line_comment_is_answered_by_the_author_and_resolved(client_for, chapter, editor, reviewer):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nA new line.")
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert "A new line." in page.split('id="comment-anchor"')[1].split("</select>")[0]
    line = [
        a for a in line_anchors(chapter.body, chapter.body + "\nA new line.") if "A new line." in a.label
    ][0]
    client_for(reviewer).post(f"/reviews/{request.pk}/comments/", {"anchor": line.value, "body": "Why?"})
    comment = DiffComment.objects.get()
    client_for(editor).post(f"/reviews/{request.pk}/comments/", {"parent": comment.pk, "body": "Because."})
    assert comment.replies.get().author == editor
    client_for(editor).post(f"/reviews/{request.pk}/comments/{comment.pk}/resolve/", {"resolved": "1"})
    comment.refresh_from_db()
    assert comment.is_resolved
    page = client_for(reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert "Because." in page and ">Open again</button>" in page


def test_bad_comments_are_refused_with_a_message_and_nothing_is_saved(
    client_for, chapter, editor, reviewer, reader, other_editor
):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nA new line.")
    response = client_for(reviewer).post(
        f"/reviews/{request.pk}/comments/", {"anchor": "line:9999", "body": "Where?"}, follow=True
    )
    assert "Choose the line or cell the comment is about." in response.content.decode()
    with pytest.raises(DiffCommentError, match="Write the comment first"):
        diff_comment_post(change_request=request, author=reviewer, body="  ", anchor={"line": 1, "text": "x"})
    with pytest.raises(DiffCommentError, match="Only reviewers and the author"):
        diff_comment_post(
            change_request=request, author=other_editor, body="Hi", anchor={"line": 1, "text": "x"}
        )
    assert (
        client_for(reader)
        .post(f"/reviews/{request.pk}/comments/", {"anchor": "line:1", "body": "x"})
        .status_code
        == 403
    )
    assert not DiffComment.objects.exists()
