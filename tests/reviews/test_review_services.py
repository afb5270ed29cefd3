"""The review workflow's rules, exercised through the service functions."""

import pytest
from django.test import override_settings

from notes.models import Book, ChangeRequest, Chapter, ComparisonTable, Review
from notes.services.history import chapter_render, save_version
from notes.services.reviews import (
    ReviewError,
    change_request_approve,
    change_request_create,
    change_request_reject,
    change_request_request_changes,
    change_request_revert,
    change_request_revise,
    change_request_submit,
    change_request_withdraw,
    latest_history_id,
)

Status = ChangeRequest.Status
Kind = ChangeRequest.Kind

LONG_BODY = "\n\n".join(f"Paragraph {index}." for index in range(1, 11)) + "\n"


def propose(author, chapter, *, body=None, title=None, summary="Edited the notes", submit=True, base=None):
    return change_request_create(
        author=author,
        book=chapter.book,
        kind=Kind.CHAPTER_EDIT,
        chapter=chapter,
        summary=summary,
        content={"title": title or chapter.title, "body": body if body is not None else chapter.body},
        base_history_id=base,
        submit=submit,
    )


def publish_directly(chapter, body, user=None):
    """Someone else's change landing on the chapter (as another approved request would)."""
    chapter.body = body
    chapter_render(chapter)
    save_version(chapter, summary="Someone else's change", user=user)


@pytest.fixture
def long_chapter(chapter, editor):
    publish_directly(chapter, LONG_BODY, editor)
    return chapter


# --- Writing --------------------------------------------------------------------------------


def test_a_draft_records_the_base_version_and_publishes_nothing(editor, chapter):
    before = Chapter.history.count()
    request = propose(editor, chapter, body="New text", submit=False)
    assert request.status == Status.DRAFT
    assert request.base_history_id == latest_history_id(Chapter, chapter.pk)
    assert Chapter.history.count() == before
    chapter.refresh_from_db()
    assert "New text" not in chapter.body


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("", "A summary is required"),
        ("   ", "A summary is required"),
        ("two\nlines", "single line"),
        ("x" * 201, "the limit is 200"),
    ],
)
def test_a_bad_summary_is_refused_and_nothing_is_written(editor, chapter, summary, message):
    with pytest.raises(ReviewError, match=message):
        propose(editor, chapter, summary=summary)
    assert ChangeRequest.objects.count() == 0


def test_a_body_over_one_megabyte_is_refused(editor, chapter):
    with pytest.raises(ReviewError, match="larger than 1 MB"):
        propose(editor, chapter, body="x" * (1024 * 1024 + 1))
    assert ChangeRequest.objects.count() == 0


def test_a_table_row_of_the_wrong_width_is_refused(editor, chapter):
    table = chapter.tables.get()
    with pytest.raises(ReviewError, match="Row 2 has 2 cells but the table has 3 columns"):
        change_request_create(
            author=editor,
            book=chapter.book,
            kind=Kind.TABLE_EDIT,
            table=table,
            summary="Fixed the table",
            content={"title": "T", "headers": ["A", "B", "C"], "rows": [["1", "2", "3"], ["1", "2"]]},
        )
    assert ChangeRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        (
            Kind.CHAPTER_EDIT,
            {"title": "t" * 201, "body": "x"},
            "The title is 201 characters long; the limit is 200",
        ),
        (Kind.CHAPTER_EDIT, {"title": "T", "body": "a\x00b"}, "The body holds a NUL character"),
        (
            Kind.CHAPTER_NEW,
            {"title": "T", "body": "", "number": 10**12},
            "Chapter numbers run from 1 to 9999",
        ),
        (Kind.TABLE_EDIT, {"title": "T", "headers": ["A"], "rows": [["x\x00y"]]}, "The rows holds a NUL"),
        (Kind.TABLE_EDIT, {"title": "t" * 301, "headers": ["A"], "rows": []}, "the limit is 300"),
        (Kind.BOOK_EDIT, {"title": "T", "body": "", "book_author": "a" * 201}, "author is longer than 200"),
        (Kind.REVERT, {"title": "T", "status": "approved"}, "A revert cannot change status"),
    ],
    ids=[
        "long-chapter-title",
        "nul-body",
        "huge-number",
        "nul-cell",
        "long-table-title",
        "long-author",
        "revert",
    ],
)
def test_input_the_database_cannot_hold_is_refused_with_a_message(editor, chapter, kind, content, message):
    with pytest.raises(ReviewError, match=message):
        change_request_create(
            author=editor,
            book=chapter.book,
            kind=kind,
            chapter=chapter,
            table=chapter.tables.get() if kind == Kind.TABLE_EDIT else None,
            summary="Edited",
            content=content,
        )
    with pytest.raises(ReviewError, match="NUL character"):
        propose(editor, chapter, summary="one\x00line")
    assert ChangeRequest.objects.count() == 0


