"""A reader watches a chapter, an editor's change to it is approved, the reader sees the
count in the nav, opens the list (the count clears) and unwatches from the notification.

With SCREENSHOTS=<folder> in the environment it also saves the notifications and the
settings pages at 390 and 1280 px wide there, to look at.
"""

import os
import pathlib

import pytest

from notes.models import Watch
from tests.factories import make_book, make_thread, make_user, propose_chapter_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_follows_a_chapter_from_watch_to_unwatch(live_server, new_page, log_in):
    book = make_book(slug="follow-book", title="Follow Book", chapters=2, tables=1)
    chapter = book.chapters.get(number=1)
    reader = make_user("reader", role="Reader")
    editor = make_user("editor", role="Editor")
    make_user("reviewer", role="Reviewer")

    page = new_page()
    log_in(page, "reader")
    page.goto(f"{live_server.url}/books/follow-book/chapters/1/")
    # The keyboard reaches the button and presses it.
    page.focus("button.watch-button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "You now watch the chapter" in page.locator(".messages").inner_text()
    assert page.locator("button.watch-button").get_attribute("aria-pressed") == "true"
    assert page.locator(".nav .badge").count() == 0
    _screenshots(page, "chapter")

    request = propose_chapter_edit(
        editor, chapter, chapter.body + "\n\nA new paragraph.", summary="Added a paragraph"
    )
    reviewer_page = new_page()
    log_in(reviewer_page, "reviewer")
    reviewer_page.goto(f"{live_server.url}/reviews/{request.pk}/")
    reviewer_page.click("text=Approve and publish")
    assert "Approved and published." in reviewer_page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}/books/follow-book/")
    assert page.locator(".nav .badge").inner_text() == "1"
    page.click(".nav >> text=Notifications")
    page.wait_for_url("**/notifications/")
    assert page.locator(".nav .badge").count() == 0  # seen: the count clears
    item = page.locator("li.notification").first
    assert "reviewer published a new version of Chapter 1" in " ".join(item.inner_text().split())
    assert "Added a paragraph" in item.inner_text()
    assert page.locator("h2.day-heading").first.inner_text().lower() == "today"
    _screenshots(page, "notifications")

    page.goto(f"{live_server.url}/books/follow-book/")
    assert page.locator(".nav .badge").count() == 0  # stays cleared on other pages
    page.goto(f"{live_server.url}/notifications/")
    page.locator("li.notification").first.locator("button", has_text="Unwatch chapter").click()
    page.wait_for_url("**/notifications/")
    assert "You no longer watch the chapter" in page.locator(".messages").inner_text()
    assert page.locator("li.notification button", has_text="Unwatch").count() == 0
    assert not Watch.objects.filter(user=reader).exists()

    page.goto(f"{live_server.url}/notifications/settings/")
    page.check("input[value=daily]")
    page.click("text=Save")
    assert "Your e-mail settings are saved." in page.locator(".messages").inner_text()
    assert page.is_checked("input[value=daily]")
    page.goto(f"{live_server.url}/books/follow-book/")
    page.click("button.watch-button")  # something to show in the list
    page.goto(f"{live_server.url}/notifications/settings/")
    _screenshots(page, "settings")

    thread = make_thread(chapter=chapter, author=editor, title="Where do features live?")
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    assert "You watch its book, which covers it." in page.locator(".watch-form").inner_text()
    _screenshots(page, "thread")


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
