"""Reviewing without friction, in Chromium: a table diff that marks what changed (an inserted
row and column, a moved row, one edited cell); the table grid reached from the chapter,
changed in place by keyboard (no reload, focus kept, autosaved); a submitted request
amended, a reviewer told without watching, a comment on a cell marked outdated after the
revision, a comment on a line under its line, by keyboard; the Rendered / Source choice
kept. Pages fit 390 and 1280 px and are axe-clean."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from notes.models import ChangeRequest, ComparisonTable
from notes.services.history import chapter_render, save_rendering, save_version, table_render
from notes.services.reviews import change_request_create
from tests.browser.checks import axe_violations, fits
from tests.factories import make_book, make_chapter, make_user, propose_chapter_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 390, "height": 844}, {"width": 1280, "height": 800}]

HEADERS = ["Aspect", "Row-wise", "Column-wise"]
ROWS = [
    ["Layout", "Rows together", "Columns together"],
    ["Read speed", "Slow for analytics", "Fast for analytics"],
    ["Examples", "CSV, Avro", "Parquet"],
    ["Best for", "Transactions", "Analytics"],
]
NEW_HEADERS = ["Aspect", "Row-wise", "Hybrid", "Column-wise"]
NEW_ROWS = [
    ["Best for", "Transactions", "Mixed", "Analytics"],
    ["Layout", "Rows together", "Row groups", "Columns together"],
    ["Compression", "Poor", "Good", "Excellent"],
    ["Read speed", "Slow for analytics", "Medium", "Fast for analytics"],
    ["Examples", "CSV, Avro", "Parquet row groups", "Parquet, ORC"],
]


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: CW_SCREENSHOTS to keep and look at them, else a temporary folder."""
    folder = Path(os.environ.get("CW_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _table_request():
    book = make_book(slug="storage")
    chapter = make_chapter(book=book, number=1)
    table = ComparisonTable(
        chapter=chapter, slug="formats", title="Storage formats", headers=HEADERS, rows=ROWS
    )
    table_render(table)
    save_version(table)
    editor = make_user("editor", role="Editor")
    return change_request_create(
        author=editor,
        book=book,
        chapter=chapter,
        table=table,
        kind=ChangeRequest.Kind.TABLE_EDIT,
        summary="Compression, a hybrid column, ORC",
        content={"title": table.title, "headers": NEW_HEADERS, "rows": NEW_ROWS},
        submit=True,
    )


def test_the_table_diff_marks_one_inserted_row_and_column_one_moved_row_and_one_changed_cell(
    browser, live_server, log_in, shots
):
    change_request = _table_request()
    make_user("reviewer", role="Reviewer")
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        log_in(page, "reviewer")
        page.goto(f"{live_server.url}/reviews/{change_request.pk}/")
        diff = page.locator("section.diff table.cell-diff")
        assert page.locator(".table-diff-summary").inner_text() == (
            "1 row added, 1 row moved, 1 column added, 1 cell changed"
        )
        assert diff.locator("tbody tr.row-added").count() == 1
        assert diff.locator("tbody tr.row-moved").count() == 1
        assert diff.locator("tbody tr.row-moved .diff-note").inner_text() == "moved from row 4"
        assert diff.locator("thead th.cell-added").inner_text() == "Hybrid new column"
        changed = diff.locator("tbody td.cell-changed")
        assert changed.count() == 1
        assert changed.locator("del").inner_text() == "Parquet"
        assert changed.locator("ins").inner_text() == "Parquet, ORC"
        assert "{#" not in page.locator("section.diff").inner_text()  # no template comment leaks
        assert fits(page), f"the page is wider than {viewport['width']} px"
        page.screenshot(path=str(shots / f"table-diff-{viewport['width']}.png"), full_page=True)
        assert axe_violations(page) == []
        context.close()


def _press(page, selector: str, key: str = "Enter"):
    """Focus ``selector`` and press ``key`` on it, waiting for the page the key leads to."""
    page.locator(selector).focus()
    with page.expect_navigation():
        page.keyboard.press(key)


def _retype(page, selector: str, text: str):
    """Put the keyboard in a field, select what it holds and type over it."""
    page.locator(selector).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_by_keyboard_a_request_is_amended_commented_on_a_cell_revised_and_approved(
    browser, live_server, log_in, shots
):
    make_user("reviewer", role="Reviewer")  # watches nothing
    change_request = _table_request()  # by "editor": rows Best for, Layout, Compression, ...
    request_url = f"{live_server.url}/reviews/{change_request.pk}/"
    editor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor, "editor")
    log_in(reviewer, "reviewer")

    # The editor sees a typo just after submitting and amends the submitted request.
    editor.goto(request_url)
    _press(editor, "a:text-is('Amend')")
    assert editor.locator("h1").inner_text().startswith("Amend request #")
    _retype(editor, "textarea[name=cell-2-1]", "Poor to fair")  # Compression / Row-wise
    _press(editor, "button[value=submit]")
    assert "Amended: revision 2 waits for review" in editor.locator(".messages").inner_text()

    # The reviewer is told without watching anything, and sees it was amended.
    reviewer.goto(f"{live_server.url}/notifications/")
    notices = reviewer.locator("main").inner_text()
    assert "submitted a change for review" in notices and "amended a change under review" in notices
    reviewer.goto(request_url)
    assert "amended by its author while under review" in reviewer.locator(".request-meta").inner_text()
    since = reviewer.locator("section.since-review")
    assert "1 cell changed" in since.locator(".table-diff-summary").inner_text()

    # A comment on one cell, by keyboard: the cell, the text, Tab to "Comment", Enter.
    reviewer.locator("#comment-anchor").focus()
    reviewer.select_option("#comment-anchor", label="Row “Examples”, column “Column-wise”: Parquet, ORC")
    reviewer.locator("#comment-body").focus()
    reviewer.keyboard.type("Which ORC version?")
    reviewer.keyboard.press("Tab")
    assert reviewer.evaluate("document.activeElement.textContent") == "Comment"
    with reviewer.expect_navigation():
        reviewer.keyboard.press("Enter")
    cell = reviewer.locator("table.cell-diff td.has-comments")
    assert cell.count() == 1 and "Parquet, ORC" in cell.inner_text()
    # Then the verdict: changes requested, with the comment standing.
    reviewer.locator(".verdict-form textarea").focus()
    reviewer.keyboard.type("See my comment on the Examples row.")
    _press(reviewer, "button:text-is('Request changes')")
    assert "Sent back to the author" in reviewer.locator(".messages").inner_text()

    # The editor revises that cell; the reviewer finds the comment outdated and approves.
    editor.goto(request_url)
    _press(editor, "a:text-is('Revise')")
    _retype(editor, "textarea[name=cell-4-3]", "Parquet, ORC 2")
    _press(editor, "button[value=submit]")
    reviewer.goto(request_url)
    comment = reviewer.locator(".diff-comment")
    assert "outdated" in comment.locator(".diff-comment-place").inner_text()
    assert reviewer.locator("table.cell-diff td.has-comments").count() == 0
    # This revision answers the verdict: it is not called an amendment.
    assert "amended" not in reviewer.locator(".request-meta").inner_text()
    for viewport in VIEWPORTS:
        reviewer.set_viewport_size(viewport)
        assert fits(reviewer), f"the page is wider than {viewport['width']} px"
        reviewer.screenshot(path=str(shots / f"request-comments-{viewport['width']}.png"), full_page=True)
        assert axe_violations(reviewer) == []
    _press(reviewer, "button:text-is('Approve and publish')")
    assert "Approved and published." in reviewer.locator(".messages").inner_text()
    editor.context.close()
    reviewer.context.close()


def _placed_table() -> ComparisonTable:
    """The storage table, published and placed in its chapter's text."""
    book = make_book(slug="storage")
    chapter = make_chapter(book=book, number=1, body="Notes.\n[[table:formats]]\nThe end.")
    table = ComparisonTable(
        chapter=chapter, slug="formats", title="Storage formats", headers=HEADERS, rows=ROWS
    )
    table_render(table)
    save_version(table)
    chapter_render(chapter)
    save_rendering(chapter, "body_html", "contents")
    return table


def _focused_name(page) -> str:
    return page.evaluate("document.activeElement.name || document.activeElement.tagName")


def test_by_keyboard_a_row_is_added_and_moved_in_the_grid_without_a_reload_then_reviewed_on_a_cell(
    browser, live_server, log_in, shots
):
    table = _placed_table()
    make_user("editor", role="Editor")
    make_user("reviewer", role="Reviewer")  # watches nothing
    editor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor, "editor")
    log_in(reviewer, "reviewer")

    # The chapter names another editor's draft of it, and "Edit this table" opens the grid.
    propose_chapter_edit(make_user("reader2", role="Editor"), table.chapter, "Half-written.", submit=False)
    editor.goto(f"{live_server.url}/books/storage/chapters/1/")
    assert "reader2 has a draft here, saved" in editor.locator(".others-drafting").inner_text()
    for viewport in VIEWPORTS:
        editor.set_viewport_size(viewport)
        assert fits(editor), f"the chapter page is wider than {viewport['width']} px"
        editor.screenshot(path=str(shots / f"chapter-edit-table-{viewport['width']}.png"), full_page=True)
        assert axe_violations(editor) == []
    editor.set_viewport_size({"width": 1280, "height": 900})
    _press(editor, "a.table-edit")
    assert editor.locator("h1").inner_text() == "Edit the table “Storage formats”"
    editor.evaluate("window.samePage = true")  # lost if anything below reloads the page

    # A row added below the last one, filled, then moved up two places: all in the page.
    editor.locator("textarea[name=cell-3-0]").focus()  # "Best for"
    editor.keyboard.press("Alt+Shift+Enter")
    assert _focused_name(editor) == "cell-4-0"
    editor.keyboard.type("Compression")
    editor.keyboard.press("Tab")
    editor.keyboard.type("Poor")
    editor.keyboard.press("Tab")
    editor.keyboard.type("Excellent")
    editor.keyboard.press("Alt+Shift+ArrowUp")
    editor.keyboard.press("Alt+Shift+ArrowUp")
    assert _focused_name(editor) == "cell-2-2"  # the same cell, carried with its row
    assert editor.evaluate("document.activeElement.value") == "Excellent"
    column = [editor.input_value(f"textarea[name=cell-{row}-0]") for row in range(5)]
    assert column == ["Layout", "Read speed", "Compression", "Examples", "Best for"]
    # Said a moment after each move (emptied first, so a repeat is announced): the last one.
    expect(editor.locator("[data-grid-status]")).to_contain_text("Row moved to position 3 of 5.")
    assert editor.evaluate("window.samePage") is True
    expect(editor.locator("[data-autosave-status]")).to_have_text(re.compile("Draft saved"), timeout=8000)
    draft = ChangeRequest.objects.get(table=table)
    assert draft.status == ChangeRequest.Status.DRAFT and draft.rows[2] == [
        "Compression",
        "Poor",
        "Excellent",
    ]
    editor.locator("[data-grid-keys] summary").focus()
    editor.keyboard.press("Enter")  # the list of the grid's keys, open in the screenshots
    expect(editor.locator("[data-grid-keys] dl").get_by_text("move the row up / down")).to_be_visible()
    for viewport in VIEWPORTS:
        editor.set_viewport_size(viewport)
        assert fits(editor), f"the grid page is wider than {viewport['width']} px"
        editor.screenshot(path=str(shots / f"table-grid-{viewport['width']}.png"), full_page=True)
        assert axe_violations(editor) == []
    editor.set_viewport_size({"width": 1280, "height": 900})
    assert editor.evaluate("window.samePage") is True

    editor.locator("input[name=summary]").focus()
    editor.keyboard.type("Compression row")
    _press(editor, "button[value=submit]")
    assert "Submitted for review" in editor.locator(".messages").inner_text()
    draft.refresh_from_db()
    assert draft.status == ChangeRequest.Status.SUBMITTED  # the autosaved draft, submitted
    request_url = f"{live_server.url}/reviews/{draft.pk}/"

    # Amended while under review: one cell.
    _press(editor, "a:text-is('Amend')")
    _retype(editor, "textarea[name=cell-3-2]", "Parquet, ORC")  # Examples / Column-wise
    _press(editor, "button[value=submit]")
    assert "Amended: revision" in editor.locator(".messages").inner_text()

    # The reviewer, told without watching anything, comments on that cell and sends it back.
    reviewer.goto(f"{live_server.url}/notifications/")
    notices = reviewer.locator("main").inner_text()
    assert "submitted a change for review" in notices and "amended a change under review" in notices
    reviewer.goto(request_url)
    reviewer.locator("#comment-anchor").focus()
    reviewer.select_option("#comment-anchor", label="Row “Examples”, column “Column-wise”: Parquet, ORC")
    reviewer.locator("#comment-body").focus()
    reviewer.keyboard.type("Which ORC version?")
    reviewer.keyboard.press("Tab")
    with reviewer.expect_navigation():
        reviewer.keyboard.press("Enter")
    assert reviewer.locator("table.cell-diff td.has-comments").count() == 1
    reviewer.locator(".verdict-form textarea").focus()
    reviewer.keyboard.type("See my comment on the Examples row.")
    _press(reviewer, "button:text-is('Request changes')")
    assert "Sent back to the author" in reviewer.locator(".messages").inner_text()

    # The editor revises the cell; the reviewer finds the comment outdated and approves.
    editor.goto(request_url)
    _press(editor, "a:text-is('Revise')")
    _retype(editor, "textarea[name=cell-3-2]", "Parquet, ORC 2")
    _press(editor, "button[value=submit]")
    reviewer.goto(request_url)
    assert "outdated" in reviewer.locator(".diff-comment .diff-comment-place").inner_text()
    _press(reviewer, "button:text-is('Approve and publish')")
    assert "Approved and published." in reviewer.locator(".messages").inner_text()
    table.refresh_from_db()
    assert [row[0] for row in table.rows] == ["Layout", "Read speed", "Compression", "Examples", "Best for"]
    assert table.rows[3][2] == "Parquet, ORC 2"
    editor.context.close()
    reviewer.context.close()


