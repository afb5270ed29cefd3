"""Discussion writes racing on one thread, with real threads on a real PostgreSQL database.

Every discussion write locks the thread row first. These tests show what that buys: a
reply sent while a moderator locks the thread waits and is refused, replies sent at once
each get their own place in the tree, and one form sent twice at once posts once.
SQLite serializes every write, so these races cannot happen there.
"""

import threading
import time
import uuid

import pytest
from django.db import connections, transaction

from notes.models import Comment, Thread
from notes.services import moderation
from notes.services.discussions import DiscussionError, DuplicateSubmission, comment_post
from tests.concurrency import ON_POSTGRESQL_WITH_TRANSACTIONS, run_at_once
from tests.factories import make_thread

pytestmark = ON_POSTGRESQL_WITH_TRANSACTIONS


@pytest.fixture
def racing_thread(chapter, reader):
    return make_thread(chapter=chapter, author=reader, title="Racing")


def test_a_reply_sent_while_a_moderator_locks_waits_for_the_lock_and_is_refused(
    racing_thread, editor, moderator
):
    locked, reply_sent = threading.Event(), threading.Event()
    outcome: dict = {}

    def lock_and_hold():
        try:
            with transaction.atomic():
                moderation.thread_lock(thread=racing_thread, moderator=moderator, reason="Heated")
                locked.set()
                reply_sent.wait(timeout=10)
                time.sleep(0.5)  # the reply is now waiting on the thread row
        finally:
            connections.close_all()

    def reply():
        try:
            locked.wait(timeout=10)
            reply_sent.set()
            started = time.monotonic()
            try:
                comment_post(thread=racing_thread, author=editor, body="Just in time?")
            except DiscussionError as error:
                outcome["error"] = error
            outcome["waited"] = time.monotonic() - started
        finally:
            connections.close_all()

    workers = [threading.Thread(target=lock_and_hold), threading.Thread(target=reply)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert "This thread is locked" in str(outcome.get("error"))
    assert outcome["waited"] >= 0.4  # it waited for the moderator's transaction, then saw the lock
    assert Comment.objects.filter(thread=racing_thread).count() == 1
    assert Thread.objects.get(pk=racing_thread.pk).is_locked


def test_replies_sent_at_once_each_get_their_own_place(racing_thread, reader, editor):
    first = racing_thread.comments.get()
    calls = [
        (lambda index=index: comment_post(thread=racing_thread, author=editor, body=f"Top {index}"))
        for index in range(6)
    ] + [
        (
            lambda index=index: comment_post(
                thread=racing_thread, author=reader, body=f"Reply {index}", parent_id=first.pk
            )
        )
        for index in range(6)
    ]

    results = run_at_once(calls)

    assert all(isinstance(result, Comment) for result in results), results
    paths = list(Comment.objects.filter(thread=racing_thread).values_list("path", flat=True))
    assert len(paths) == len(set(paths)) == 13
    racing_thread.refresh_from_db()
    assert racing_thread.comment_count == 13 and racing_thread.top_level_count == 7
    first.refresh_from_db()
    assert first.reply_count == 6


def test_one_form_sent_twice_at_once_posts_once(racing_thread, editor):
    token = uuid.uuid4()
    results = run_at_once(
        [
            lambda: comment_post(
                thread=racing_thread, author=editor, body="Double click", submission_token=token
            )
        ]
        * 2
    )
    # Whichever commits second hits the unique token, whether or not it waited on the thread row.
    assert sorted(type(result).__name__ for result in results) == ["Comment", DuplicateSubmission.__name__]
    assert Comment.objects.filter(body="Double click").count() == 1
