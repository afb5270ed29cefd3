"""Anonymous readers get book and chapter pages from the cache, and every write that changes
what a page shows expires it when its transaction commits."""

import re

import pytest
from django.test import Client

from notes.services.discussions import comment_post
from notes.services.moderation import thread_move
from notes.services.reviews import change_request_approve
from tests.factories import make_thread, propose_chapter_edit, propose_table_edit

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"
BOOK = "/books/test-book/"


def approve(request, reviewer, callbacks):
    with callbacks(execute=True):
        assert change_request_approve(change_request=request, reviewer=reviewer).published


def test_a_second_anonymous_visit_runs_no_query(chapter, django_assert_num_queries):
    first = Client().get(CHAPTER)
    with django_assert_num_queries(0):
        second = Client().get(CHAPTER)
    assert second.status_code == 200 and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]


def test_a_published_edit_shows_at_once(chapter, editor, reviewer, django_capture_on_commit_callbacks):
    Client().get(CHAPTER)
    approve(
        propose_chapter_edit(editor, chapter, "Freshly *published* notes.\n"),
        reviewer,
        django_capture_on_commit_callbacks,
    )
    assert "Freshly <em>published</em> notes." in Client().get(CHAPTER).content.decode()


def test_a_published_table_shows_on_its_chapter(
    chapter, editor, reviewer, django_capture_on_commit_callbacks
):
    Client().get(CHAPTER)
    table = chapter.tables.get()
    request = propose_table_edit(editor, table, [["Speed", "quickest", "slow"]], summary="Cells")
    approve(request, reviewer, django_capture_on_commit_callbacks)
    assert "quickest" in Client().get(CHAPTER).content.decode()


def test_a_new_thread_and_a_reply_show_on_the_chapter_and_the_book_page(
    chapter, reader, editor, django_capture_on_commit_callbacks
):
    Client().get(CHAPTER), Client().get(BOOK)
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(chapter=chapter, author=reader, title="Is this cached?")
    assert "1 open thread</span>" in Client().get(CHAPTER).content.decode()
    assert "1 open of 1 thread" in Client().get(BOOK).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=thread, author=editor, body="A reply.")
    assert "1 open thread</span>" in Client().get(CHAPTER).content.decode()


def test_a_moved_thread_leaves_one_chapter_and_shows_on_the_other(
    book, reader, moderator, django_capture_on_commit_callbacks
):
    first, second = book.chapters.get(number=1), book.chapters.get(number=2)
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(chapter=first, author=reader, title="Wandering thread")
    assert "1 open thread</span>" in Client().get(CHAPTER).content.decode()
    Client().get("/books/test-book/chapters/2/")
    with django_capture_on_commit_callbacks(execute=True):
        thread_move(thread=thread, moderator=moderator, chapter=second)
    assert "1 open thread</span>" not in Client().get(CHAPTER).content.decode()
    assert "1 open thread</span>" in Client().get("/books/test-book/chapters/2/").content.decode()


def test_nothing_is_expired_by_a_write_that_rolls_back(
    chapter, editor, reviewer, django_capture_on_commit_callbacks
):
    before = Client().get(CHAPTER).content
    with django_capture_on_commit_callbacks(execute=False):  # never committed
        change_request_approve(
            change_request=propose_chapter_edit(editor, chapter, "Rolled back.\n"), reviewer=reviewer
        )
    assert Client().get(CHAPTER).content == before


def test_signed_in_readers_are_never_served_a_cached_page(chapter, client_for, reader):
    Client().get(CHAPTER)
    page = client_for(reader).get(CHAPTER).content.decode()
    assert "Log out" in page


def rendered_by_the_view(response) -> bool:
    # The test client lists the templates a response rendered: none for a cached page.
    return "notes/chapter_detail.html" in [template.name for template in response.templates]


def test_a_visitor_with_a_message_waiting_gets_the_page_from_the_view(chapter):
    Client().get(CHAPTER)
    client = Client()
    client.cookies["messages"] = "anything"
    response = client.get(CHAPTER)
    assert response.status_code == 200 and rendered_by_the_view(response)


def test_a_missing_chapter_is_not_cached_as_a_page(chapter):
    assert Client().get("/books/test-book/chapters/99/").status_code == 404  # not cached as a page
    assert Client().get("/books/test-book/chapters/99/").status_code == 404


def test_an_address_with_a_query_string_is_answered_by_the_view_and_not_kept(chapter):
    Client().get(CHAPTER)  # fills the cache
    for _ in range(2):
        response = Client().get(f"{CHAPTER}?anything=1")
        assert response.status_code == 200 and rendered_by_the_view(response)
    assert not rendered_by_the_view(Client().get(CHAPTER))  # the plain address is still cached


def test_keys_stay_short_and_expire_whatever_address_a_visitor_makes_up(chapter, monkeypatch):
    from django.core.cache import cache

    stored = []
    real_set_many, real_set = cache.set_many, cache.set

    def set_many(data, timeout=None, **kwargs):
        stored.extend((key, timeout) for key in data)
        return real_set_many(data, timeout, **kwargs)

    def set_(key, value, timeout=None, **kwargs):
        stored.append((key, timeout))
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set_many", set_many)
    monkeypatch.setattr(cache, "set", set_)
    long_slug = "a" * 5000
    assert Client().get(f"/books/{long_slug}/chapters/1/").status_code == 404
    assert Client().get(CHAPTER).status_code == 200
    assert stored, "the visits filed generations and a page"
    for key, timeout in stored:
        assert len(key) < 200, key[:80]  # memcached refuses keys over 250 characters
        assert timeout is not None, key  # a made-up address must not stay in the cache forever


def test_signed_in_readers_share_the_chapter_part_until_a_write_expires_it(
    chapter,
    client_for,
    reader,
    editor,
    reviewer,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client = client_for(reader)
    first = client.get(CHAPTER).content.decode()
    with django_assert_max_num_queries(6) as queries:  # session, user, roles, watching, counts
        again = client.get(CHAPTER).content.decode()
    assert not any("notes_chapter" in query["sql"] for query in queries.captured_queries)
    assert re.sub(r'value="[^"]+"', "", again) == re.sub(r'value="[^"]+"', "", first)  # but the CSRF token
    approve(
        propose_chapter_edit(editor, chapter, body="A freshly published paragraph."),
        reviewer,
        django_capture_on_commit_callbacks,
    )
    assert "A freshly published paragraph." in client.get(CHAPTER).content.decode()


def test_the_discuss_links_are_kept_apart_for_readers_who_may_not_discuss(chapter, client_for, reader):
    discuss = client_for(reader).get(CHAPTER).content.decode()
    anonymous = Client().get(CHAPTER).content.decode()
    assert "/discussion/new/" in discuss
    assert "/discussion/new/" not in anonymous
