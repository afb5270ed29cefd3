"""The editor in Chromium: Tab leaves the text box, a keyboard-only submit, the
box's fixed height and its Write/Preview tabs, the toolbar, autosaved drafts that survive a
closed tab and never overwrite a newer save, who else is on the page, and the table grid."""

import re
import time

import pytest
from playwright.sync_api import expect

from notes.models import ChangeRequest
from notes.services.reviews import change_request_request_changes
from tests.factories import make_book, make_user, propose_chapter_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_BODY = "\n".join(
    f"- Line {index} of a long chapter, long enough to need its own scroll." for index in range(200)
)
EDIT = "/books/editor-book/chapters/1/edit/"


@pytest.fixture
def editor_chapter(live_server):
    book = make_book(slug="editor-book", chapters=1, tables=1)
    chapter = book.chapters.get()
    chapter.body = LONG_BODY + "\n[[table:table-1]]"
    chapter.save(update_fields=["body"])
    make_user("ann", role="Editor")
    make_user("ben", role="Editor")
    make_user("rita", role="Reviewer")
    return chapter


@pytest.fixture
def open_page(editor_chapter, new_page, log_in, live_server):
    """``open_page(user, path, viewport)``: a logged-in page at ``path``.

    At the end each page is left first, so that the autosave it sends on leaving reaches
    the server while the test's database is still there.
    """
    pages = []

    def run(user="ann", path=EDIT, viewport=None):
        page = new_page()
        if viewport:
            page.set_viewport_size(viewport)
        log_in(page, user)
        page.goto(f"{live_server.url}{path}")
        pages.append(page)
        return page

    yield run
    for page in pages:
        if not page.is_closed():
            page.goto("about:blank")
    time.sleep(1)


def _focused(page) -> str:
    return page.evaluate(
        "document.activeElement.name || document.activeElement.getAttribute('aria-label') || ''"
    )


# --- 1. No keyboard trap ------------------------------------------------------------------------


def test_tab_and_shift_tab_leave_the_text_box_and_change_nothing(editor_chapter, open_page):
    page = open_page()
    page.focus("textarea[name=body]")
    before = page.input_value("textarea[name=body]")
    page.keyboard.press("Tab")
    # The preview pane next: it scrolls, so the keyboard reaches it (then the summary).
    assert page.evaluate("document.activeElement.classList.contains('markdownx-preview')")
    page.keyboard.press("Tab")
    assert _focused(page) == "summary"
    page.focus("textarea[name=body]")
    page.keyboard.press("Shift+Tab")
    assert _focused(page) == "Bold (Ctrl+B)"  # the toolbar, one Tab stop before the box
    assert page.input_value("textarea[name=body]") == before


def test_ctrl_brackets_and_the_toolbar_indent_and_outdent_the_lines(editor_chapter, open_page):
    page = open_page()
    box = page.locator("textarea[name=body]")
    box.fill("first\nsecond\nthird")
    box.evaluate("box => box.setSelectionRange(0, 9)")  # "first" and part of "second"
    page.keyboard.press("Control+]")
    assert box.input_value() == "  first\n  second\nthird"
    page.keyboard.press("Control+[")
    assert box.input_value() == "first\nsecond\nthird"
    box.evaluate("box => box.setSelectionRange(14, 14)")  # inside "third"
    page.click("button[aria-label='Indent lines (Ctrl+])']")
    assert box.input_value() == "first\nsecond\n  third"


def test_a_keyboard_only_submit_from_the_editor_creates_the_request(editor_chapter, open_page):
    page = open_page(viewport={"width": 1280, "height": 800})
    page.focus("textarea[name=body]")
    page.keyboard.press("Control+End")
    page.keyboard.type("\nA line typed with the keyboard.")
    page.keyboard.press("Tab")  # the preview pane
    page.keyboard.press("Tab")
    page.keyboard.type("Typed it all")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Submit for review"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Submitted for review" in page.locator(".messages").inner_text()
    request = ChangeRequest.objects.get()
    assert request.status == ChangeRequest.Status.SUBMITTED
    assert request.summary == "Typed it all"
    assert request.body.endswith("[[table:table-1]]\nA line typed with the keyboard.")


# --- 2. Height, preview, action bar, toolbar ----------------------------------------------------


