"""Approvals racing, with real threads on a real PostgreSQL database.

Two requests on one chapter, twenty on one chapter, two reviewers on one request, two new
chapters with one number and two edits of one comparison table: each race must end with
every published change in the history, nothing overwritten, and a clear refusal or a
conflict for the loser, never a database error. SQLite serializes every write, so the
races these tests provoke cannot happen there.
"""

import pytest

from notes.models import ChangeRequest, Chapter, ComparisonTable
from notes.services.history import chapter_render, save_version
from notes.services.reviews import PublishOutcome, ReviewError, change_request_approve, change_request_create
from tests.concurrency import ON_POSTGRESQL_WITH_TRANSACTIONS, run_at_once
from tests.factories import paragraphs
from tests.factories import propose_chapter_edit as propose

Status = ChangeRequest.Status

pytestmark = ON_POSTGRESQL_WITH_TRANSACTIONS


def approving(request, reviewer):
    return lambda: change_request_approve(change_request=request, reviewer=reviewer)


def approve_all_at_once(pairs):
    """Approve each (request, reviewer) at the same moment; every approval must run without error."""
    results = run_at_once([approving(request, reviewer) for request, reviewer in pairs])
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    return {request.pk: outcome for (request, _), outcome in zip(pairs, results, strict=True)}


@pytest.fixture
def twenty_paragraph_chapter(chapter):
    chapter.body = paragraphs(20)
    chapter_render(chapter)
    save_version(chapter, summary="Twenty paragraphs")
    return chapter


def test_two_reviewers_approving_conflicting_requests_at_once_publish_one_and_return_the_other(
    editor, other_editor, reviewer, other_reviewer, twenty_paragraph_chapter
):
    first = propose(
        editor, twenty_paragraph_chapter, paragraphs(20, {3: "Three, by editor."}), "Editor's change"
    )
    second = propose(
        other_editor, twenty_paragraph_chapter, paragraphs(20, {3: "Three, by other."}), "Other's change"
    )
    versions = Chapter.history.filter(id=twenty_paragraph_chapter.pk).count()

    outcomes = approve_all_at_once([(first, reviewer), (second, other_reviewer)])

    assert sorted(outcome.published for outcome in outcomes.values()) == [False, True]
    assert Chapter.history.filter(id=twenty_paragraph_chapter.pk).count() == versions + 1
    [winner] = [pk for pk, outcome in outcomes.items() if outcome.published]
    loser = second.pk if winner == first.pk else first.pk
    twenty_paragraph_chapter.refresh_from_db()
    assert twenty_paragraph_chapter.body == ChangeRequest.objects.get(pk=winner).body
    assert ChangeRequest.objects.get(pk=loser).status == ChangeRequest.Status.CONFLICT
    assert ChangeRequest.objects.get(pk=loser).conflicts[0]["field"] == "body"


def test_twenty_approvals_against_one_chapter_all_land_in_history_and_none_is_overwritten(
    editor, reviewer, other_reviewer, twenty_paragraph_chapter
):
    requests = [
        propose(
            editor,
            twenty_paragraph_chapter,
            paragraphs(20, {index: f"Paragraph {index}, revised."}),
            f"Change {index}",
        )
        for index in range(20)
    ]
    versions = Chapter.history.filter(id=twenty_paragraph_chapter.pk).count()

    outcomes = approve_all_at_once(
        [(request, reviewer if index % 2 else other_reviewer) for index, request in enumerate(requests)]
    )

    assert all(outcome.published for outcome in outcomes.values()), outcomes
    rows = Chapter.history.filter(id=twenty_paragraph_chapter.pk)
    assert rows.count() == versions + 20
    assert set(rows.exclude(change_request=None).values_list("change_request_id", flat=True)) == {
        request.pk for request in requests
    }
    twenty_paragraph_chapter.refresh_from_db()
    assert twenty_paragraph_chapter.body == paragraphs(
        20, {index: f"Paragraph {index}, revised." for index in range(20)}
    )
    for index in range(20):
        assert f"Paragraph {index}, revised." in twenty_paragraph_chapter.body_html


