"""A member selects a sentence of chapter 3 and starts a thread on it from the keyboard; an
approved edit rewrites the text before it and the highlight stays on the same words; a
second approved edit deletes the sentence and the thread shows as orphaned, with its quote."""

import os
from pathlib import Path

import pytest

from notes.models import Chapter, QuoteAnchor, Thread
from notes.services.reviews import change_request_approve
from tests.factories import import_seed, make_user, propose_chapter_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "Often well-formatted data and useful for debugging the system and applications."
BEFORE = "- Includes logs, application outputs, model predictions etc."
REWRITTEN = "- Covers logs of every service, the outputs of applications and the predictions our models make."
WIDTHS = (390, 1280)

SELECT = """(sentence) => {
  const root = document.getElementById("chapter-text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(sentence);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + sentence.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }
  return false;
}"""


def approve_edit(chapter_id: int, old: str, new: str) -> None:
    chapter = Chapter.objects.get(pk=chapter_id)
    assert old in chapter.body
    request = propose_chapter_edit(make_user(role="Editor"), chapter, chapter.body.replace(old, new))
    assert change_request_approve(change_request=request, reviewer=make_user(role="Reviewer")).published


def marked_text(page) -> list[str]:
    return page.locator("#chapter-text mark.quote").all_inner_texts()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shoot(page, folder: Path, name: str) -> None:
    """Check the page fits each width without scrolling sideways, and keep a screenshot
    (in ``QUOTE_SHOTS`` when set, to look at; in the test's own folder otherwise)."""
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert fits(page), f"{name} scrolls sideways at {width} px"
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=width == 390)


def test_a_quote_thread_survives_an_edit_before_it_and_is_orphaned_when_its_sentence_goes(
    live_server, new_page, log_in, tmp_path
):
    shots = Path(os.environ.get("QUOTE_SHOTS") or tmp_path)
    book = import_seed()
    chapter = book.chapters.get(number=3)
    make_user("mia", role="Reader")
    chapter_url = f"{live_server.url}/books/designing-ml-systems/chapters/3/"

    # Mia selects the sentence; the floating button appears and the keyboard reaches it.
    mia = new_page()
    log_in(mia, "mia")
    mia.goto(chapter_url)
    assert mia.evaluate(SELECT, SENTENCE)
    button = mia.locator(".quote-tools a.quote-discuss")
    button.wait_for(state="visible")
    shoot(mia, shots, "quote-selected")
    mia.set_viewport_size({"width": 1280, "height": 900})
    # Tab right after the selection reaches the button; so does Alt+Shift+Q.
    mia.keyboard.press("Tab")
    assert mia.evaluate("document.activeElement.classList.contains('quote-discuss')")
    mia.locator("#chapter-text li", has_text=SENTENCE).click(click_count=3)  # a selection by mouse
    button.wait_for(state="visible")
    mia.keyboard.press("Alt+Shift+Q")
    assert mia.evaluate("document.activeElement.classList.contains('quote-discuss')")
    mia.keyboard.press("Enter")
    mia.wait_for_url("**/chapters/3/discussion/new/?quote_exact=*")
    assert mia.locator("blockquote.quoted-passage").inner_text() == SENTENCE
    assert mia.locator("input[name=quote_exact]").get_attribute("value") == SENTENCE
    mia.fill("input[name=title]", "Well-formatted, always?")
    mia.fill("textarea[name=body]", "Are system logs really *well-formatted*?")
    shoot(mia, shots, "quote-start-form")
    mia.click("button:text-is('Start thread')")
    mia.wait_for_url("**/chapters/3/discussion/*/")
    thread_url = mia.url
    assert mia.locator(".thread-quote blockquote").inner_text() == SENTENCE

    # The chapter highlights the sentence with its thread count, which links to the thread.
    mia.goto(chapter_url)
    assert marked_text(mia) == [SENTENCE]
    badge = mia.locator("#chapter-text a.quote-threads")
    assert badge.inner_text() == "1" and thread_url.endswith(badge.get_attribute("href"))
    badge.focus()
    shoot(mia, shots, "quote-highlighted")

    # An approved edit rewrites the line before the sentence: still the same words.
    anchor = QuoteAnchor.objects.get(thread=Thread.objects.get(title="Well-formatted, always?"))
    old_start = anchor.start
    approve_edit(chapter.pk, BEFORE, REWRITTEN)
    anchor.refresh_from_db()
    assert anchor.status == QuoteAnchor.Status.ANCHORED and anchor.start != old_start
    mia.goto(chapter_url)
    assert marked_text(mia) == [SENTENCE]
    assert "the predictions our models make" in mia.locator("#chapter-text").inner_text()
    assert mia.locator(".orphaned-quotes").count() == 0

    # A second approved edit deletes the sentence: the thread stays, orphaned, with its quote.
    approve_edit(chapter.pk, f"- {SENTENCE}\n", "")
    mia.goto(chapter_url)
    assert marked_text(mia) == []
    orphaned = mia.locator("section.orphaned-quotes")
    assert orphaned.locator("h2").inner_text() == "Orphaned quotes"
    assert orphaned.locator("blockquote").inner_text() == SENTENCE
    assert "quoted from version 1" in orphaned.inner_text()
    assert mia.locator("a.orphaned-link").inner_text() == "1 orphaned quote"
    orphaned.scroll_into_view_if_needed()
    shoot(mia, shots, "quote-orphaned-chapter")
    orphaned.locator("a", has_text="Well-formatted, always?").click()
    mia.wait_for_url(thread_url)
    assert "This passage is no longer in the chapter" in mia.locator(".thread-quote").inner_text()
    assert mia.locator(".thread-quote blockquote").inner_text() == SENTENCE
    shoot(mia, shots, "quote-orphaned-thread")