def test_a_base_version_of_another_page_is_refused(editor, chapter, book):
    other = book.chapters.get(number=2)
    with pytest.raises(ReviewError, match="does not belong"):
        propose(editor, chapter, base=latest_history_id(Chapter, other.pk))


def test_readers_and_moderators_cannot_propose(reader, moderator, chapter):
    for user in (reader, moderator):
        with pytest.raises(ReviewError, match="may not propose"):
            propose(user, chapter)


# --- Approving and publishing ------------------------------------------------------------------


def test_approval_publishes_exactly_one_version_with_summary_author_approver_and_request(
    editor, reviewer, chapter
):
    request = propose(editor, chapter, body="Fresh **notes**.", summary="Added notes on feature stores")
    chapter_rows = Chapter.history.count()
    table_rows = ComparisonTable.history.count()

    outcome = change_request_approve(change_request=request, reviewer=reviewer)

    assert outcome.published and not outcome.merged
    assert Chapter.history.count() == chapter_rows + 1
    assert ComparisonTable.history.count() == table_rows
    row = Chapter.history.filter(id=chapter.pk).latest("history_id")
    assert row.history_change_reason == "Added notes on feature stores"
    assert row.history_user == editor
    assert row.change_request_id == request.pk
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    assert request.approved_by == reviewer
    assert request.published_history_id == row.history_id
    chapter.refresh_from_db()
    assert chapter.body == "Fresh **notes**."
    assert chapter.body_html == "<p>Fresh <strong>notes</strong>.</p>\n"


def test_nobody_approves_their_own_request(reviewer, chapter):
    request = propose(reviewer, chapter, body="Mine")
    with pytest.raises(ReviewError, match="cannot approve your own"):
        change_request_approve(change_request=request, reviewer=reviewer)
    with pytest.raises(ReviewError, match="cannot reject your own"):
        change_request_reject(change_request=request, reviewer=reviewer, comment="no")
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert not request.reviews.exists()


@override_settings(WIKI_ALLOW_SELF_APPROVAL=True)
def test_one_person_teams_may_allow_self_approval(reviewer, chapter):
    request = propose(reviewer, chapter, body="Mine")
    assert change_request_approve(change_request=request, reviewer=reviewer).published


def test_editors_cannot_approve(editor, other_editor, chapter):
    request = propose(other_editor, chapter, body="x")
    with pytest.raises(ReviewError, match="Only reviewers"):
        change_request_approve(change_request=request, reviewer=editor)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REJECTED, Status.WITHDRAWN, Status.APPROVED])
def test_only_submitted_requests_can_be_approved(editor, reviewer, chapter, status):
    request = propose(editor, chapter, body="x")
    ChangeRequest.objects.filter(pk=request.pk).update(status=status)
    before = Chapter.history.count()
    with pytest.raises(ReviewError, match=f"this one is {Status(status).label.lower()}"):
        change_request_approve(change_request=request, reviewer=reviewer)
    assert Chapter.history.count() == before