def test_a_refused_grid_change_is_said_and_changes_nothing(browser, live_server, log_in):
    """The last column cannot go and the header row does not move: the grid says so, by
    its status line, and stays as it was."""
    _placed_table()
    make_user("editor", role="Editor")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, "editor")
    page.goto(f"{live_server.url}/books/storage/chapters/1/tables/formats/edit/")
    page.locator("textarea[name=header-0]").focus()
    page.keyboard.press("Alt+Shift+ArrowUp")
    expect(page.locator("[data-grid-status]")).to_have_text("The header row does not move.")
    for _ in range(2):
        page.keyboard.press("Alt+Shift+Minus")
    assert page.locator("table.grid thead textarea").count() == 1
    page.keyboard.press("Alt+Shift+Minus")
    expect(page.locator("[data-grid-status]")).to_have_text("A table needs at least one column.")
    assert page.locator("table.grid thead textarea").count() == 1
    assert _focused_name(page) == "header-0"
    assert page.input_value("input[name=columns]") == "1"
    page.context.close()


def test_the_grids_other_keys_add_and_remove_in_place(browser, live_server, log_in):
    """Enter walks down a column and past the last row starts a new one; Alt+Shift+= adds
    a column to the right (focus on its header); Alt+Shift+Backspace removes the row."""
    _placed_table()
    make_user("editor", role="Editor")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, "editor")
    page.goto(f"{live_server.url}/books/storage/chapters/1/tables/formats/edit/")
    page.evaluate("window.samePage = true")
    page.locator("textarea[name=cell-2-1]").focus()
    page.keyboard.press("Enter")
    assert _focused_name(page) == "cell-3-1"
    page.keyboard.press("Enter")  # past the last row
    assert _focused_name(page) == "cell-4-1"
    assert page.input_value("input[name=rows]") == "5"
    page.keyboard.press("Alt+Shift+Backspace")
    assert _focused_name(page) == "cell-3-1"
    assert page.input_value("input[name=rows]") == "4"
    assert page.input_value("textarea[name=cell-3-0]") == "Best for"
    page.keyboard.press("Alt+Shift+Equal")
    assert _focused_name(page) == "header-2"
    page.keyboard.type("Hybrid")
    headers = [page.input_value(f"textarea[name=header-{column}]") for column in range(4)]
    assert headers == ["Aspect", "Row-wise", "Hybrid", "Column-wise"]
    assert page.input_value("textarea[name=cell-0-3]") == "Columns together"  # cells moved along
    assert page.locator("button[aria-label='Remove column 4']").count() == 1
    assert page.evaluate("window.samePage") is True
    page.context.close()


