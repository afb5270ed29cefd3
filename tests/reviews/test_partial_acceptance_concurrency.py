"""Two reviewers accepting different changes of one request at the same moment, on a real
PostgreSQL database: one publishes its part, the other is refused as stale (the request
moved to its next revision under it) with a message a reviewer can act on; nothing is
lost, and what the loser ticked is still in the request, open for review."""

import pytest

from notes.models import ChangeRequest, Chapter
from notes.selectors.reviews import proposed_changes
from notes.services.history import chapter_render, save_version
from notes.services.reviews import PublishOutcome, ReviewError, change_request_approve_part
from tests.concurrency import ON_POSTGRESQL_WITH_TRANSACTIONS, run_at_once
from tests.factories import paragraphs
from tests.factories import propose_chapter_edit as propose

pytestmark = ON_POSTGRESQL_WITH_TRANSACTIONS


@pytest.fixture
def ten_paragraph_chapter(chapter):
    chapter.body = paragraphs(10)
    chapter_render(chapter)
    save_version(chapter, summary="Ten paragraphs")
    return chapter


def test_two_reviewers_accepting_different_hunks_at_once_publish_one_part_and_refuse_the_other(
    editor, reviewer, other_reviewer, ten_paragraph_chapter
):
    proposed = paragraphs(10, {1: "One, revised.", 4: "Four, revised.", 8: "Eight, revised."})
    request = propose(editor, ten_paragraph_chapter, proposed, "Three paragraphs")
    first, second, _third = (change.id for change in proposed_changes(request).changes)
    versions = Chapter.history.filter(id=ten_paragraph_chapter.pk).count()

    results = run_at_once(
        [
            lambda: change_request_approve_part(
                change_request=request, reviewer=reviewer, accepted=[first], revision=1
            ),
            lambda: change_request_approve_part(
                change_request=request, reviewer=other_reviewer, accepted=[second], revision=1
            ),
        ]
    )

    published = [result for result in results if isinstance(result, PublishOutcome)]
    refused = [result for result in results if isinstance(result, ReviewError)]
    assert len(published) == 1 and len(refused) == 1, results
    assert "Part of this request was published or taken out" in str(refused[0])
    assert Chapter.history.filter(id=ten_paragraph_chapter.pk).count() == versions + 1
    ten_paragraph_chapter.refresh_from_db()
    won = "One, revised." if results[0] is published[0] else "Four, revised."
    lost = "Four, revised." if won == "One, revised." else "One, revised."
    assert won in ten_paragraph_chapter.body and lost not in ten_paragraph_chapter.body
    request.refresh_from_db()
    assert (request.status, request.revision, request.body) == (ChangeRequest.Status.SUBMITTED, 2, proposed)
    # Nothing lost: the refused reviewer's hunk and the untouched one remain, and accepting
    # them now publishes the whole proposal.
    remaining = proposed_changes(request).changes
    assert len(remaining) == 2
    change_request_approve_part(
        change_request=request,
        reviewer=other_reviewer,
        accepted=[change.id for change in remaining],
        revision=2,
    )
    ten_paragraph_chapter.refresh_from_db()
    assert ten_paragraph_chapter.body == proposed