def test_an_approval_for_an_older_revision_is_refused(editor, reviewer, chapter):
    request = propose(editor, chapter, body="first")
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="More detail")
    change_request_revise(
        change_request=request,
        user=editor,
        summary="Edited",
        content={"title": chapter.title, "body": "second"},
    )
    with pytest.raises(ReviewError, match="now revision 2"):
        change_request_approve(change_request=request, reviewer=reviewer, revision=1)
    assert change_request_approve(change_request=request, reviewer=reviewer, revision=2).published


def test_an_approval_recorded_before_a_revision_no_longer_counts(editor, reviewer, chapter, other_editor):
    request = propose(editor, chapter, body="Line one\n")
    publish_directly(chapter, "Line zero\n", other_editor)
    change_request_approve(change_request=request, reviewer=reviewer)  # conflicts: goes back
    approval = Review.objects.get(change_request=request)
    assert approval.is_current
    change_request_revise(
        change_request=request,
        user=editor,
        summary="Edited",
        content={"title": chapter.title, "body": "Line one\n"},
    )
    approval.refresh_from_db()
    assert not approval.is_current
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


# --- Other verdicts and transitions --------------------------------------------------------------


def test_requesting_changes_needs_a_comment_and_sends_the_request_back(editor, reviewer, chapter):
    request = propose(editor, chapter, body="x")
    with pytest.raises(ReviewError, match="comment"):
        change_request_request_changes(change_request=request, reviewer=reviewer, comment=" ")
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="Cite the chapter")
    request.refresh_from_db()
    assert request.status == Status.CHANGES_REQUESTED
    review = request.reviews.get()
    assert (review.verdict, review.comment, review.revision) == ("request_changes", "Cite the chapter", 1)


def test_rejecting_needs_a_comment_and_publishes_nothing(editor, reviewer, chapter):
    request = propose(editor, chapter, body="x")
    with pytest.raises(ReviewError, match="comment"):
        change_request_reject(change_request=request, reviewer=reviewer, comment="")
    before = Chapter.history.count()
    change_request_reject(change_request=request, reviewer=reviewer, comment="Off topic")
    request.refresh_from_db()
    assert request.status == Status.REJECTED
    assert Chapter.history.count() == before


def test_nobody_revises_someone_elses_request(editor, other_editor, reviewer, chapter):
    request = propose(editor, chapter, body="x")
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="More")
    with pytest.raises(ReviewError, match="Only the author revises"):
        change_request_revise(
            change_request=request, user=other_editor, summary="Hijack", content={"title": "t", "body": "y"}
        )


def test_a_withdrawn_request_cannot_be_revised(editor, chapter):
    request = propose(editor, chapter, body="x")
    change_request_withdraw(change_request=request, user=editor)
    with pytest.raises(ReviewError, match="withdrawn cannot be revised"):
        change_request_revise(
            change_request=request, user=editor, summary="s", content={"title": "t", "body": "y"}
        )
    request.refresh_from_db()
    assert (request.revision, request.body) == (1, "x")


def test_the_author_submits_a_draft_and_may_withdraw_it(editor, other_editor, chapter):
    request = propose(editor, chapter, body="x", submit=False)
    with pytest.raises(ReviewError, match="Only the author submits"):
        change_request_submit(change_request=request, user=other_editor)
    request = change_request_submit(change_request=request, user=editor)
    assert request.status == Status.SUBMITTED
    with pytest.raises(ReviewError, match="cannot be submitted"):
        change_request_submit(change_request=request, user=editor)
    with pytest.raises(ReviewError, match="Only the author withdraws"):
        change_request_withdraw(change_request=request, user=other_editor)
    request = change_request_withdraw(change_request=request, user=editor)
    assert request.status == Status.WITHDRAWN
    with pytest.raises(ReviewError, match="withdrawn cannot be withdrawn"):
        change_request_withdraw(change_request=request, user=editor)


# --- Stale base: merge or send back ------------------------------------------------------------------


