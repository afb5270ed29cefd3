"""Approvals racing on one chapter, with real threads on a real PostgreSQL database.

SQLite serializes every write, so the races these tests provoke cannot happen there.
"""

import threading

import pytest
from django.db import connection, connections

from notes.models import ChangeRequest, Chapter
from notes.services.history import chapter_render, save_version
from notes.services.reviews import change_request_approve, change_request_create

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks; set DATABASE_URL=postgres://... to run",
    ),
    pytest.mark.django_db(transaction=True),
]


def paragraphs(count: int, changed: dict[int, str] | None = None) -> str:
    changed = changed or {}
    return "\n\n".join(changed.get(index, f"Paragraph {index}.") for index in range(count)) + "\n"


def propose(author, chapter, body, summary):
    return change_request_create(
        author=author,
        book=chapter.book,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        chapter=chapter,
        summary=summary,
        content={"title": chapter.title, "body": body},
        submit=True,
    )


def approve_all_at_once(pairs):
    """Approve each (request, reviewer) in its own thread, all released by one barrier.

    Threads touch the database only after the barrier: the connection pool holds fewer
    connections than there are threads, and a thread waiting at the barrier with a
    connection would starve the others. Each thread gives its connection back at the end.
    """
    barrier = threading.Barrier(len(pairs))
    outcomes, errors = {}, []

    def approve(request, reviewer):
        try:
            barrier.wait(timeout=30)
            outcomes[request.pk] = change_request_approve(change_request=request, reviewer=reviewer)
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(request, reviewer)) for request, reviewer in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return outcomes


@pytest.fixture
def long_chapter(chapter):
    chapter.body = paragraphs(20)
    chapter_render(chapter)
    save_version(chapter, summary="Twenty paragraphs")
    return chapter


def test_two_reviewers_approving_conflicting_requests_at_once_publish_one_and_return_the_other(
    editor, other_editor, reviewer, other_reviewer, long_chapter
):
    first = propose(editor, long_chapter, paragraphs(20, {3: "Three, by editor."}), "Editor's change")
    second = propose(other_editor, long_chapter, paragraphs(20, {3: "Three, by other."}), "Other's change")
    versions = Chapter.history.filter(id=long_chapter.pk).count()

    outcomes = approve_all_at_once([(first, reviewer), (second, other_reviewer)])

    assert sorted(outcome.published for outcome in outcomes.values()) == [False, True]
    assert Chapter.history.filter(id=long_chapter.pk).count() == versions + 1
    [winner] = [pk for pk, outcome in outcomes.items() if outcome.published]
    loser = second.pk if winner == first.pk else first.pk
    long_chapter.refresh_from_db()
    assert long_chapter.body == ChangeRequest.objects.get(pk=winner).body
    assert ChangeRequest.objects.get(pk=loser).status == ChangeRequest.Status.CONFLICT
    assert ChangeRequest.objects.get(pk=loser).conflicts[0]["field"] == "body"


def test_twenty_approvals_against_one_chapter_all_land_in_history_and_none_is_overwritten(
    editor, reviewer, other_reviewer, long_chapter
):
    requests = [
        propose(
            editor, long_chapter, paragraphs(20, {index: f"Paragraph {index}, revised."}), f"Change {index}"
        )
        for index in range(20)
    ]
    versions = Chapter.history.filter(id=long_chapter.pk).count()

    outcomes = approve_all_at_once(
        [(request, reviewer if index % 2 else other_reviewer) for index, request in enumerate(requests)]
    )

    assert all(outcome.published for outcome in outcomes.values()), outcomes
    rows = Chapter.history.filter(id=long_chapter.pk)
    assert rows.count() == versions + 20
    assert set(rows.exclude(change_request=None).values_list("change_request_id", flat=True)) == {
        request.pk for request in requests
    }
    long_chapter.refresh_from_db()
    assert long_chapter.body == paragraphs(20, {index: f"Paragraph {index}, revised." for index in range(20)})
    for index in range(20):
        assert f"Paragraph {index}, revised." in long_chapter.body_html