def test_on_a_laptop_the_box_keeps_its_height_and_the_preview_stands_beside_it(editor_chapter, open_page):
    page = open_page(viewport={"width": 1280, "height": 800})
    box = page.locator("textarea[name=body]")
    height = box.bounding_box()["height"]
    assert 300 < height <= 0.6 * 800 + 2
    page.focus("textarea[name=body]")
    page.keyboard.press("Control+End")
    page.keyboard.type("\nmore\nand more\n")
    assert box.bounding_box()["height"] == height  # markdownx no longer grows it
    assert box.evaluate("box => box.scrollHeight > box.clientHeight")
    assert box.evaluate("box => getComputedStyle(box).resize") == "vertical"
    preview = page.locator(".markdownx-preview")
    preview.locator("li").first.wait_for()
    assert preview.bounding_box()["x"] > box.bounding_box()["x"] + box.bounding_box()["width"]
    assert page.locator(".editor-tabs").is_hidden()
    bar = page.locator(".editor-actions").bounding_box()
    assert bar["y"] + bar["height"] <= 800  # Summary and Submit in view on arrival
    assert page.evaluate("document.documentElement.scrollHeight") < 1500  # was 3,700


def test_on_a_phone_write_and_preview_are_tabs_worked_by_the_arrow_keys(editor_chapter, open_page):
    page = open_page(viewport={"width": 390, "height": 844})
    write, preview_tab = page.locator("[role=tab]").nth(0), page.locator("[role=tab]").nth(1)
    assert write.get_attribute("aria-selected") == "true"
    assert page.locator(".markdownx-preview").is_hidden()
    write.focus()
    page.keyboard.press("ArrowRight")
    assert preview_tab.get_attribute("aria-selected") == "true"
    assert _focused(page) == "" and page.evaluate("document.activeElement.textContent") == "Preview"
    assert page.locator(".markdownx-preview").is_visible()
    assert page.locator("textarea[name=body]").is_hidden()
    page.keyboard.press("ArrowLeft")
    assert write.get_attribute("aria-selected") == "true"
    assert page.locator("textarea[name=body]").is_visible()
    bar = page.locator(".editor-actions").bounding_box()
    assert bar["y"] + bar["height"] <= 844
    assert page.evaluate("document.documentElement.scrollHeight") < 2500  # was 5,800


def test_the_toolbar_and_ctrl_b_ctrl_i_wrap_the_selection(editor_chapter, open_page):
    page = open_page()
    box = page.locator("textarea[name=body]")
    box.fill("one two three")
    box.evaluate("box => box.setSelectionRange(4, 7)")
    page.keyboard.press("Control+b")
    assert box.input_value() == "one **two** three"
    assert box.evaluate("box => box.value.slice(box.selectionStart, box.selectionEnd)") == "two"
    page.keyboard.press("Control+i")
    assert box.input_value() == "one **_two_** three"
    box.fill("a quote")
    box.evaluate("box => box.setSelectionRange(0, 0)")
    page.click("button[aria-label=Quote]")
    assert box.input_value() == "> a quote"
    # The toolbar is one Tab stop; the arrows move along it and Enter presses.
    page.focus("button[aria-label='Bold (Ctrl+B)']")
    page.keyboard.press("ArrowRight")
    assert _focused(page) == "Italic (Ctrl+I)"
    for label in ("Heading", "Link", "Bulleted list"):
        assert page.locator(f"button[aria-label='{label}']").get_attribute("tabindex") == "-1"


# --- 3. Drafts ----------------------------------------------------------------------------------


def _wait_saved(page):
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile(r"^Draft saved"), timeout=8000)


def test_typing_is_autosaved_into_a_draft_that_the_editor_offers_again(editor_chapter, open_page):
    page = open_page()
    page.fill("textarea[name=body]", "Written, then the tab was closed.")
    _wait_saved(page)
    assert page.locator("[data-autosave-status]").get_attribute("aria-live") == "polite"
    draft = ChangeRequest.objects.get()
    assert (draft.status, draft.body) == (ChangeRequest.Status.DRAFT, "Written, then the tab was closed.")
    # The status ages live: "Draft saved 10 s ago" (refreshed every 5 s).
    expect(page.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"^Draft saved (10|20) s ago\.$"), timeout=20_000
    )
    page.close()

    again = open_page()  # the editor opens straight on the draft
    assert "This is your draft" in again.locator(".draft-notice").inner_text()
    assert again.input_value("textarea[name=body]") == "Written, then the tab was closed."
    again.fill("textarea[name=body]", "Continued.")
    _wait_saved(again)
    draft.refresh_from_db()
    assert draft.body == "Continued." and ChangeRequest.objects.count() == 1


