"""Atom feeds per chapter (its published versions) and per thread (its readable comments),
linked from their pages, carrying user text safely."""

from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.services import moderation
from notes.services.discussions import comment_delete, comment_post
from notes.services.reviews import change_request_approve
from tests.factories import make_book, make_thread, propose_chapter_edit

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CHAPTER = "/books/test-book/chapters/1/"


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)


def entries(root):
    return root.findall(f"{ATOM}entry")


def test_the_chapter_feed_lists_its_published_versions_newest_first(client, chapter, editor, reviewer):
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.", summary="Clarified the intro")
    change_request_approve(change_request=request, reviewer=reviewer)
    root = feed(client, f"{CHAPTER}feed.atom")
    assert root.find(f"{ATOM}title").text == "Test Book, Chapter 1 - Chapter title 1: versions"
    titles = [entry.find(f"{ATOM}title").text for entry in entries(root)]
    assert titles == ["Clarified the intro", "Added notes for Chapter 1"]
    newest = entries(root)[0]
    history_id = chapter.history.order_by("-history_id").first().history_id
    assert newest.find(f"{ATOM}link").get("href").endswith(f"{CHAPTER}history/?version={history_id}")
    assert newest.find(f"{ATOM}author/{ATOM}name").text == "editor"


def test_the_chapter_feed_leaves_out_other_chapters_and_runs_fixed_queries(client, book, editor, reviewer):
    other = book.chapters.get(number=2)
    for index in range(3):
        request = propose_chapter_edit(
            editor, other, other.body + f"\nMore {index}.", summary=f"Other {index}"
        )
        change_request_approve(change_request=request, reviewer=reviewer)
        other.refresh_from_db()
    titles = [entry.find(f"{ATOM}title").text for entry in entries(feed(client, f"{CHAPTER}feed.atom"))]
    assert titles == ["Added notes for Chapter 1"]
    with CaptureQueriesContext(connection) as few:
        client.get(f"{CHAPTER}feed.atom")
    with CaptureQueriesContext(connection) as many:
        client.get("/books/test-book/chapters/2/feed.atom")
    assert len(few) == len(many)


def test_the_thread_feed_has_its_comments_but_no_hidden_or_deleted_one(
    client, chapter, reader, editor, moderator
):
    thread = make_thread(chapter=chapter, author=reader, title="Why columns?", body="First **comment**.")
    hidden = comment_post(thread=thread, author=editor, body="Spam link wave")
    moderation.comment_hide(comment=hidden, moderator=moderator, reason="Spam")
    deleted = comment_post(thread=thread, author=editor, body="Regretted words")
    comment_delete(comment=deleted, actor=editor)
    last = comment_post(thread=thread, author=editor, body="A <script>alert(1)</script> answer.")
    url = f"{thread.get_absolute_url()}feed.atom"
    response = client.get(url)
    assert b"Spam link wave" not in response.content and b"Regretted words" not in response.content
    root = feed(client, url)
    assert root.find(f"{ATOM}title").text == "Why columns?: discussion of Test Book, Chapter 1"
    shown = entries(root)
    assert [entry.find(f"{ATOM}link").get("href").rsplit("/", 2)[-2] for entry in shown] == [
        str(last.pk),
        str(thread.comments.get(path="000001").pk),
    ]
    # The summary is the sanitized HTML of the page, escaped for XML: a reader renders it.
    first = shown[1].find(f"{ATOM}summary")
    assert first.get("type") == "html" and first.text.strip() == "<p>First <strong>comment</strong>.</p>"
    assert "<script" not in shown[0].find(f"{ATOM}summary").text


def test_a_control_character_in_a_comment_does_not_break_the_thread_feed(client, chapter, reader):
    thread = make_thread(chapter=chapter, author=reader, title="Odd\x0btitle", body="Odd\x0btext\x1b here")
    root = feed(client, f"{thread.get_absolute_url()}feed.atom")
    assert "\ufffd" in entries(root)[0].find(f"{ATOM}summary").text


def test_a_moved_threads_feed_is_only_at_its_new_address(client, book, chapter, reader, moderator):
    thread = make_thread(chapter=chapter, author=reader)
    moderation.thread_move(
        thread=thread, moderator=moderator, chapter=book.chapters.get(number=2), reason="Fits"
    )
    assert client.get(f"{CHAPTER}discussion/{thread.pk}/feed.atom").status_code == 404
    assert client.get(f"/books/test-book/chapters/2/discussion/{thread.pk}/feed.atom").status_code == 200


def test_the_pages_link_their_feeds(client, chapter, reader):
    thread = make_thread(chapter=chapter, author=reader)
    chapter_html = client.get(CHAPTER).content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Versions of Chapter 1 - Chapter title 1" href="{CHAPTER}feed.atom">'
        in chapter_html
    )
    thread_html = client.get(thread.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Comments of A question" '
        f'href="{thread.get_absolute_url()}feed.atom">'
    ) in thread_html


def test_the_feeds_are_private_when_reading_is(client, settings, chapter, reader):
    settings.WIKI_PUBLIC_READ = False
    thread = make_thread(chapter=chapter, author=reader)
    for url in (f"{CHAPTER}feed.atom", f"{thread.get_absolute_url()}feed.atom"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_an_evil_book_title_is_escaped_in_the_chapter_feed(client, editor, reviewer):
    book = make_book(slug="evil", title='<img src=x onerror="alert(1)">', chapters=1)
    summaries = [
        entry.find(f"{ATOM}summary").text
        for entry in entries(feed(client, "/books/evil/chapters/1/feed.atom"))
    ]
    assert summaries and all("<img" not in text and "&lt;img" in text for text in summaries)
    assert book.pk
