"""Pages run a fixed number of queries whatever the data: a 1,000-comment thread runs the
same pinned queries as a 10-comment one and pages in tree order; thread lists,
notifications and the moderation log do not grow with their rows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.models import Comment, Notification, Thread
from notes.models.discussions import COMMENTS_PER_PAGE, comment_path
from notes.services import moderation
from notes.services.discussions import comment_post
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"


def thread_url(thread) -> str:
    return f"{CHAPTER}discussion/{thread.pk}/"


def comment_ids_in_page(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', html)]


def build_thread(chapter, author, count: int) -> Thread:
    """A thread of ``count`` comments in groups: a top-level comment, a reply, a reply to
    that reply, a second reply. Written with bulk_create, one level at a time."""
    thread = make_thread(chapter=chapter, author=author, title=f"{count} comments")
    groups = -(-count // 4)

    def new(parent, path: str, depth: int) -> Comment:
        return Comment(
            thread=thread,
            parent=parent,
            author=author,
            body=path,
            body_html=f"<p>{path}</p>",
            depth=depth,
            path=path,
        )

    tops = [thread.comments.get(path="000001")] + Comment.objects.bulk_create(
        [new(None, comment_path("", group + 1), 0) for group in range(1, groups)]
    )
    firsts = Comment.objects.bulk_create(
        [new(top, comment_path(top.path, 1), 1) for index, top in enumerate(tops) if 4 * index + 1 < count]
    )
    Comment.objects.bulk_create(
        [
            new(reply, comment_path(reply.path, 1), 2)
            for index, reply in enumerate(firsts)
            if 4 * index + 2 < count
        ]
        + [new(top, comment_path(top.path, 2), 1) for index, top in enumerate(tops) if 4 * index + 3 < count]
    )
    Thread.objects.filter(pk=thread.pk).update(top_level_count=groups, comment_count=count)
    assert thread.comments.count() == count
    return thread


@pytest.mark.parametrize(("viewer", "queries"), [(None, 3), ("reader", 4), ("moderator", 4)])
def test_a_1000_comment_thread_runs_as_many_queries_as_a_10_comment_one(
    request, client_for, chapter, reader, django_assert_num_queries, viewer, queries
):
    small = build_thread(chapter, reader, 10)
    large = build_thread(chapter, reader, 1000)
    client = client_for(request.getfixturevalue(viewer) if viewer else None)
    client.get("/")  # a signed-in user's snapshot is built once (roles, progress, watches)
    # Anonymous: the thread, the count of its comments, one page of them. Signed in: the
    # session comes first; the user with their roles and watches come from the cache.
    for thread in (small, large):
        with django_assert_num_queries(queries):
            assert client.get(thread_url(thread)).status_code == 200


def test_a_long_thread_is_paginated_in_tree_order(client, chapter, reader):
    thread = build_thread(chapter, reader, 1000)
    html = client.get(thread_url(thread)).content.decode()
    shown = comment_ids_in_page(html)
    assert len(shown) == COMMENTS_PER_PAGE
    assert "Comments 1–50 of 1000 · page 1 of 20" in html
    assert shown == list(thread.comments.order_by("path").values_list("pk", flat=True)[:COMMENTS_PER_PAGE])
    last = client.get(thread_url(thread) + "?page=20").content.decode()
    assert "Comments 951–1000 of 1000" in last
    assert (
        client.get(thread_url(thread) + "?page=999").content.decode().count('id="comment-')
        == COMMENTS_PER_PAGE
    )


def test_the_long_thread_pager_links_to_the_first_and_last_pages(client, chapter, reader):
    thread = build_thread(chapter, reader, 1000)

    def pager(page: int) -> str:
        html = client.get(f"{thread_url(thread)}?page={page}").content.decode()
        return re.search(r'<nav class="pager".*?</nav>', html, re.DOTALL).group(0)

    middle = pager(10)
    assert 'href="?page=1">« First</a>' in middle and 'href="?page=20">Last »</a>' in middle
    assert "page 10 of 20" in middle
    first, last = pager(1), pager(20)
    assert "First</a>" not in first and 'href="?page=20">Last »</a>' in first
    assert 'href="?page=1">« First</a>' in last and "Last »</a>" not in last


def test_a_comments_link_opens_the_page_that_shows_it(client, chapter, reader):
    thread = build_thread(chapter, reader, 200)
    target = thread.comments.order_by("path")[123]  # the 124th in tree order: page 3
    response = client.get(f"/discussion/comments/{target.pk}/")
    assert response.url == f"{thread_url(thread)}?page=3#comment-{target.pk}"
    assert f'id="comment-{target.pk}"' in client.get(response.url).content.decode()


def test_a_reply_whose_parent_is_on_the_page_before_says_whom_it_answers(client, chapter, reader):
    thread = build_thread(chapter, reader, 200)
    ordered = list(thread.comments.order_by("path"))
    first_of_page_2 = ordered[COMMENTS_PER_PAGE]
    html = client.get(thread_url(thread) + "?page=2").content.decode()
    assert comment_ids_in_page(html)[0] == first_of_page_2.pk
    if first_of_page_2.parent_id:  # the shape puts a reply there; say so if it changes
        assert html.count('class="meta in-reply-to"') >= 1


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_thread_list_runs_the_same_queries_for_2_and_60_threads(client_for, book, reader):
    small_chapter, large_chapter = book.chapters.get(number=1), book.chapters.get(number=2)
    for index in range(2):
        make_thread(chapter=small_chapter, author=reader, title=f"Small {index}")
    for index in range(60):
        make_thread(chapter=large_chapter, author=reader, title=f"Large {index}")
    client = client_for(reader)
    client.get("/")  # the user's snapshot (roles, progress, watches, unseen count) is built once
    small = _queries(client, "/books/test-book/chapters/1/discussion/")
    large = _queries(client, "/books/test-book/chapters/2/discussion/")
    assert small == large


def test_notifications_and_the_log_run_the_same_queries_for_1_and_40_entries(
    client_for, chapter, editor, reviewer, moderator
):
    thread = make_thread(chapter=chapter, author=editor)
    comment_post(thread=thread, author=editor, body="@reviewer 0")
    moderation.thread_pin(thread=thread, moderator=moderator)
    client, mod_client = client_for(reviewer), client_for(moderator)
    mod_client.get("/")  # the moderator's snapshot is built once (the reviewer's, at every visit
    # to the list: opening it marks their notifications seen)
    few = (_queries(client, "/notifications/"), _queries(mod_client, "/moderation/log/"))
    for index in range(1, 40):
        comment_post(thread=thread, author=editor, body=f"@reviewer {index}")
        moderation.thread_unpin(thread=thread, moderator=moderator) if index % 2 else moderation.thread_pin(
            thread=thread, moderator=moderator
        )
    many = (_queries(client, "/notifications/"), _queries(mod_client, "/moderation/log/"))
    assert few == many


def test_notifications_are_paged_back_to_the_oldest_at_a_constant_query_count(
    client_for, chapter, editor, reviewer
):
    thread = make_thread(chapter=chapter, author=editor)
    client = client_for(reviewer)
    first = comment_post(thread=thread, author=editor, body="@reviewer first of all")
    one = _queries(client, "/notifications/")

    comments = Comment.objects.bulk_create(
        [
            Comment(
                thread=thread,
                author=editor,
                body=f"@reviewer {index}",
                body_html=f"<p>{index}</p>",
                path=comment_path("", index + 3),
            )
            for index in range(119)
        ]
    )
    Notification.objects.bulk_create(
        [Notification(recipient=reviewer, comment=c, event_key=f"comment:{c.pk}") for c in comments]
    )

    html = client.get("/notifications/").content.decode()
    assert html.count('<li class="notification') == 50 and "Page 1 of 3" in html
    assert 'href="?page=2">Older' in html
    last = client.get("/notifications/?page=3").content.decode()
    assert last.count('<li class="notification') == 20 and "Page 3 of 3" in last
    assert 'href="?page=2">← Newer' in last
    assert f'href="/discussion/comments/{first.pk}/"' in last  # the oldest is reachable
    assert one == _queries(client, "/notifications/") == _queries(client, "/notifications/?page=3")
