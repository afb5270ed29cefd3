"""A reading group's story in one run, in Chromium: a group with a meeting on chapters 1-2; a member
at chapter 1 sees chapter 2's thread folded; another member selects a sentence in chapter 3
and starts a quote thread; an editor's change rewriting the text before that sentence is
approved and the quote is still highlighted on the right words; a second change deletes the
sentence and the thread shows as orphaned with its quote; the meeting page shows the
cumulative diff since the previous meeting."""

import datetime

import pytest
from django.utils import timezone

from notes.models import Chapter, Meeting
from notes.services.groups import group_create, meeting_create, progress_mark
from tests.browser.test_quotes import BEFORE, REWRITTEN, SELECT, SENTENCE, approve_edit, marked_text
from tests.factories import import_seed, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLDED_TITLE = "Why chapter two changes everything"
ADDED = "A line the team added after the last meeting."


def test_a_reading_group_meets_discusses_a_quote_and_sees_what_changed(live_server, new_page, log_in):
    book = import_seed()
    ana, mia = make_user("ana", role="Reader"), make_user("mia", role="Reader")
    editor, moderator = make_user("eddie", role="Editor"), make_user("mo", role="Moderator")
    group = group_create(book=book, actor=moderator, name="ML club", members=[ana, mia])
    previous = meeting_create(
        group=group, actor=moderator, starts_at=timezone.now(), first_chapter=1, last_chapter=1
    )
    Meeting.objects.filter(pk=previous.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=1))
    meeting = meeting_create(
        group=group,
        actor=moderator,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        first_chapter=1,
        last_chapter=2,
        place_or_link="Room 4",
    )
    progress_mark(user=ana, book=book, chapter_number=1)
    progress_mark(user=mia, book=book, chapter_number=3)
    make_thread(chapter=book.chapters.get(number=2), author=editor, title=FOLDED_TITLE, body="Spoilers.")
    base = f"{live_server.url}/books/designing-ml-systems/chapters"

    # Ana, at chapter 1: chapter 2's thread is folded, its title nowhere on the page.
    ana_page = new_page()
    log_in(ana_page, "ana")
    ana_page.goto(f"{base}/2/discussion/")
    assert "1 thread on chapters you haven't read" in ana_page.locator("main").inner_text()
    assert FOLDED_TITLE not in ana_page.content()

    # Mia selects a sentence of chapter 3 and starts a thread on it, from the keyboard.
    mia_page = new_page()
    log_in(mia_page, "mia")
    mia_page.goto(f"{base}/3/")
    assert mia_page.evaluate(SELECT, SENTENCE)
    mia_page.locator(".quote-tools a.quote-discuss").wait_for(state="visible")
    mia_page.keyboard.press("Tab")
    mia_page.keyboard.press("Enter")
    mia_page.wait_for_url("**/chapters/3/discussion/new/?quote_exact=*")
    mia_page.fill("input[name=title]", "Are logs well-formatted?")
    mia_page.fill("textarea[name=body]", "Ours are not.")
    mia_page.click("button:text-is('Start thread')")
    mia_page.wait_for_url("**/chapters/3/discussion/*/")

    # An edit rewriting the line before the sentence is approved: same words highlighted.
    chapter_3 = Chapter.objects.get(book=book, number=3)
    approve_edit(chapter_3.pk, BEFORE, REWRITTEN)
    mia_page.goto(f"{base}/3/")
    assert marked_text(mia_page) == [SENTENCE]
    # A second edit deletes the sentence: the thread stays, orphaned, with its quote.
    approve_edit(chapter_3.pk, f"- {SENTENCE}\n", "")
    mia_page.goto(f"{base}/3/")
    assert marked_text(mia_page) == []
    orphaned = mia_page.locator("section.orphaned-quotes")
    assert orphaned.locator("blockquote").inner_text() == SENTENCE
    assert "Are logs well-formatted?" in orphaned.inner_text()

    # Chapter 2 changes after the previous meeting: the meeting page shows it in one diff.
    chapter_2 = Chapter.objects.get(book=book, number=2)
    approve_edit(chapter_2.pk, chapter_2.body, chapter_2.body.rstrip("\n") + f"\n\n{ADDED}\n")
    ana_page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    diff = ana_page.locator("#change-2").locator("xpath=..")
    assert ADDED in diff.locator(".inline-diff").inner_text()
    assert diff.locator(".inline-diff ins").count() >= 1
    for width in (390, 1280):
        ana_page.set_viewport_size({"width": width, "height": 900})
        assert ana_page.evaluate("document.documentElement.scrollWidth") <= width
