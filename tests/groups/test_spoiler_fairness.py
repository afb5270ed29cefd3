"""Spoiler folding is fair: it is something a member asks for by giving their progress, and
it never hides a thread they are part of (started, replied to, mentioned in)."""

import pytest

from notes import permissions
from notes.models import GroupMembership
from notes.selectors.discussions import involved_thread_ids
from notes.services.discussions import comment_post
from notes.services.groups import progress_mark
from tests.factories import make_thread, make_user

TITLE = "Quixotic-lighthouse-ending"
GATE = "beyond your progress"


@pytest.fixture
def stranger(db):
    return make_user("stranger", role="Editor")


def _thread(book, *, number: int, author, title: str = TITLE, body: str = "What happens?"):
    return make_thread(chapter=book.chapters.get(number=number), author=author, title=title, body=body)


def _is_folded_for(user, thread) -> bool:
    involved = thread.pk in involved_thread_ids(user=user, thread_ids=[thread.pk])
    return permissions.thread_folded(user, thread, query={}, is_involved=involved)


def _progress(book, reader, progress):
    if progress == "not given":
        return
    if progress == "not in a group":
        GroupMembership.objects.filter(user=reader).delete()
        return
    progress_mark(user=reader, book=book, chapter_number=progress)


# progress, the thread's chapter, how the member is part of it, folded?
RULES = [
    ("not in a group", 3, "none", False),
    ("not given", 3, "none", False),
    (0, 1, "none", True),
    (1, 1, "none", False),
    (1, 3, "none", True),
    (1, 3, "started", False),
    (1, 3, "replied", False),
    (1, 3, "mentioned", False),
    (3, 3, "none", False),
]


@pytest.mark.parametrize(("progress", "number", "part", "is_folded"), RULES)
def test_the_spoiler_rules_table(book, club, reader, stranger, progress, number, part, is_folded):
    _progress(book, reader, progress)
    author = reader if part == "started" else stranger
    body = "@reader what do you think?" if part == "mentioned" else "What happens?"
    thread = _thread(book, number=number, author=author, body=body)
    if part == "replied":
        comment_post(thread=thread, author=reader, body="I think the keeper did it.")
    assert _is_folded_for(reader, thread) is is_folded


def test_a_member_who_never_gave_a_progress_reads_every_thread(client_for, book, club, reader, stranger):
    thread = _thread(book, number=3, author=stranger)
    page = client_for(reader).get(thread.get_absolute_url()).content.decode()
    assert TITLE in page and GATE not in page
    assert permissions.spoiler_limits(reader) == {}


def test_a_member_who_gave_a_progress_is_asked_first(client_for, book, club, reader, stranger):
    progress_mark(user=reader, book=book, chapter_number=1)
    thread = _thread(book, number=3, author=stranger)
    page = client_for(reader).get(thread.get_absolute_url()).content.decode()
    assert GATE in page and TITLE not in page


def test_the_members_own_thread_past_their_progress_opens_and_is_listed_on_the_gate(
    client_for, book, club, reader, stranger
):
    progress_mark(user=reader, book=book, chapter_number=1)
    own = _thread(book, number=3, author=reader, title="My-own-question")
    _thread(book, number=3, author=stranger)
    client = client_for(reader)
    assert "My-own-question" in client.get(own.get_absolute_url()).content.decode()
    gate = client.get("/books/test-book/chapters/3/discussion/").content.decode()
    # The stranger's thread is counted, never named; hers is linked.
    assert "1 thread on chapters you haven" in gate
    assert TITLE not in gate
    assert f'href="{own.get_absolute_url()}"' in gate


def test_a_mention_past_the_progress_still_says_where_it_is(client_for, book, club, reader, stranger):
    progress_mark(user=reader, book=book, chapter_number=1)
    thread = _thread(book, number=3, author=stranger, body="@reader look at this")
    page = client_for(reader).get("/notifications/").content.decode()
    first = thread.comments.first()
    assert f'<a href="/discussion/comments/{first.pk}/">{TITLE}</a>' in page
    assert "Test Book, Chapter 3" in page


def test_a_reply_notification_from_a_strangers_thread_stays_folded_until_she_is_in_it(
    client_for, book, club, reader, stranger, editor
):
    from notes.services.watching import watch_add

    progress_mark(user=reader, book=book, chapter_number=1)
    watch_add(user=reader, target=book)
    _thread(book, number=3, author=stranger)
    assert TITLE not in client_for(reader).get("/notifications/").content.decode()


def test_searching_her_own_threads_title_finds_it_and_a_strangers_stays_out(
    client_for, book, club, reader, stranger
):
    progress_mark(user=reader, book=book, chapter_number=1)
    _thread(book, number=3, author=reader, title="Marmalade-harbour question")
    _thread(book, number=3, author=stranger, title="Marmalade-harbour spoiler")
    page = client_for(reader).get("/search/?q=marmalade&kind=thread").content.decode()
    assert "question" in page
    assert "spoiler</" not in page and "Marmalade-harbour spoiler" not in page


def test_searching_a_thread_she_replied_in_finds_its_comments(client_for, book, club, reader, stranger):
    progress_mark(user=reader, book=book, chapter_number=1)
    thread = _thread(book, number=3, author=stranger, body="Tangerine-comet first post")
    comment_post(thread=thread, author=reader, body="my answer")
    page = client_for(reader).get("/search/?q=tangerine&kind=comment").content.decode()
    assert f'href="/discussion/comments/{thread.comments.first().pk}/"' in page