def test_a_stale_request_is_merged_cleanly_and_says_so(editor, other_editor, reviewer, long_chapter):
    chapter = long_chapter
    request = propose(editor, chapter, body=LONG_BODY.replace("Paragraph 9.", "Paragraph nine, revised."))
    publish_directly(chapter, LONG_BODY.replace("Paragraph 2.", "Paragraph two, meanwhile."), other_editor)
    before = Chapter.history.count()

    outcome = change_request_approve(change_request=request, reviewer=reviewer)

    assert outcome.published and outcome.merged
    assert "merged" in outcome.message
    chapter.refresh_from_db()
    assert "Paragraph two, meanwhile." in chapter.body
    assert "Paragraph nine, revised." in chapter.body
    assert "Paragraph nine, revised." in chapter.body_html
    assert Chapter.history.count() == before + 1
    request.refresh_from_db()
    assert "merged" in request.merge_note


def test_a_conflicting_request_goes_back_to_its_author_and_nothing_is_published(
    editor, other_editor, reviewer, long_chapter
):
    chapter = long_chapter
    request = propose(editor, chapter, body=LONG_BODY.replace("Paragraph 5.", "Paragraph five (editor)."))
    publish_directly(
        chapter, LONG_BODY.replace("Paragraph 5.", "Paragraph five (someone else)."), other_editor
    )
    before = Chapter.history.count()

    outcome = change_request_approve(change_request=request, reviewer=reviewer)

    assert not outcome.published
    assert Chapter.history.count() == before
    chapter.refresh_from_db()
    assert "Paragraph five (someone else)." in chapter.body
    request.refresh_from_db()
    assert request.status == Status.CONFLICT
    [conflict] = request.conflicts
    assert conflict["field"] == "body"
    assert conflict["chunks"] == [
        {
            "base": "Paragraph 5.\n",
            "current": "Paragraph five (someone else).\n",
            "proposed": "Paragraph five (editor).\n",
        }
    ]
    assert "<<<<<<< current" in conflict["merged"]

    # Resubmitting with the markers still in is refused; resolving them works.
    with pytest.raises(ReviewError, match="conflict markers"):
        change_request_revise(
            change_request=request,
            user=editor,
            summary="Edited",
            content={"title": chapter.title, "body": conflict["merged"]},
        )
    change_request_revise(
        change_request=request,
        user=editor,
        summary="Edited",
        content={"title": chapter.title, "body": chapter.body.replace("(someone else)", "(both)")},
    )
    assert change_request_approve(change_request=request, reviewer=reviewer).published
    chapter.refresh_from_db()
    assert "Paragraph five (both)." in chapter.body


def test_a_title_changed_on_both_sides_conflicts(editor, other_editor, reviewer, chapter):
    request = propose(editor, chapter, title="Editor's title")
    chapter.title = "Someone else's title"
    save_version(chapter, summary="Retitled", user=other_editor)
    outcome = change_request_approve(change_request=request, reviewer=reviewer)
    assert not outcome.published
    request.refresh_from_db()
    assert request.conflicts[0]["field"] == "title"


# --- Tables, new things, book details -----------------------------------------------------------------


def table_request(author, table, *, headers=None, rows=None, title=None, base=None):
    return change_request_create(
        author=author,
        book=table.chapter.book,
        kind=Kind.TABLE_EDIT,
        table=table,
        summary="Edited the table",
        content={
            "title": title or table.title,
            "headers": headers or table.headers,
            "rows": rows or table.rows,
        },
        base_history_id=base,
        submit=True,
    )


def test_a_table_edit_publishes_a_table_version_and_refreshes_the_chapter_html(editor, reviewer, chapter):
    table = chapter.tables.get()
    chapter_rows = Chapter.history.count()
    request = table_request(
        editor, table, rows=[["Speed", "very fast", "slow"], ["Cost", "low", "high"], ["Size", "s", "m"]]
    )
    assert change_request_approve(change_request=request, reviewer=reviewer).published
    table.refresh_from_db()
    chapter.refresh_from_db()
    assert table.rows[0][1] == "very fast" and len(table.rows) == 3
    assert "very fast" in table.html
    assert "very fast" in chapter.body_html
    assert Chapter.history.count() == chapter_rows
    assert ComparisonTable.history.filter(id=table.pk).latest("history_id").change_request_id == request.pk


