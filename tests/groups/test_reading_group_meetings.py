"""Since our last meeting: a meeting's agenda and one cumulative diff per
chapter from the previous meeting to now, and "changes since <date>" for any chapter."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notes.models import Chapter, GroupMembership, Meeting
from notes.services.discussions import thread_resolve
from notes.services.groups import group_create, meeting_create, progress_mark
from notes.services.reviews import change_request_approve
from tests.factories import make_thread, make_user, propose_chapter_edit


def _meeting(group, moderator, starts_at, first=1, last=2):
    return meeting_create(
        group=group,
        actor=moderator,
        starts_at=starts_at,
        first_chapter=first,
        last_chapter=last,
        place_or_link="Room",
    )


def _edit(editor, reviewer, number: int, body: str, book):
    chapter = Chapter.objects.get(book=book, number=number)
    assert change_request_approve(
        change_request=propose_chapter_edit(editor, chapter, body), reviewer=reviewer
    ).published


@pytest.fixture
def meetings(club, moderator):
    """A meeting a minute ago (the previous one) and the next one in a week."""
    previous = _meeting(club, moderator, timezone.now() - datetime.timedelta(minutes=1))
    # History rows written from now on are after the previous meeting.
    Meeting.objects.filter(pk=previous.pk).update(starts_at=timezone.now())
    upcoming = _meeting(club, moderator, timezone.now() + datetime.timedelta(days=7))
    return previous, upcoming


def test_the_meeting_page_shows_one_cumulative_diff_since_the_previous_meeting(
    client_for, reader, editor, reviewer, book, meetings
):
    _, upcoming = meetings
    _edit(editor, reviewer, 1, "Notes for chapter 1.\nmiddle-words here.\nThe end.", book)
    _edit(editor, reviewer, 1, "Notes for chapter 1.\nfinal-words here.\nThe end.", book)
    html = client_for(reader).get(upcoming.get_absolute_url()).content.decode()
    change = html.split('id="change-1"')[1].split('id="change-2"')[0]
    assert "final-words" in change and "<ins" in change
    # From the previous meeting's text straight to now: the version in between is not a step.
    assert "middle-words" not in change
    assert "No changes since then." in html.split('id="change-2"')[1]


def test_the_agenda_lists_threads_started_and_resolved_since_and_the_open_ones(
    client_for, reader, editor, book, meetings
):
    _, upcoming = meetings
    progress_mark(user=reader, book=book, chapter_number=2)  # nothing folded for them
    chapter_one, chapter_three = book.chapters.get(number=1), book.chapters.get(number=3)
    old = make_thread(chapter=chapter_one, author=editor, title="Old open question")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    done = make_thread(chapter=chapter_one, author=editor, title="Settled since")
    thread_resolve(thread=done, actor=editor)
    make_thread(chapter=chapter_three, author=editor, title="Not on these chapters")
    html = client_for(reader).get(upcoming.get_absolute_url()).content.decode()
    open_part = html.split('id="open-heading"')[1].split('id="started-heading"')[0]
    started = html.split('id="started-heading"')[1].split('id="resolved-heading"')[0]
    resolved = html.split('id="resolved-heading"')[1].split("What changed")[0]
    assert "Old open question" in open_part and "Settled since" not in open_part
    assert "Settled since" in started and "Old open question" not in started
    assert "Settled since" in resolved
    assert "Not on these chapters" not in html


def test_the_first_meeting_compares_with_the_group_s_creation(client_for, reader, club, moderator, book):
    meeting = _meeting(club, moderator, timezone.now() + datetime.timedelta(days=1), first=2, last=2)
    html = client_for(reader).get(meeting.get_absolute_url()).content.decode()
    assert "the group started" in html and "No changes since then." in html


def test_a_private_group_s_meeting_is_404_for_outsiders(client_for, book, moderator, reader, editor):
    private = group_create(book=book, actor=moderator, name="Hidden", is_private=True, members=[reader])
    meeting = _meeting(private, moderator, timezone.now())
    assert client_for(editor).get(meeting.get_absolute_url()).status_code == 404
    assert client_for(reader).get(meeting.get_absolute_url()).status_code == 200
    assert client_for(reader).get("/groups/hidden/meetings/99999/").status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_meeting_page_runs_a_fixed_number_of_queries(
    client_for, reader, editor, club, moderator, book, meetings
):
    _, upcoming = meetings
    client = client_for(reader)
    client.get("/")  # the user's snapshot (roles, progress, watches, unseen count) is built once
    chapter = book.chapters.get(number=1)
    for index in range(2):
        make_thread(chapter=chapter, author=editor, title=f"Question {index}")
    small = _queries(client, upcoming.get_absolute_url())
    for index in range(20):
        make_thread(chapter=chapter, author=editor, title=f"More {index}")
        GroupMembership.objects.create(group=club, user=make_user(f"m{index}"))
        _meeting(club, moderator, timezone.now() - datetime.timedelta(days=index + 2))
    assert _queries(client, upcoming.get_absolute_url()) == small == MEETING_PAGE_QUERIES


# Session (the user with their roles, unread count and spoiler limits come from the cache);
# the group, membership, meeting, previous meeting, chapters, the history picks and rows, the agenda.
MEETING_PAGE_QUERIES = 9


def test_the_chapter_page_runs_the_same_queries_for_2_or_20_members_and_threads(
    client_for, reader, editor, club, book
):
    client = client_for(reader)
    chapter = book.chapters.get(number=1)
    make_thread(chapter=chapter, author=editor, title="One")
    cache.clear()  # the chapter's shared part is built again each time (see test_page_cache.py)
    small = _queries(client, "/books/test-book/chapters/1/")
    for index in range(20):
        make_thread(chapter=chapter, author=editor, title=f"T{index}")
        GroupMembership.objects.create(group=club, user=make_user(f"c{index}"))
    cache.clear()
    assert _queries(client, "/books/test-book/chapters/1/") == small


# --- Changes since a date --------------------------------------------------------------------


def test_changes_since_a_date_show_one_diff_to_now(client, editor, reviewer, book):
    _edit(editor, reviewer, 2, "Brand-new-sentence.", book)
    before = client.get("/books/test-book/chapters/2/since/?date=2000-01-01").content.decode()
    assert "did not exist yet" in before and "Brand-new-sentence" in before
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).date().isoformat()
    assert (
        "No changes since then."
        in client.get(f"/books/test-book/chapters/2/since/?date={tomorrow}").content.decode()
    )


def test_the_since_page_without_a_date_is_a_form(client, book):
    response = client.get("/books/test-book/chapters/2/since/")
    assert response.status_code == 200 and b'type="date"' in response.content


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "", "2026-02-30", "9" * 40])
def test_a_bad_date_is_400_with_a_message(client, book, value):
    response = client.get("/books/test-book/chapters/2/since/", {"date": value})
    assert response.status_code == 400
    assert b"YYYY-MM-DD" in response.content or b"This field is required." in response.content


def test_changes_since_for_a_missing_chapter_is_404(client, book):
    assert client.get("/books/test-book/chapters/99/since/?date=2020-01-01").status_code == 404


def test_the_agenda_folds_threads_past_the_member_s_progress(client_for, reader, editor, book, meetings):
    _, upcoming = meetings
    make_thread(chapter=book.chapters.get(number=2), author=editor, title="Chapter-two-secret")
    progress_mark(user=reader, book=book, chapter_number=1)
    html = client_for(reader).get(upcoming.get_absolute_url()).content.decode()
    assert "Chapter-two-secret" not in html and "1 thread on chapters you haven" in html
    assert "Chapter-two-secret" in client_for(editor).get(upcoming.get_absolute_url()).content.decode()
