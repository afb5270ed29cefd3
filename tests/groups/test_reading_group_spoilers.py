"""Spoiler-aware discussion: a reading group member never receives the
title, text or reply count of a thread on a chapter past their progress, until they ask."""

import pytest

from notes import permissions
from notes.models import Notification
from notes.services.discussions import comment_post
from notes.services.groups import group_create, progress_mark, spoilers_setting_update
from notes.services.watching import watch_add
from tests.factories import make_thread

TITLE = "Zanzibar-twist-revealed"
BODY = "the-butler-quietly-did-it"
REPLY = "a-reply-with-more-spoilers"


@pytest.fixture
def member(book, club, reader):
    progress_mark(user=reader, book=book, chapter_number=1)
    watch_add(user=reader, target=book)
    return reader


@pytest.fixture
def spoiler(book, member, editor):
    chapter = book.chapters.get(number=2)
    thread = make_thread(chapter=chapter, author=editor, title=TITLE, body=BODY)
    for number in range(3):
        comment_post(thread=thread, author=editor, body=f"{REPLY} {number}")
    thread.refresh_from_db()
    return thread


@pytest.fixture
def early(book, editor):
    return make_thread(
        chapter=book.chapters.get(number=1), author=editor, title="On chapter one", body="fine to read"
    )


def _urls(thread):
    return [
        "/books/test-book/",
        "/books/test-book/chapters/2/",
        "/books/test-book/chapters/2/discussion/",
        "/books/test-book/chapters/2/discussion/?filter=all",
        thread.get_absolute_url(),
        f"/discussion/comments/{thread.comments.first().pk}/",
        f"{thread.get_absolute_url()}feed.atom",
        # One word of each: the page repeats the query, which is the searcher's own words.
        "/search/?q=zanzibar",
        "/search/?q=butler",
        "/search/?q=spoilers&kind=comment",
        "/notifications/",
        "/users/editor/",
        "/recent/",
        "/recent/feed.atom",
        "/books/test-book/chapters/2/feed.atom",
    ]


def _leaks(response, thread) -> list[str]:
    content = response.content
    # Search marks the words it found (<mark>zanzibar</mark>), so parts unsearched count too.
    texts = (TITLE, BODY, REPLY, "twist-revealed", "quietly-did-it", "reply-with-more")
    found = [text for text in texts if text.encode() in content]
    if f"{thread.comment_count} comment".encode() in content:
        found.append("the reply count")
    return found


def test_a_member_receives_nothing_of_a_thread_past_their_progress(client_for, member, spoiler, early):
    client = client_for(member)
    assert Notification.objects.filter(recipient=member, thread=spoiler).exists()
    for url in _urls(spoiler):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        assert _leaks(response, spoiler) == [], url


def test_the_lists_say_how_many_threads_are_folded(client_for, member, spoiler, early):
    client = client_for(member)
    listing = client.get("/books/test-book/chapters/2/discussion/").content.decode()
    assert (
        "1 thread on chapters you haven&#x27;t read" in listing
        or "1 thread on chapters you haven't read" in listing
    )
    assert "chapters you haven" in client.get("/books/test-book/chapters/2/").content.decode()
    assert "On chapter one" in client.get("/books/test-book/chapters/1/discussion/").content.decode()


def test_opening_a_folded_thread_asks_first_and_shows_it_when_asked(client_for, member, spoiler):
    client = client_for(member)
    gate = client.get(spoiler.get_absolute_url()).content.decode()
    assert "This thread is on chapter 2, beyond your progress (chapter 1). Show it anyway?" in gate
    shown = client.get(f"{spoiler.get_absolute_url()}?spoilers=show")
    assert _leaks(shown, spoiler) != []
    listing = client.get("/books/test-book/chapters/2/discussion/?spoilers=show")
    assert TITLE.encode() in listing.content


def test_reading_further_unfolds_the_thread(client_for, member, spoiler, book):
    progress_mark(user=member, book=book, chapter_number=2)
    response = client_for(member).get("/books/test-book/chapters/2/discussion/")
    assert TITLE.encode() in response.content


def test_the_setting_turns_folding_off(client_for, member, spoiler):
    client = client_for(member)
    response = client.post("/groups/settings/spoilers/", {"show_spoilers": "on", "next": "/groups/club/"})
    assert response.status_code == 302 and response["Location"] == "/groups/club/"
    for url in ("/books/test-book/chapters/2/discussion/", "/notifications/", "/search/?q=zanzibar"):
        assert b"twist-revealed" in client.get(url).content, url
    spoilers_setting_update(user=member, show_spoilers=False)
    assert TITLE.encode() not in client_for(member).get("/books/test-book/chapters/2/discussion/").content


def test_non_members_see_everything_as_before(client, client_for, spoiler, editor, outsider):
    for who in (client, client_for(outsider), client_for(editor)):
        assert TITLE.encode() in who.get("/books/test-book/chapters/2/discussion/").content
        assert TITLE.encode() in who.get(spoiler.get_absolute_url()).content
        assert b"twist-revealed" in who.get("/search/?q=zanzibar").content


def test_the_limit_is_the_highest_progress_over_the_books_groups_in_one_query(
    book, member, moderator, django_assert_num_queries
):
    other = group_create(book=book, actor=moderator, name="Second club", members=[member])
    other.memberships.filter(user=member).update(progress=3)
    member = type(member).objects.get(pk=member.pk)
    with django_assert_num_queries(1):
        assert permissions.spoiler_limit(member, book.pk) == 3
        assert permissions.is_spoiler(member, book_id=book.pk, chapter_number=3) is False
        assert permissions.is_spoiler(member, book_id=book.pk + 1, chapter_number=99) is False


def test_a_quote_thread_past_the_members_progress_is_neither_highlighted_nor_named(
    client, client_for, book, member, editor, reviewer, django_capture_on_commit_callbacks
):
    from notes.forms.discussions import QuoteSelection
    from notes.lib.quotes import plain_text
    from notes.services.discussions import thread_start
    from notes.services.reviews import change_request_approve
    from tests.factories import propose_chapter_edit

    chapter = book.chapters.get(number=2)
    words = plain_text(chapter.body_html).split(" ")
    exact = " ".join(words[:4])
    thread_start(
        chapter=chapter,
        author=editor,
        title=TITLE,
        body=BODY,
        quote=QuoteSelection(exact=exact, prefix="", suffix="", start=None),
    )
    other = make_thread(chapter=chapter, author=editor, title="Zanzibar-orphan-to-be", body=BODY)
    assert other  # an ordinary thread beside the quote thread
    # Everyone else sees the quote highlighted, which fills the shared cached part first.
    assert 'data-quotes="[]"' not in client.get("/books/test-book/chapters/2/").content.decode()
    page = client_for(member).get("/books/test-book/chapters/2/").content.decode()
    assert TITLE not in page and "Zanzibar" not in page
    assert 'data-quotes="[]"' in page  # no passage to highlight, so no link to the thread
    assert "on chapters you haven" in page
    # The quoted words gone: the thread is orphaned, listed by title for everyone else only.
    request = propose_chapter_edit(editor, chapter, "Entirely new words about something else.")
    with django_capture_on_commit_callbacks(execute=True):  # expires the cached parts
        assert change_request_approve(change_request=request, reviewer=reviewer).published
    assert TITLE in client_for(editor).get("/books/test-book/chapters/2/").content.decode()
    assert TITLE not in client_for(member).get("/books/test-book/chapters/2/").content.decode()