def test_table_edits_to_different_cells_merge_cell_by_cell(editor, other_editor, reviewer, chapter):
    table = chapter.tables.get()
    first = table_request(editor, table, rows=[["Speed", "FAST", "slow"], ["Cost", "low", "high"]])
    second = table_request(other_editor, table, rows=[["Speed", "fast", "slow"], ["Cost", "low", "HIGH"]])
    assert change_request_approve(change_request=first, reviewer=reviewer).published
    outcome = change_request_approve(change_request=second, reviewer=reviewer)
    assert outcome.published and outcome.merged
    table.refresh_from_db()
    assert table.rows == [["Speed", "FAST", "slow"], ["Cost", "low", "HIGH"]]


def test_table_edits_to_the_same_cell_conflict(editor, other_editor, reviewer, chapter):
    table = chapter.tables.get()
    first = table_request(editor, table, rows=[["Speed", "FAST", "slow"], ["Cost", "low", "high"]])
    second = table_request(other_editor, table, rows=[["Speed", "quick", "slow"], ["Cost", "low", "high"]])
    change_request_approve(change_request=first, reviewer=reviewer)
    assert not change_request_approve(change_request=second, reviewer=reviewer).published
    second.refresh_from_db()
    assert second.conflicts == [
        {"field": "row 1, column 2", "base": "fast", "current": "FAST", "proposed": "quick"}
    ]


def test_a_new_chapter_is_published_on_approval(editor, reviewer, book):
    request = change_request_create(
        author=editor,
        book=book,
        kind=Kind.CHAPTER_NEW,
        summary="Added notes for Chapter 4",
        content={"number": 4, "title": "Deployment", "body": "# Deploy"},
        submit=True,
    )
    assert request.base_history_id is None
    change_request_approve(change_request=request, reviewer=reviewer)
    chapter = book.chapters.get(number=4)
    assert chapter.body_html.startswith('<h1 id="deploy">')
    request.refresh_from_db()
    assert request.chapter == chapter


def test_a_new_chapter_with_a_taken_number_is_refused(editor, book):
    with pytest.raises(ReviewError, match="Chapter 2 already exists"):
        change_request_create(
            author=editor,
            book=book,
            kind=Kind.CHAPTER_NEW,
            summary="Dup",
            content={"number": 2, "title": "x", "body": ""},
        )


def test_a_new_table_is_published_and_its_placeholder_renders(editor, reviewer, chapter):
    request = change_request_create(
        author=editor,
        book=chapter.book,
        kind=Kind.TABLE_NEW,
        chapter=chapter,
        summary="Added a table",
        content={"slug": "new-one", "title": "New", "headers": ["A", "B"], "rows": [["1", "2"]]},
        submit=True,
    )
    change_request_approve(change_request=request, reviewer=reviewer)
    table = chapter.tables.get(slug="new-one")
    assert table.position == 1
    assert "<td>2</td>" in table.html


def test_book_details_are_published_on_approval(editor, reviewer, book):
    request = change_request_create(
        author=editor,
        book=book,
        kind=Kind.BOOK_EDIT,
        summary="Fixed the author",
        content={
            "title": book.title,
            "body": "New *summary*",
            "book_author": "Chip Huyen",
            "book_domains": "ML",
        },
        submit=True,
    )
    change_request_approve(change_request=request, reviewer=reviewer)
    book = Book.objects.get(pk=book.pk)
    assert (book.author, book.domains) == ("Chip Huyen", "ML")
    assert book.summary_html == "<p>New <em>summary</em></p>\n"
    assert Book.history.filter(id=book.pk).latest("history_id").history_change_reason == "Fixed the author"


# --- Reverting ------------------------------------------------------------------------------------------