def test_the_rendered_or_source_choice_made_with_the_keyboard_is_kept_for_the_next_diff(
    browser, live_server, log_in, shots
):
    book = make_book(slug="kept")
    chapter = make_chapter(book=book, number=1)
    author = make_user("author", role="Editor")
    first = propose_chapter_edit(author, chapter, chapter.body + "\nA **bold** line.")
    second = propose_chapter_edit(author, chapter, chapter.body + "\nAnother line.")
    make_user("reviewer", role="Reviewer")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, "reviewer")
    page.goto(f"{live_server.url}/reviews/{first.pk}/")
    assert page.is_checked("input[name=diff-view][value=rendered]")
    assert page.locator("[data-pane=rendered]").is_visible()
    assert not page.locator(".diff-view-keep").is_visible()  # the script saves as it changes
    page.locator("input[name=diff-view][value=rendered]").focus()
    with page.expect_response(lambda response: "/account/diff-view/" in response.url) as answer:
        page.keyboard.press("ArrowRight")
    assert answer.value.status == 204
    assert page.is_checked("input[name=diff-view][value=source]")
    assert page.locator("[data-pane=source]").is_visible()
    assert "Diffs will open as Source." in page.locator(".diff-view-status").inner_text()
    page.screenshot(path=str(shots / "diff-source-kept-390.png"), full_page=True)
    page.goto(f"{live_server.url}/reviews/{second.pk}/")
    assert page.is_checked("input[name=diff-view][value=source]")
    assert not page.locator("[data-pane=rendered]").is_visible()
    page.context.close()


