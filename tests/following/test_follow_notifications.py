"""Who is notified of what: every event that concerns someone, once, never the actor.

Driven through the services that make the events; the notifications are written in the
event's own transaction (a refused event leaves none).
"""

import pytest

from notes.models import ChangeRequest, Notification, Watch
from notes.services import watching
from notes.services.discussions import comment_post, thread_start
from notes.services.reviews import (
    ReviewError,
    change_request_approve,
    change_request_create,
    change_request_reject,
    change_request_request_changes,
    change_request_revert,
    change_request_revise,
    change_request_submit,
)
from tests.factories import make_thread, make_user, propose_chapter_edit

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def told(user) -> list[tuple[str, str]]:
    """``(kind, via)`` of the user's notifications, oldest first."""
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "via"))


def approve(change_request, reviewer):
    return change_request_approve(change_request=change_request, reviewer=reviewer)


# --- Watching ----------------------------------------------------------------------------------


def test_people_watch_what_they_edit_review_and_discuss(chapter, editor, reviewer, reader):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="Shorter, please.")
    thread = make_thread(chapter=chapter, author=reader)
    assert set(Watch.objects.values_list("user__username", "chapter_id", "thread_id")) == {
        ("editor", chapter.pk, None),
        ("reviewer", chapter.pk, None),
        ("reader", None, thread.pk),
    }


def test_a_draft_is_not_yet_an_edit_that_watches(chapter, editor):
    propose_chapter_edit(editor, chapter, "Draft text", submit=False)
    assert not Watch.objects.exists()


def test_watching_twice_keeps_one_watch_and_unwatching_ends_it(chapter, reader):
    watching.watch_add(user=reader, target=chapter)
    watching.watch_add(user=reader, target=chapter)
    assert Watch.objects.filter(user=reader, chapter=chapter).count() == 1
    assert watching.watch_remove(user=reader, target=chapter) is True
    assert watching.watch_remove(user=reader, target=chapter) is False
    assert not Watch.objects.exists()


def test_a_new_chapters_author_watches_it_once_it_is_published(book, editor, reviewer):
    request = change_request_create(
        author=editor,
        book=book,
        kind=ChangeRequest.Kind.CHAPTER_NEW,
        summary="Added chapter 9",
        content={"title": "Nine", "body": "Text", "number": 9},
        submit=True,
    )
    assert not Watch.objects.filter(user=editor).exists()
    approve(request, reviewer)
    assert Watch.objects.filter(user=editor, chapter__number=9).exists()


# --- The review workflow ------------------------------------------------------------------------


def test_a_submitted_request_tells_watching_reviewers_through_their_watch_and_not_admins_who_do_not_watch_it(
    book, chapter, editor, reviewer, other_reviewer, reader
):
    watching.watch_add(user=reviewer, target=chapter)
    watching.watch_add(user=other_reviewer, target=book)
    watching.watch_add(user=reader, target=chapter)  # watches, but does not review
    admin = make_user("admin2", staff=True)
    watching.watch_add(user=admin, target=book.chapters.get(number=2))  # another chapter
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    assert told(reviewer) == [(Kind.SUBMITTED, "chapter")]
    assert told(other_reviewer) == [(Kind.SUBMITTED, "book")]
    assert told(reader) == [] and told(admin) == [] and told(editor) == []
    notification = Notification.objects.get(recipient=reviewer)
    assert (notification.change_request, notification.actor) == (request, editor)


def test_a_resubmission_tells_the_watching_reviewers_again(chapter, editor, reviewer, other_reviewer):
    watching.watch_add(user=other_reviewer, target=chapter)
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    change_request_request_changes(change_request=request, reviewer=reviewer, comment="Shorter.")
    change_request_revise(
        change_request=request,
        user=editor,
        summary="Shorter",
        content={"title": chapter.title, "body": "Less."},
    )
    assert told(other_reviewer) == [(Kind.SUBMITTED, "chapter"), (Kind.SUBMITTED, "chapter")]


def test_submitting_a_draft_tells_the_watching_reviewers(chapter, editor, reviewer):
    watching.watch_add(user=reviewer, target=chapter)
    request = propose_chapter_edit(editor, chapter, "Draft", submit=False)
    assert told(reviewer) == []  # a draft is nobody else's business yet
    change_request_submit(change_request=request, user=editor)
    assert told(reviewer) == [(Kind.SUBMITTED, "chapter")]


@pytest.mark.parametrize(
    ("act", "kind"),
    [
        (
            lambda request, reviewer: change_request_request_changes(
                change_request=request, reviewer=reviewer, comment="Fix the typo."
            ),
            Kind.CHANGES_REQUESTED,
        ),
        (
            lambda request, reviewer: change_request_reject(
                change_request=request, reviewer=reviewer, comment="Out of scope."
            ),
            Kind.REJECTED,
        ),
        (approve, Kind.APPROVED),
    ],
)
def test_the_author_hears_of_each_verdict(chapter, editor, reviewer, act, kind):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    act(request, reviewer)
    assert told(editor) == [(kind, "")]
    # The actor is never told of what they did (only, as every reviewer, of the submission).
    assert told(reviewer) == [(Kind.SUBMITTED, "")]