def test_two_reviewers_approving_the_same_request_at_once_publish_it_once_and_refuse_the_other(
    editor, reviewer, other_reviewer, twenty_paragraph_chapter
):
    request = propose(editor, twenty_paragraph_chapter, paragraphs(20, {5: "Five, revised."}), "Revised five")
    versions = Chapter.history.filter(id=twenty_paragraph_chapter.pk).count()

    results = run_at_once([approving(request, reviewer), approving(request, other_reviewer)])

    published = [result for result in results if isinstance(result, PublishOutcome)]
    refused = [result for result in results if isinstance(result, ReviewError)]
    assert len(published) == 1 and published[0].published, results
    assert len(refused) == 1, results
    assert str(refused[0]) == "Only submitted requests can be reviewed; this one is approved."
    assert Chapter.history.filter(id=twenty_paragraph_chapter.pk).count() == versions + 1
    assert Chapter.history.filter(id=twenty_paragraph_chapter.pk, change_request=request).count() == 1
    winner = reviewer if results[0] is published[0] else other_reviewer
    request.refresh_from_db()
    assert (request.status, request.approved_by) == (Status.APPROVED, winner)
    assert list(request.reviews.values_list("reviewer", "verdict")) == [(winner.pk, "approve")]
    twenty_paragraph_chapter.refresh_from_db()
    assert (
        twenty_paragraph_chapter.body == request.body
        and "Five, revised." in twenty_paragraph_chapter.body_html
    )


def test_two_new_chapters_with_one_number_approved_at_once_add_one_and_return_the_other(
    editor, other_editor, reviewer, other_reviewer, book
):
    def new_chapter(author, title):
        return change_request_create(
            author=author,
            book=book,
            kind=ChangeRequest.Kind.CHAPTER_NEW,
            summary=f"Added Chapter 4, {title}",
            content={"number": 4, "title": title, "body": f"Notes on {title}.\n"},
            submit=True,
        )

    deployment, monitoring = new_chapter(editor, "Deployment"), new_chapter(other_editor, "Monitoring")

    results = run_at_once([approving(deployment, reviewer), approving(monitoring, other_reviewer)])

    assert all(isinstance(result, PublishOutcome) for result in results), results
    assert sorted(outcome.published for outcome in results) == [False, True]
    winner, loser = (deployment, monitoring) if results[0].published else (monitoring, deployment)
    chapter = Chapter.objects.get(book=book, number=4)
    assert (chapter.title, chapter.body) == (winner.title, winner.body)
    assert list(Chapter.history.filter(id=chapter.pk).values_list("change_request", flat=True)) == [winner.pk]
    conflict = [{"field": "number", "message": "Chapter 4 was added meanwhile; pick another number."}]
    assert [outcome.conflicts for outcome in results if not outcome.published] == [conflict]
    loser.refresh_from_db()
    assert (loser.status, loser.conflicts, loser.chapter_id) == (Status.CONFLICT, conflict, None)
    assert book.chapters.count() == 4


def test_approvals_of_different_cells_of_one_table_at_once_merge_both_each_in_its_own_version(
    editor, other_editor, reviewer, other_reviewer, chapter
):
    table = chapter.tables.get(slug="table-1")
    assert table.rows == [["Speed", "fast", "slow"], ["Cost", "low", "high"]]

    def propose_rows(author, rows, summary):
        return change_request_create(
            author=author,
            book=chapter.book,
            kind=ChangeRequest.Kind.TABLE_EDIT,
            table=table,
            summary=summary,
            content={"title": table.title, "headers": table.headers, "rows": rows},
            submit=True,
        )

    faster = propose_rows(editor, [["Speed", "faster", "slow"], ["Cost", "low", "high"]], "Faster")
    pricier = propose_rows(other_editor, [["Speed", "fast", "slow"], ["Cost", "low", "higher"]], "Pricier")
    versions = list(ComparisonTable.history.filter(id=table.pk).values_list("history_id", flat=True))

    outcomes = approve_all_at_once([(faster, reviewer), (pricier, other_reviewer)])

    assert all(outcome.published for outcome in outcomes.values()), outcomes
    assert sorted(outcome.merged for outcome in outcomes.values()) == [False, True]
    merged_rows = [["Speed", "faster", "slow"], ["Cost", "low", "higher"]]
    table.refresh_from_db()
    assert table.rows == merged_rows
    new_versions = list(
        ComparisonTable.history.filter(id=table.pk).exclude(history_id__in=versions).order_by("history_id")
    )
    assert [version.change_request_id for version in new_versions] == sorted(
        outcomes, key=lambda pk: outcomes[pk].merged
    )
    first, second = new_versions
    assert first.rows == ChangeRequest.objects.get(pk=first.change_request_id).rows
    assert second.rows == merged_rows
    for version in new_versions:
        assert (
            ChangeRequest.objects.get(pk=version.change_request_id).published_history_id == version.history_id
        )
    chapter.refresh_from_db()
    assert "faster" in chapter.body_html and "higher" in chapter.body_html
