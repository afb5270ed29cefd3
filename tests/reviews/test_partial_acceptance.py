"""Accepting part of a request: the ticked changes publish, the rest stays open for review.

The service is checked for what it publishes (the base plus exactly the ticked changes,
one version marked "3 of 5 changes"), what it leaves (the request open as its next
revision, against the new version, holding the rest), whom it tells, which comments it
settles, and what it refuses (nothing ticked, a stale revision, a kind taken only whole).
"""

import pytest

from notes.models import ChangeRequest, Chapter, ComparisonTable, DiffComment, Notification, Review
from notes.selectors.reviews import proposed_changes
from notes.services.history import chapter_render, save_version
from notes.services.reviews import (
    ReviewError,
    change_request_approve,
    change_request_approve_part,
    change_request_reject_part,
    change_request_revert,
    change_request_revise,
)
from tests.factories import propose_chapter_edit, propose_table_edit

Status = ChangeRequest.Status
BASE = "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n"
PROPOSED = "One!\n\nTwo!\n\nThree!\n\nFour!\n\nFive!\n"


@pytest.fixture
def five_sentence_chapter(chapter):
    chapter.body = BASE
    chapter_render(chapter)
    save_version(chapter, summary="Five sentences")
    return chapter


@pytest.fixture
def request_of_five(editor, five_sentence_chapter):
    return propose_chapter_edit(editor, five_sentence_chapter, PROPOSED, "Five exclamations")


def ids(change_request, *numbers):
    changes = proposed_changes(change_request).changes
    return [changes[number - 1].id for number in numbers]


def test_accepting_three_of_five_hunks_publishes_them_and_keeps_two_open(
    request_of_five, five_sentence_chapter, reviewer, editor
):
    versions = Chapter.history.filter(id=five_sentence_chapter.pk).count()

    outcome = change_request_approve_part(
        change_request=request_of_five, reviewer=reviewer, accepted=ids(request_of_five, 1, 3, 5), revision=1
    )

    assert outcome.published
    assert outcome.message == "Published 3 of 5 changes; the other 2 remain for review."
    five_sentence_chapter.refresh_from_db()
    assert five_sentence_chapter.body == "One!\n\nTwo.\n\nThree!\n\nFour.\n\nFive!\n"
    newest = Chapter.history.filter(id=five_sentence_chapter.pk).order_by("-history_id").first()
    assert Chapter.history.filter(id=five_sentence_chapter.pk).count() == versions + 1
    assert (newest.is_partial, newest.partial_label) == (True, "3 of 5 changes")
    assert newest.change_request_id == request_of_five.pk
    request_of_five.refresh_from_db()
    assert request_of_five.status == Status.SUBMITTED
    assert request_of_five.revision == 2
    assert request_of_five.base_history_id == newest.history_id
    assert request_of_five.body == PROPOSED
    assert [change.label for change in proposed_changes(request_of_five).changes] == [
        "Change 1: line 3",
        "Change 2: line 7",
    ]
    review = Review.objects.get(change_request=request_of_five)
    assert review.verdict == Review.Verdict.APPROVE_PART
    assert (review.changes_proposed, len(review.changes)) == (5, 3)
    told = Notification.objects.get(recipient=editor, change_request=request_of_five)
    assert told.kind == Notification.Kind.PARTLY_PUBLISHED
    assert told.detail == "3 of your 5 changes were published; 2 remain for review."


def test_the_rest_approved_later_gives_the_whole_proposal_and_a_whole_version(
    request_of_five, five_sentence_chapter, reviewer
):
    change_request_approve_part(
        change_request=request_of_five, reviewer=reviewer, accepted=ids(request_of_five, 2), revision=1
    )
    request_of_five.refresh_from_db()

    change_request_approve(change_request=request_of_five, reviewer=reviewer, revision=2)

    five_sentence_chapter.refresh_from_db()
    assert five_sentence_chapter.body == PROPOSED
    last_two = list(Chapter.history.filter(id=five_sentence_chapter.pk).order_by("-history_id")[:2])
    assert [row.partial_label for row in last_two] == ["", "1 of 5 changes"]
    request_of_five.refresh_from_db()
    assert request_of_five.status == Status.APPROVED


def test_accepting_every_hunk_is_a_whole_approval(request_of_five, five_sentence_chapter, reviewer):
    change_request_approve_part(
        change_request=request_of_five,
        reviewer=reviewer,
        accepted=ids(request_of_five, 1, 2, 3, 4, 5),
        revision=1,
    )

    request_of_five.refresh_from_db()
    assert request_of_five.status == Status.APPROVED
    assert Review.objects.get(change_request=request_of_five).verdict == Review.Verdict.APPROVE
    newest = Chapter.history.filter(id=five_sentence_chapter.pk).order_by("-history_id").first()
    assert not newest.is_partial


