"""A comment of any text is answered quickly, and its rendering never holds the thread's lock."""

import time

import pytest

from notes.lib.limits import MAX_COMMENT_BYTES, MAX_HEADINGS_PER_TEXT
from notes.models import Comment
from notes.services import discussions
from notes.services.discussions import DiscussionError, comment_edit, comment_post
from tests.concurrency import calls_in_order

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"


def url_heavy(size: int) -> str:
    """Bare addresses and the ``http://`` runs that made linkification quadratic."""
    pieces = ["https://example.com/a/b?c=1 ", "http:// ", "x://", "see http://a.bc/x. "]
    text = ""
    while len(text.encode()) < size:
        text += "".join(pieces)
    return text[:size]


def test_a_60_kb_url_heavy_reply_is_answered_in_under_a_second(client_for, thread, reader):
    body = url_heavy(60 * 1024)
    assert len(body.encode()) <= MAX_COMMENT_BYTES
    client = client_for(reader)
    client.get(thread.get_absolute_url())  # the session and the first queries, not timed
    # CPU time of this process (the view runs in it): the machine running the tests may
    # be shared, and waiting for a core is not the view's cost. Alone it is also the time.
    start = time.process_time()
    response = client.post(f"/discussion/threads/{thread.pk}/reply/", {"body": body})
    elapsed = time.process_time() - start
    assert response.status_code == 302
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    comment = thread.comments.latest("pk")
    assert comment.body == body
    assert '<a href="https://example.com/a/b?c=1"' in comment.body_html


def test_a_comment_with_too_many_headings_is_refused_and_nothing_is_posted(client_for, thread, reader):
    before = Comment.objects.count()
    body = "# a\n" * (MAX_HEADINGS_PER_TEXT + 1)
    response = client_for(reader).post(f"/discussion/threads/{thread.pk}/reply/", {"body": body})
    assert response.status_code == 400
    assert f"The comment has {MAX_HEADINGS_PER_TEXT + 1:,} headings" in response.content.decode()
    assert Comment.objects.count() == before


@pytest.fixture
def events(monkeypatch):
    """The order in which the services render and lock the thread's row."""
    return calls_in_order(
        monkeypatch,
        render=(discussions, "render_markdown"),
        lock=(discussions, "thread_for_update"),
    )


def test_a_reply_is_rendered_before_the_thread_is_locked(thread, reader, events):
    comment_post(thread=thread, author=reader, body="A reply with http://example.com/")
    assert events == ["render", "lock"]


def test_an_edit_is_rendered_before_the_thread_is_locked(thread, reader, events):
    comment = thread.comments.get(path="000001")
    comment_edit(comment=comment, editor=reader, body="Edited, see http://example.com/")
    assert events == ["render", "lock"]
    assert "Edited" in Comment.objects.get(pk=comment.pk).body_html


def test_a_refused_reply_is_not_rendered(thread, reader, events):
    with pytest.raises(DiscussionError, match="headings"):
        comment_post(thread=thread, author=reader, body="# a\n" * (MAX_HEADINGS_PER_TEXT + 1))
    assert events == []