def test_a_reviewer_turns_new_request_notifications_off_on_the_account_page(
    browser, live_server, log_in, shots
):
    make_user("reviewer", role="Reviewer")
    for viewport in VIEWPORTS:
        page = browser.new_context(viewport=viewport).new_page()
        log_in(page, "reviewer")
        page.goto(f"{live_server.url}/account/")
        choice = page.locator("fieldset", has_text="Tell me of requests submitted for review")
        assert choice.locator("input[value=all]").is_checked()
        assert fits(page), f"the page is wider than {viewport['width']} px"
        page.screenshot(path=str(shots / f"account-new-requests-{viewport['width']}.png"), full_page=True)
        assert axe_violations(page) == []
        page.context.close()
    page = browser.new_context(viewport=VIEWPORTS[0]).new_page()
    log_in(page, "reviewer")
    page.goto(f"{live_server.url}/account/")
    page.locator("input[name=new_requests][value=all]").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # all -> watched -> none
    assert page.is_checked("input[name=new_requests][value=none]")
    _press(page, "button:text-is('Save notification settings')")
    assert "Your notification settings are saved." in page.locator(".messages").inner_text()
    assert page.is_checked("input[name=new_requests][value=none]")
    page.context.close()


def test_a_line_comment_stands_under_its_line_in_the_source_diff_and_tells_the_author(
    browser, live_server, log_in, shots
):
    book = make_book(slug="lines")
    chapter = make_chapter(book=book, number=1)
    author = make_user("author", role="Editor")
    request = propose_chapter_edit(author, chapter, chapter.body + "\nA new line about storage.")
    make_user("reviewer", role="Reviewer")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, "reviewer")
    page.goto(f"{live_server.url}/reviews/{request.pk}/")
    option = page.locator("#comment-anchor option", has_text="A new line about storage.")
    page.locator("#comment-anchor").focus()
    page.select_option("#comment-anchor", label=option.inner_text())
    page.locator("#comment-body").focus()
    page.keyboard.type("Which storage? Row or column?")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("input[name=diff-view][value=rendered]").focus()
    page.keyboard.press("ArrowRight")  # to Source
    note = page.locator(".side-by-side-diff tr.line-notes")
    expect(note).to_be_visible()
    assert note.count() == 1 and "Comment by reviewer: Which storage? Row or column?" in note.inner_text()
    above = note.evaluate("row => row.previousElementSibling.textContent")
    assert "A new line about storage." in above
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        assert fits(page), f"the page is wider than {viewport['width']} px"
        note.evaluate("row => row.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(shots / f"line-comment-{viewport['width']}.png"))
        assert axe_violations(page) == []
    page.context.close()
    # The request's author is told, without watching anything for it.
    author_page = browser.new_context(viewport=VIEWPORTS[0]).new_page()
    log_in(author_page, "author")
    author_page.goto(f"{live_server.url}/notifications/")
    assert "commented on a line or cell of the change" in author_page.locator("main").inner_text()
    author_page.context.close()