def test_an_older_tab_never_overwrites_a_newer_save(editor_chapter, open_page):
    first = open_page()
    first.fill("textarea[name=body]", "Start")
    _wait_saved(first)
    draft = ChangeRequest.objects.get()
    revise = f"/reviews/{draft.pk}/revise/"
    older, newer = (
        open_page(path=revise),
        open_page(path=revise),
    )
    newer.fill("textarea[name=body]", "The newer text")
    _wait_saved(newer)
    older.fill("textarea[name=body]", "The older tab's text")
    expect(older.locator("[data-autosave-status]")).to_have_text(re.compile(r"^Not saved"), timeout=8000)
    assert "saved elsewhere since you opened it" in older.locator("[data-autosave-status]").inner_text()
    draft.refresh_from_db()
    assert draft.body == "The newer text"


# --- 4. Someone else is on it ------------------------------------------------------------------


def test_the_editor_names_who_else_is_on_the_chapter_and_offers_my_own_request(editor_chapter, open_page):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    bens = propose_chapter_edit(users.get(username="ben"), editor_chapter, "Ben's text", "Ben's change")
    anns = propose_chapter_edit(users.get(username="ann"), editor_chapter, "Ann's text", "Ann's change")
    change_request_request_changes(change_request=anns, reviewer=users.get(username="rita"), comment="More")

    page = open_page()
    others = page.locator(".others-requests")
    assert "ben" in others.inner_text() and "since" in others.inner_text()
    with page.expect_navigation():
        others.locator(f"a[href='/reviews/{bens.pk}/']").click()
    assert page.url.endswith(f"/reviews/{bens.pk}/")
    page.go_back()
    with page.expect_navigation():
        page.locator(".own-request >> text=Revise it").click()
    assert page.url.endswith(f"/reviews/{anns.pk}/revise/")
    assert page.input_value("textarea[name=body]") == "Ann's text"


# --- 9. The table grid --------------------------------------------------------------------------

TABLE_EDIT = "/books/editor-book/chapters/1/tables/table-1/edit/"


def test_the_grid_grows_its_cells_moves_rows_and_columns_and_previews_under_the_csp(
    editor_chapter, new_page, log_in, live_server
):
    page = new_page()
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.violations.push(e.violatedDirective));"
    )
    log_in(page, "ann")
    page.goto(f"{live_server.url}{TABLE_EDIT}")
    page.evaluate("window.samePage = true")  # gone if anything below reloads the page
    cell = page.locator("textarea[name=cell-0-1]")
    assert cell.evaluate("cell => cell.tagName") == "TEXTAREA"
    height = cell.bounding_box()["height"]
    cell.fill("A long cell " * 20)
    assert cell.bounding_box()["height"] > height * 2
    assert cell.evaluate("cell => cell.scrollHeight <= cell.clientHeight + 1")
    page.locator("[data-table-preview]").get_by_text("A long cell", exact=False).wait_for()

    page.click("button[aria-label='Move row 1 down']")
    assert page.input_value("textarea[name=cell-1-0]") == "Speed"
    assert page.input_value("textarea[name=cell-1-1]").startswith("A long cell")  # typed text kept
    # Row 2 is the last row now, with no "down" button to keep the focus on: its first cell has it.
    assert page.evaluate("document.activeElement.name") == "cell-1-0"
    page.click("button[aria-label='Move column 1 right']")
    assert page.input_value("textarea[name=header-1]") == "Aspect"
    assert page.input_value("textarea[name=header-0]") == "Left"
    assert page.evaluate("window.samePage") is True
    expect(page.locator("[data-table-preview] th").first).to_have_text("Left")
    headers = page.locator("[data-table-preview] th").all_inner_texts()
    assert headers[:2] == ["Left", "Aspect"]
    assert page.evaluate("window.violations") == []
    # Autosaved like the text: a draft holding the grid as the page shows it.
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile("Draft saved"), timeout=8000)
    draft = ChangeRequest.objects.get()
    assert draft.status == ChangeRequest.Status.DRAFT and draft.kind == ChangeRequest.Kind.TABLE_EDIT
    assert draft.headers[:2] == ["Left", "Aspect"]
    assert draft.rows[1][0].startswith("A long cell") and draft.rows[1][1] == "Speed"


def test_on_a_phone_the_grid_scrolls_inside_its_box(editor_chapter, open_page):
    page = open_page(path=TABLE_EDIT, viewport={"width": 390, "height": 844})
    for _ in range(3):
        page.click("button:text-is('+ column')")
    assert page.locator("table.grid thead textarea").count() == 6
    scroller = page.locator(".grid-scroll")
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