@pytest.mark.parametrize(
    ("accepted", "message"),
    [
        ([], "Tick at least one change to publish; nothing was published."),
        (["7-nothing"], "Some of the ticked changes are not in this request any more"),
    ],
)
def test_accepting_nothing_or_an_unknown_change_is_refused_and_publishes_nothing(
    request_of_five, five_sentence_chapter, reviewer, accepted, message
):
    versions = Chapter.history.filter(id=five_sentence_chapter.pk).count()

    with pytest.raises(ReviewError, match=message):
        change_request_approve_part(
            change_request=request_of_five, reviewer=reviewer, accepted=accepted, revision=1
        )

    assert Chapter.history.filter(id=five_sentence_chapter.pk).count() == versions
    assert not Review.objects.filter(change_request=request_of_five).exists()


def test_a_hunk_set_ticked_on_an_older_revision_is_refused_as_stale(
    request_of_five, five_sentence_chapter, reviewer, editor
):
    ticked = ids(request_of_five, 1)
    change_request_revise(
        change_request=request_of_five,
        user=editor,
        summary="Five exclamations",
        content={"title": five_sentence_chapter.title, "body": PROPOSED.replace("One!", "One?")},
    )

    with pytest.raises(ReviewError, match="The author revised this request"):
        change_request_approve_part(
            change_request=request_of_five, reviewer=reviewer, accepted=ticked, revision=1
        )
    five_sentence_chapter.refresh_from_db()
    assert five_sentence_chapter.body == BASE


def test_the_author_cannot_accept_part_of_their_own_request(request_of_five, editor):
    with pytest.raises(ReviewError):
        change_request_approve_part(
            change_request=request_of_five, reviewer=editor, accepted=ids(request_of_five, 1), revision=1
        )


def test_a_base_that_moved_on_is_merged_and_the_rest_does_not_undo_it(
    request_of_five, five_sentence_chapter, reviewer
):
    five_sentence_chapter.title = "Renamed meanwhile"
    chapter_render(five_sentence_chapter)
    save_version(five_sentence_chapter, summary="Renamed")

    outcome = change_request_approve_part(
        change_request=request_of_five, reviewer=reviewer, accepted=ids(request_of_five, 1), revision=1
    )

    assert outcome.published and outcome.merged
    five_sentence_chapter.refresh_from_db()
    assert five_sentence_chapter.title == "Renamed meanwhile"
    assert five_sentence_chapter.body == "One!\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n"
    request_of_five.refresh_from_db()
    assert (request_of_five.status, request_of_five.title) == (Status.SUBMITTED, "Renamed meanwhile")
    assert request_of_five.body == PROPOSED
    assert len(proposed_changes(request_of_five).changes) == 4


def test_a_rest_that_conflicts_with_what_was_published_meanwhile_goes_back_to_its_author(
    request_of_five, five_sentence_chapter, reviewer
):
    five_sentence_chapter.body = BASE.replace("Five.", "Five, changed meanwhile.")
    chapter_render(five_sentence_chapter)
    save_version(five_sentence_chapter, summary="Changed five")

    outcome = change_request_approve_part(
        change_request=request_of_five, reviewer=reviewer, accepted=ids(request_of_five, 1), revision=1
    )

    assert outcome.published
    assert outcome.message.endswith("the other 4 conflict with a newer version and went back to the author.")
    five_sentence_chapter.refresh_from_db()
    assert five_sentence_chapter.body == "One!\n\nTwo.\n\nThree.\n\nFour.\n\nFive, changed meanwhile.\n"
    request_of_five.refresh_from_db()
    assert request_of_five.status == Status.CONFLICT
    assert request_of_five.conflicts[0]["field"] == "body"


def test_line_comments_on_accepted_hunks_are_resolved_and_others_stay_open(request_of_five, reviewer):
    on_one = DiffComment.objects.create(
        change_request=request_of_five,
        author=reviewer,
        revision=1,
        anchor={"line": 1, "text": "One!"},
        body="Good",
    )
    on_two = DiffComment.objects.create(
        change_request=request_of_five,
        author=reviewer,
        revision=1,
        anchor={"line": 3, "text": "Two!"},
        body="Hmm",
    )

    change_request_approve_part(
        change_request=request_of_five, reviewer=reviewer, accepted=ids(request_of_five, 1), revision=1
    )

    on_one.refresh_from_db()
    on_two.refresh_from_db()
    assert (on_one.is_resolved, on_two.is_resolved) == (True, False)