def test_an_approval_tells_the_author_once_and_every_watcher_of_the_new_version(
    book, chapter, editor, reviewer, reader, other_editor
):
    watching.watch_add(user=reader, target=chapter)
    watching.watch_add(user=other_editor, target=book)
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    approve(request, reviewer)
    # The author watches the chapter too (they edited it), but hears once: "approved".
    assert told(editor) == [(Kind.APPROVED, "")]
    assert told(reader) == [(Kind.PUBLISHED, "chapter")]
    assert told(other_editor) == [(Kind.PUBLISHED, "book")]
    assert told(reviewer) == [(Kind.SUBMITTED, "")]  # as every reviewer; not of their approval
    assert Notification.objects.filter(event_key=f"review:{request.reviews.get().pk}").count() == 3


def test_a_conflict_goes_back_to_the_author_alone(chapter, editor, other_editor, reviewer, reader):
    watching.watch_add(user=reader, target=chapter)
    first = propose_chapter_edit(editor, chapter, "Mine\n")
    second = propose_chapter_edit(other_editor, chapter, "Theirs\n")
    approve(first, reviewer)
    outcome = approve(second, reviewer)
    assert not outcome.published
    # The other editor watches the chapter they edited: told of the first version, then of
    # their conflict; nobody else hears of the conflict.
    assert told(other_editor) == [(Kind.PUBLISHED, "chapter"), (Kind.CONFLICT, "")]
    conflict_review = second.reviews.get()
    assert list(
        Notification.objects.filter(event_key=f"review:{conflict_review.pk}").values_list(
            "recipient__username", flat=True
        )
    ) == ["other_editor"]
    # Of the two approvals the reader heard only the one that published.
    assert told(reader) == [(Kind.PUBLISHED, "chapter")]


def test_a_reviewers_direct_revert_tells_the_watchers_of_the_chapter(chapter, reviewer, reader, editor):
    request = propose_chapter_edit(editor, chapter, "New text\n")
    approve(request, reviewer)
    watching.watch_add(user=reader, target=chapter)
    first_version = chapter.history.order_by("history_id").first().history_id
    change_request_revert(user=reviewer, history_id=first_version, chapter=chapter)
    assert told(reader) == [(Kind.PUBLISHED, "chapter")]
    assert (Kind.PUBLISHED, "chapter") in told(editor)  # the editor watches what they edited
    assert told(reviewer) == [(Kind.SUBMITTED, "")]  # as every reviewer; not of their approval


def test_a_refused_action_notifies_nobody(chapter, editor, reviewer):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    before = Notification.objects.count()
    with pytest.raises(ReviewError, match="Say why in a comment"):
        change_request_reject(change_request=request, reviewer=reviewer, comment="")
    assert Notification.objects.count() == before


# --- Discussions ------------------------------------------------------------------------------------


def test_a_new_thread_tells_the_watchers_of_its_chapter_and_book(book, chapter, reader, editor, moderator):
    watching.watch_add(user=editor, target=chapter)
    watching.watch_add(user=moderator, target=book)
    thread_start(chapter=chapter, author=reader, title="Why?", body="Tell me.")
    assert told(editor) == [(Kind.THREAD, "chapter")]
    assert told(moderator) == [(Kind.THREAD, "book")]
    assert told(reader) == []


def test_a_reply_tells_the_replied_to_the_thread_watchers_and_the_mentioned_once_each(
    chapter, reader, editor, reviewer, moderator
):
    thread = make_thread(chapter=chapter, author=reader)  # reader watches the thread
    first = comment_post(thread=thread, author=editor, body="An answer.")  # editor watches it too
    watching.watch_add(user=moderator, target=chapter)
    comment_post(thread=thread, author=reviewer, body="@reader @moderator see this", parent_id=first.pk)
    kinds = dict(
        Notification.objects.filter(comment__author=reviewer).values_list("recipient__username", "kind")
    )
    # The reader is mentioned, watches the thread: one notification, the mention.
    assert kinds == {"reader": Kind.MENTION, "editor": Kind.REPLY, "moderator": Kind.MENTION}
    assert told(reviewer) == []


def test_a_reply_to_your_comment_reaches_you_even_without_a_watch(chapter, reader, editor):
    thread = make_thread(chapter=chapter, author=reader)
    first = comment_post(thread=thread, author=editor, body="An answer.")
    watching.watch_remove(user=editor, target=thread)
    comment_post(thread=thread, author=reader, body="Thanks!", parent_id=first.pk)
    assert told(editor) == [(Kind.REPLY, "")]


def test_unwatching_a_thread_stops_its_notifications(chapter, reader, editor):
    thread = make_thread(chapter=chapter, author=reader)
    watching.watch_remove(user=reader, target=thread)
    comment_post(thread=thread, author=editor, body="Hello?")
    assert told(reader) == []


def test_an_inactive_watcher_is_not_notified(chapter, reader, editor):
    thread = make_thread(chapter=chapter, author=reader)
    reader.is_active = False
    reader.save()
    comment_post(thread=thread, author=editor, body="Hello?")
    assert told(reader) == []