def test_a_reviewer_reverts_directly_by_publishing_the_old_version_again(
    editor, reviewer, other_reviewer, chapter
):
    original = chapter.body
    first = Chapter.history.filter(id=chapter.pk).earliest("history_id")
    change_request_approve(change_request=propose(editor, chapter, body="Vandalised"), reviewer=reviewer)
    count = Chapter.history.filter(id=chapter.pk).count()

    request, outcome = change_request_revert(
        user=other_reviewer, chapter=chapter, history_id=first.history_id
    )

    assert outcome.published
    chapter.refresh_from_db()
    assert chapter.body == original
    rows = Chapter.history.filter(id=chapter.pk)
    assert rows.count() == count + 1
    assert rows.latest("history_id").history_change_reason == "Reverted to version 1"
    assert rows.filter(body="Vandalised").exists()  # nothing removed from history
    assert request.approved_by == other_reviewer


def test_an_editors_revert_waits_for_review(editor, chapter):
    first = Chapter.history.filter(id=chapter.pk).earliest("history_id")
    publish_directly(chapter, "Later")
    request, outcome = change_request_revert(user=editor, chapter=chapter, history_id=first.history_id)
    assert outcome is None
    assert request.status == Status.SUBMITTED
    assert request.summary == "Reverted to version 1"
    chapter.refresh_from_db()
    assert chapter.body == "Later"


def test_reverting_to_a_version_of_another_chapter_is_refused(reviewer, book):
    one, two = book.chapters.get(number=1), book.chapters.get(number=2)
    with pytest.raises(ReviewError, match="does not belong"):
        change_request_revert(
            user=reviewer, chapter=one, history_id=Chapter.history.filter(id=two.pk).first().history_id
        )
    assert not ChangeRequest.objects.exists()


# --- Revising never loses what was published meanwhile ---------------------------------------------


def test_a_revision_after_changes_requested_still_merges_what_was_published_meanwhile(
    editor, other_editor, reviewer, long_chapter
):
    chapter = long_chapter
    request = propose(editor, chapter, body=LONG_BODY.replace("Paragraph 3.", "Paragraph 3 (editor)."))
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="Say more")
    publish_directly(chapter, LONG_BODY.replace("Paragraph 8.", "Paragraph 8 (someone else)."), other_editor)
    change_request_revise(
        change_request=request,
        user=editor,
        summary="Edited the notes",
        content={"title": chapter.title, "body": LONG_BODY.replace("Paragraph 3.", "Paragraph 3 (more).")},
    )
    outcome = change_request_approve(change_request=request, reviewer=reviewer)
    assert outcome.published and outcome.merged
    chapter.refresh_from_db()
    assert "Paragraph 3 (more)." in chapter.body
    assert "Paragraph 8 (someone else)." in chapter.body


def test_after_a_conflict_the_author_resolves_from_the_merge_and_keeps_the_other_changes(
    client_for, editor, other_editor, reviewer, chapter
):
    table = chapter.tables.get()
    mine = table_request(editor, table, rows=[["Speed", "fast", "SLOW-MINE"], ["Cost", "low-mine", "high"]])
    theirs = table_request(
        other_editor,
        table,
        title="Their title",
        rows=[["Speed", "fast", "slow-theirs"], ["Cost", "low", "HIGH-THEIRS"]],
    )
    assert change_request_approve(change_request=theirs, reviewer=reviewer).published
    assert not change_request_approve(change_request=mine, reviewer=reviewer).published
    mine.refresh_from_db()
    assert mine.resolution["content"]["title"] == "Their title"
    resolving = [["Speed", "fast", "SLOW-MINE"], ["Cost", "low-mine", "HIGH-THEIRS"]]
    assert mine.resolution["content"]["rows"] == resolving

    # The revise page starts from the merge, not from the stale proposal.
    page = client_for(editor).get(f"/reviews/{mine.pk}/revise/").content.decode()
    assert (
        '<textarea name="cell-1-2" rows="2" aria-label="Row 2, column 3" data-grow>HIGH-THEIRS</textarea>'
        in page
    )
    assert 'value="Their title"' in page

    change_request_revise(
        change_request=mine,
        user=editor,
        summary="Edited the table",
        content={"title": "Their title", "headers": table.headers, "rows": resolving},
    )
    assert change_request_approve(change_request=mine, reviewer=reviewer).published
    table.refresh_from_db()
    assert (table.title, table.rows) == ("Their title", resolving)