def test_rejecting_single_hunks_takes_them_out_with_the_reason(
    request_of_five, five_sentence_chapter, reviewer, editor
):
    change_request_reject_part(
        change_request=request_of_five,
        reviewer=reviewer,
        rejected=ids(request_of_five, 2, 4),
        comment="Two and four were right as they were.",
        revision=1,
    )

    request_of_five.refresh_from_db()
    assert request_of_five.status == Status.SUBMITTED
    assert request_of_five.revision == 2
    assert request_of_five.body == "One!\n\nTwo.\n\nThree!\n\nFour.\n\nFive!\n"
    five_sentence_chapter.refresh_from_db()
    assert five_sentence_chapter.body == BASE
    review = Review.objects.get(change_request=request_of_five)
    assert review.verdict == Review.Verdict.REJECT_PART
    assert review.changes == ["Change 2: line 3", "Change 4: line 7"]
    told = Notification.objects.get(recipient=editor, change_request=request_of_five)
    assert told.kind == Notification.Kind.PART_REJECTED
    assert told.detail == "2 of your 5 changes were taken out: Two and four were right as they were."


@pytest.mark.parametrize(
    ("numbers", "comment", "message"),
    [
        ((1,), "", "Say why in a comment"),
        ((1, 2, 3, 4, 5), "No.", "reject the whole request instead"),
        ((), "No.", "Tick at least one change to reject; nothing was rejected."),
    ],
)
def test_rejecting_hunks_needs_a_reason_and_leaves_one_at_least(
    request_of_five, reviewer, numbers, comment, message
):
    with pytest.raises(ReviewError, match=message):
        change_request_reject_part(
            change_request=request_of_five,
            reviewer=reviewer,
            rejected=ids(request_of_five, *numbers),
            comment=comment,
            revision=1,
        )
    request_of_five.refresh_from_db()
    assert (request_of_five.revision, request_of_five.body) == (1, PROPOSED)


def test_a_table_request_publishes_the_ticked_cell_only(editor, reviewer, chapter):
    table = ComparisonTable.objects.get(chapter=chapter, slug="table-1")
    request = propose_table_edit(editor, table, [["Speed", "faster", "slow"], ["Cost", "low", "higher"]])
    changes = proposed_changes(request).changes
    assert [change.label for change in changes] == [
        "Cell “Speed” / “Left” changed",
        "Cell “Cost” / “Right” changed",
    ]

    change_request_approve_part(
        change_request=request, reviewer=reviewer, accepted=[changes[0].id], revision=1
    )

    table.refresh_from_db()
    assert table.rows == [["Speed", "faster", "slow"], ["Cost", "low", "high"]]
    request.refresh_from_db()
    assert [change.label for change in proposed_changes(request).changes] == ["Cell “Cost” / “Right” changed"]


def test_a_kind_taken_only_whole_is_refused(editor, reviewer, book):
    from notes.services.reviews import change_request_create

    request = change_request_create(
        author=editor,
        book=book,
        kind=ChangeRequest.Kind.BOOK_EDIT,
        summary="Details",
        content={"title": "New", "body": "x", "book_author": "A", "book_domains": "B"},
        submit=True,
    )
    with pytest.raises(ReviewError, match="only chapter and table edits can be taken in part"):
        change_request_approve_part(change_request=request, reviewer=reviewer, accepted=["title"], revision=1)


def test_reverting_a_partial_version_reverts_what_it_published(
    request_of_five, five_sentence_chapter, reviewer
):
    change_request_approve_part(
        change_request=request_of_five, reviewer=reviewer, accepted=ids(request_of_five, 1, 2), revision=1
    )
    before_partial = (
        Chapter.history.filter(id=five_sentence_chapter.pk).order_by("-history_id")[1:2].get().history_id
    )

    _request, outcome = change_request_revert(
        user=reviewer, history_id=before_partial, chapter=five_sentence_chapter
    )

    assert outcome.published
    five_sentence_chapter.refresh_from_db()
    assert five_sentence_chapter.body == BASE


def test_a_request_of_too_many_changes_is_taken_whole(editor, reviewer, chapter):
    from notes.lib.limits import MAX_PART_CHANGES

    many = MAX_PART_CHANGES + 1
    chapter.body = "".join(f"Line {index}.\n\n" for index in range(many))
    chapter_render(chapter)
    save_version(chapter, summary="Many lines")
    request = propose_chapter_edit(editor, chapter, chapter.body.replace(".", "!"), "Every line")

    with pytest.raises(ReviewError, match=f"more than the {MAX_PART_CHANGES} that can be taken one by one"):
        change_request_approve_part(
            change_request=request, reviewer=reviewer, accepted=ids(request, 1), revision=1
        )
