"""Migrations 0011-0011c keep the mentions notified before them, and can be undone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("notes", "0009_comment_headings_without_ids")]
AFTER = [("notes", "0011c_notification_once_per_event")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_earlier_mentions_get_their_event_and_place_and_the_way_back_works():
    old = migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        author = User.objects.create(username="writer")
        mentioned = User.objects.create(username="mentioned")
        Book, Chapter = old.get_model("notes", "Book"), old.get_model("notes", "Chapter")
        book = Book.objects.create(slug="old-book", title="Old Book")
        chapter = Chapter.objects.create(book=book, number=1, title="One")
        thread = old.get_model("notes", "Thread").objects.create(chapter=chapter, title="Old", author=author)
        comment = old.get_model("notes", "Comment").objects.create(
            thread=thread, author=author, body="@mentioned", body_html="<p>@mentioned</p>", path="000001"
        )
        old.get_model("notes", "Notification").objects.create(recipient=mentioned, comment=comment)

        new = migrate(AFTER)
        notification = new.get_model("notes", "Notification").objects.get()
        assert (notification.kind, notification.event_key) == ("mention", f"comment:{comment.pk}")
        assert (
            notification.actor_id,
            notification.book_id,
            notification.chapter_id,
            notification.thread_id,
        ) == (
            author.pk,
            book.pk,
            chapter.pk,
            thread.pk,
        )
        assert notification.seen_at is None and notification.email_status == ""

        back = migrate(BEFORE)
        assert back.get_model("notes", "Notification").objects.get().comment_id == comment.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
