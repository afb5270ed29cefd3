"""Publishing part of a change, by keyboard in Chromium.

An editor changes three sentences of a chapter and one cell of its table. The model keeps
a chapter's text and each of its tables apart (a request edits one of them), so this is
two requests by one editor: one of three sentences, one of one cell. The reviewer ticks
two sentences and the cell with the keyboard, sees the count and the rendered preview, and
publishes; the chapter shows them; the text request stays open holding one hunk; the
editor revises it; the reviewer approves it; the chapter's history shows two versions from
that request, the first marked partial. Pages fit 390 and 1280 px and are axe-clean.
"""

import os
from pathlib import Path

import pytest

from notes.models import ChangeRequest, Chapter, ComparisonTable
from notes.selectors.reviews import proposed_changes
from notes.services.history import chapter_render, save_rendering, save_version, table_render
from notes.services.reviews import change_request_create
from tests.browser.checks import axe_violations, fits
from tests.factories import make_book, make_user, propose_chapter_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 390, "height": 844}, {"width": 1280, "height": 800}]

BODY = (
    "Data drifts after deployment.\n\n"
    "Monitoring catches it late.\n\n"
    "[[table:formats]]\n\n"
    "Retraining costs time.\n"
)
PROPOSED = (
    "Data distributions drift after deployment.\n\n"
    "Monitoring often catches it too late.\n\n"
    "[[table:formats]]\n\n"
    "Retraining costs time and money.\n"
)


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("CW_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _press(page, selector: str, key: str = "Enter"):
    page.locator(selector).focus()
    with page.expect_navigation():
        page.keyboard.press(key)


def _tick(page, label: str):
    """Tick the change named ``label`` with the keyboard: focus its box, press Space."""
    box = page.locator(".part-change", has_text=label).locator("input[type=checkbox]")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()


def _look(page, shots: Path, name: str):
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        assert fits(page), f"{name} is wider than {viewport['width']} px"
        page.screenshot(path=str(shots / f"{name}-{viewport['width']}.png"), full_page=True)
        assert axe_violations(page) == []


def _world():
    book = make_book(slug="ml-systems", title="ML Systems")
    chapter = Chapter(book=book, number=1, title="Monitoring", body=BODY)
    chapter_render(chapter, tables=[])
    save_version(chapter, summary="Added notes for Chapter 1")
    table = ComparisonTable(
        chapter=chapter,
        slug="formats",
        title="Drift kinds",
        headers=["Kind", "Detected by"],
        rows=[["Covariate", "input statistics"], ["Label", "ground truth"]],
    )
    table_render(table)
    save_version(table)
    chapter_render(chapter)
    save_rendering(chapter, "body_html", "contents")
    editor = make_user("editor", role="Editor")
    make_user("reviewer", role="Reviewer")
    text_request = propose_chapter_edit(editor, chapter, PROPOSED, "Sharper monitoring notes")
    cell_request = change_request_create(
        author=editor,
        book=book,
        chapter=chapter,
        table=table,
        kind=ChangeRequest.Kind.TABLE_EDIT,
        summary="Label drift needs delayed labels",
        content={
            "title": table.title,
            "headers": table.headers,
            "rows": [["Covariate", "input statistics"], ["Label", "delayed ground truth"]],
        },
        submit=True,
    )
    return chapter, text_request, cell_request


def test_by_keyboard_a_reviewer_publishes_two_sentences_and_a_cell_and_the_rest_is_approved_after_a_revision(
    browser, live_server, log_in, shots
):
    chapter, text_request, cell_request = _world()
    assert len(proposed_changes(text_request).changes) == 3
    reviewer = browser.new_context(viewport=VIEWPORTS[1]).new_page()
    editor = browser.new_context(viewport=VIEWPORTS[1]).new_page()
    log_in(reviewer, "reviewer")
    log_in(editor, "editor")
    text_url = f"{live_server.url}/reviews/{text_request.pk}/"

    # The reviewer ticks the first two sentences; the count follows the ticks.
    reviewer.goto(text_url)
    part = reviewer.locator("section.part")
    assert part.locator(".part-count").inner_text() == "0 of 3 changes selected"
    _tick(reviewer, "Change 1: line 1")
    _tick(reviewer, "Change 2: line 3")
    assert part.locator(".part-count").inner_text() == "2 of 3 changes selected"
    _look(reviewer, shots, "part-request")
    reviewer.set_viewport_size(VIEWPORTS[1])
    reviewer.keyboard.press("Tab")  # past the third box
    reviewer.keyboard.press("Tab")
    assert reviewer.evaluate("document.activeElement.textContent") == "Preview the selected changes"
    with reviewer.expect_navigation():
        reviewer.keyboard.press("Enter")

    # The preview: the count and the page as it will read, then publish.
    assert "2 of 3 changes selected." in reviewer.locator(".part-summary").inner_text()
    preview = reviewer.locator(".part-preview .prose").inner_text()
    assert "Data distributions drift after deployment." in preview
    assert "Monitoring often catches it too late." in preview
    assert "Retraining costs time." in preview and "time and money" not in preview
    _look(reviewer, shots, "part-preview")
    reviewer.set_viewport_size(VIEWPORTS[1])
    _press(reviewer, "button:text-is('Publish the selected changes')")
    assert (
        "Published 2 of 3 changes; the other 1 remains for review."
        in reviewer.locator(".messages").inner_text()
    )

    # The cell: its one change ticked, previewed and published (every change: the whole request).
    reviewer.goto(f"{live_server.url}/reviews/{cell_request.pk}/")
    _tick(reviewer, "Cell “Label” / “Detected by” changed")
    assert reviewer.locator(".part-count").inner_text() == "1 of 1 changes selected"
    _press(reviewer, "button:text-is('Preview the selected changes')")
    assert "delayed ground truth" in reviewer.locator(".part-preview").inner_text()
    _press(reviewer, "button:text-is('Publish the selected changes')")
    assert "Approved and published." in reviewer.locator(".messages").inner_text()

    # The chapter shows both sentences and the cell, and not the third sentence yet.
    reviewer.goto(f"{live_server.url}/books/ml-systems/chapters/1/")
    text = reviewer.locator("main").inner_text()
    assert "Data distributions drift after deployment." in text
    assert "Monitoring often catches it too late." in text
    assert "delayed ground truth" in text
    assert "time and money" not in text

    # The text request is open with one hunk; the editor was told and revises it.
    editor.goto(f"{live_server.url}/notifications/")
    assert "2 of your 3 changes were published; 1 remains for review." in editor.locator("main").inner_text()
    editor.goto(text_url)
    assert editor.locator(".status").inner_text() == "Submitted"
    text_request.refresh_from_db()
    assert [change.label for change in proposed_changes(text_request).changes] == ["Change 1: line 7"]
    _press(editor, "a:text-is('Amend')")
    body = editor.locator("textarea[name=body]")
    body.focus()
    editor.keyboard.press("Control+End")
    editor.keyboard.press("Backspace")  # the final newline
    editor.keyboard.press("Backspace")  # the full stop
    editor.keyboard.type(", money and attention.")
    _press(editor, "button[value=submit]")

    # The reviewer approves what remains, whole.
    reviewer.goto(text_url)
    assert reviewer.locator(".part-count").inner_text() == "0 of 1 changes selected"
    _press(reviewer, "button:text-is('Approve and publish')")
    assert "Approved and published." in reviewer.locator(".messages").inner_text()
    chapter.refresh_from_db()
    assert "Retraining costs time and money, money and attention." in chapter.body

    # The history: two versions from the request, the first marked partial.
    reviewer.goto(f"{live_server.url}/books/ml-systems/chapters/1/history/")
    rows = reviewer.locator("table.versions tbody tr")
    assert rows.count() == 3
    assert "partial · 2 of 3 changes" not in rows.nth(0).inner_text()
    assert "Sharper monitoring notes" in rows.nth(0).inner_text()
    assert "Sharper monitoring notes partial · 2 of 3 changes" in rows.nth(1).inner_text()
    _look(reviewer, shots, "part-history")
    reviewer.context.close()
    editor.context.close()
