"""An author revising one request twice at once, with real threads on a real PostgreSQL database.

A revision reads the request, checks and renders the new text, and writes it with the next
revision number, all under the request's row lock: two revisions sent at the same moment
(two tabs, a double submit, the API and the browser) land one after the other, as two
consecutive revisions, the later one keeping the earlier one's text as what reviewers saw
and its stored rendering made from its own text. Without the lock both would read the same
revision and write the same next one, and one text would be lost without a trace. SQLite
serializes every write, so this race cannot happen there.
"""

from notes.models import ChangeRequest
from notes.services.reviews import ReviewError, change_request_approve, change_request_revise
from tests.concurrency import ON_POSTGRESQL_WITH_TRANSACTIONS, run_at_once
from tests.factories import paragraphs
from tests.factories import propose_chapter_edit as propose

Status = ChangeRequest.Status

pytestmark = ON_POSTGRESQL_WITH_TRANSACTIONS

# Long enough that rendering and diffing take a while: without the lock, the two revisions
# would both read the request before either wrote it.
PARAGRAPHS = 300


def revising(request, user, word: str):
    body = paragraphs(PARAGRAPHS, {0: f"Opening, by the {word} tab."})
    return lambda: change_request_revise(
        change_request=request,
        user=user,
        summary=f"Revised in the {word} tab",
        content={"title": request.title, "body": body},
    )


def test_two_revisions_of_one_request_at_once_land_as_consecutive_revisions_and_lose_nothing(editor, chapter):
    request = propose(editor, chapter, paragraphs(PARAGRAPHS, {0: "Opening, first draft."}))
    assert (request.revision, request.status) == (1, Status.SUBMITTED)

    results = run_at_once([revising(request, editor, "left"), revising(request, editor, "right")])

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    assert sorted(result.revision for result in results) == [2, 3]
    first, second = sorted(results, key=lambda result: result.revision)
    stored = ChangeRequest.objects.get(pk=request.pk)
    assert stored.revision == 3
    assert stored.status == Status.SUBMITTED
    # The later revision is the request's text; the earlier one is kept as what reviewers
    # saw before it (the request was under review), so neither text is lost.
    assert stored.body == second.body
    assert (stored.reviewed_revision, stored.reviewed_body) == (2, first.body)
    assert stored.summary == second.summary
    # The stored rendering is the later text's, made for the revision it is stored with.
    assert stored.rendered_revision == 3
    later_word = "left" if "left" in second.body.split("\n", 1)[0] else "right"
    earlier_word = "right" if later_word == "left" else "left"
    assert f"by the {later_word} tab" in stored.rendered_html
    assert f"by the {earlier_word} tab" not in stored.rendered_html
    # Reviewers are shown what the later revision changed in the earlier one.
    assert f"by the <del>{earlier_word}</del><ins>{later_word}</ins> tab" in stored.since_review_diff_html


def test_a_revision_racing_an_approval_is_either_published_or_refused_cleanly(editor, reviewer, chapter):
    request = propose(editor, chapter, paragraphs(PARAGRAPHS, {0: "Opening, first draft."}))

    revised, approved = run_at_once(
        [
            revising(request, editor, "late"),
            lambda: change_request_approve(change_request=request, reviewer=reviewer),
        ]
    )

    assert not isinstance(approved, Exception), approved
    chapter.refresh_from_db()
    stored = ChangeRequest.objects.get(pk=request.pk)
    if isinstance(revised, ReviewError):
        # The approval took the lock first: revision 1 is published and the revision is
        # refused with a message the author can read; nothing half-written.
        assert str(revised) == "A request that is approved cannot be revised."
        assert approved.published
        assert (stored.revision, stored.status) == (1, Status.APPROVED)
        assert chapter.body == stored.body == request.body
    else:
        # The revision took the lock first: the approval then sees revision 2, and whatever
        # it decides is about that text, never about the one it replaced.
        assert not isinstance(revised, Exception), revised
        assert revised.revision == 2
        assert stored.revision == 2
        assert stored.body == revised.body
        if approved.published:
            assert chapter.body == revised.body
        else:
            assert chapter.body != revised.body and stored.status == Status.SUBMITTED
