"""A reading group reads together: a meeting on chapters 1-2; a member at chapter 1 finds
chapter 2's thread folded (chapter list and book page), marks their progress to chapter 2
and sees it; an edit is approved and the meeting page shows the cumulative diff since the
previous meeting. Each page fits 390 and 1280 px; SCREENSHOTS=<folder> saves them.
"""

import datetime
import os
import pathlib

import pytest
from django.utils import timezone

from notes.models import Meeting
from notes.services.groups import group_create, meeting_create, progress_mark
from notes.services.reviews import change_request_approve
from tests.factories import make_book, make_thread, make_user, propose_chapter_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "What the ending of chapter two means"


def test_a_member_reads_along_with_the_group(live_server, new_page, log_in):
    book = make_book(slug="club-book", title="Club Book", chapters=3)
    member = make_user("member", role="Reader")
    editor = make_user("editor", role="Editor")
    reviewer = make_user("reviewer", role="Reviewer")
    moderator = make_user("moderator", role="Moderator")
    group = group_create(
        book=book,
        actor=moderator,
        name="Thursday club",
        description="We meet weekly.",
        members=[member, editor],
    )
    previous = meeting_create(
        group=group,
        actor=moderator,
        starts_at=timezone.now(),
        first_chapter=1,
        last_chapter=1,
        place_or_link="Café",
    )
    Meeting.objects.filter(pk=previous.pk).update(starts_at=timezone.now())
    meeting = meeting_create(
        group=group,
        actor=moderator,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        first_chapter=1,
        last_chapter=2,
        place_or_link="https://meet.example.com/thursday-club",
    )
    progress_mark(user=member, book=book, chapter_number=1)
    make_thread(chapter=book.chapters.get(number=2), author=editor, title=TITLE, body="The twist explained.")

    page = new_page()
    log_in(page, "member")
    page.goto(f"{live_server.url}/books/club-book/chapters/2/discussion/")
    assert "1 thread on chapters you haven't read" in page.locator("main").inner_text()
    assert TITLE not in page.content()
    _screenshots(page, "folded-list")
    page.goto(f"{live_server.url}/books/club-book/")
    assert "on chapters you haven't read" in page.locator("ol.chapters").inner_text()
    assert TITLE not in page.content()

    # Progress, marked from the chapter page with the keyboard.
    page.goto(f"{live_server.url}/books/club-book/chapters/2/")
    page.fill("#progress-chapter-chapter", "2")
    page.focus(".chapter-progress button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "read up to chapter 2" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/books/club-book/chapters/2/discussion/")
    assert page.locator(".thread-title", has_text=TITLE).is_visible()

    page.goto(f"{live_server.url}/groups/thursday-club/")
    row = page.locator("table.members tr.me")
    assert "Chapter 2" in row.inner_text()
    assert "meet.example.com/thursday-club" in page.locator(".next-meeting").inner_text()
    _screenshots(page, "group")

    # An edit approved after the previous meeting: the meeting page shows it in one diff.
    chapter = book.chapters.get(number=1)
    change = propose_chapter_edit(
        editor, chapter, "Notes for chapter 1.\nA sentence added after we met.\nThe end."
    )
    assert change_request_approve(change_request=change, reviewer=reviewer).published
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    diff = page.locator("#change-1").locator("xpath=..")
    assert "A sentence added after we met." in diff.locator(".inline-diff").inner_text()
    assert diff.locator(".inline-diff ins").count() >= 1
    _screenshots(page, "meeting")


def _screenshots(page, name: str) -> None:
    """The page fits 390 and 1280 px (nothing sticks out sideways); saved when asked."""
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        if folder:
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})
