"""An editor proposes a change with the live preview; a reviewer reads the diff and approves."""

import datetime

import pytest

from tests.factories import make_book, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_edit_goes_from_the_editor_through_review_to_the_published_chapter(live_server, new_page, log_in):
    make_book(slug="browser-book", title="Browser Book", chapters=2, tables=1)
    make_user("editor", role="Editor")
    make_user("reviewer", role="Reviewer")

    editor_page = new_page()
    log_in(editor_page, "editor")
    editor_page.goto(f"{live_server.url}/books/browser-book/chapters/1/")
    editor_page.click('.chapter-links a:text-is("Edit")')
    editor_page.wait_for_url("**/chapters/1/edit/")
    # The preview starts from the published text, table placeholder expanded.
    preview = editor_page.locator(".markdownx-preview")
    preview.locator("figure.comparison-table td", has_text="fast").wait_for()
    editor_page.fill(
        "textarea[name=body]", "## Feature stores\n\nA **feature store** keeps features.\n\n[[table:table-1]]"
    )
    preview.locator("strong", has_text="feature store").wait_for()
    assert preview.locator("h2", has_text="Feature stores").count() == 1
    editor_page.fill("input[name=summary]", "Added notes on feature stores")
    editor_page.click("button[value=submit]")
    editor_page.wait_for_url("**/reviews/*/")
    assert "Submitted for review" in editor_page.locator(".messages").inner_text()

    reviewer_page = new_page()
    log_in(reviewer_page, "reviewer")
    reviewer_page.goto(f"{live_server.url}/")
    reviewer_page.click(".nav >> text=Reviews")
    reviewer_page.click("text=Added notes on feature stores")
    assert reviewer_page.locator(".inline-diff ins", has_text="feature").count() >= 1
    assert reviewer_page.locator("table.diff").count() == 1
    reviewer_page.click("text=Approve and publish")
    assert "Approved and published." in reviewer_page.locator(".messages").inner_text()

    reviewer_page.goto(f"{live_server.url}/books/browser-book/chapters/1/")
    assert reviewer_page.locator(".prose h2", has_text="Feature stores").count() == 1
    reviewer_page.goto(f"{live_server.url}/books/browser-book/changelog/?order=newest")
    first_row = reviewer_page.locator("table.changelog tbody tr").first
    today = datetime.datetime.now(datetime.UTC).strftime("%B %d, %Y")
    assert first_row.locator("td").nth(0).inner_text().startswith(today)  # and the time
    assert first_row.locator("td").nth(1).inner_text().startswith("Chapter 1 · ")  # what changed
    assert first_row.locator("td").nth(2).inner_text() == "Added notes on feature stores"
    assert first_row.locator("td").nth(4).inner_text() == "reviewer"


def test_without_javascript_the_table_grid_redraws_before_a_summary_is_typed_and_enter_removes_nothing(
    live_server, browser, log_in
):
    """Without the page's script the grid's buttons post the form and the server redraws it:
    + row and ✕ column work while the required summary is still empty (they are not a
    save); Enter in a field redraws the grid as typed instead of pressing "✕ column"."""
    make_book(slug="grid-book", title="Grid Book", chapters=1, tables=1)
    make_user("editor", role="Editor")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, "editor")
    page.goto(f"{live_server.url}/books/grid-book/chapters/1/tables/table-1/edit/")
    assert page.locator("table.grid thead textarea").count() == 3
    assert page.locator("[data-grid-keys]").is_hidden()  # the keys need the script
    with page.expect_navigation():
        page.click("button[value=add-row]")
    assert page.locator("table.grid tbody tr").count() == 3
    page.fill("textarea[name=cell-2-1]", "a new row")
    page.fill("input[name=summary]", "Typed into the grid")
    with page.expect_navigation():
        page.press("input[name=summary]", "Enter")
    assert page.locator("table.grid thead textarea").count() == 3
    assert page.input_value("textarea[name=cell-2-1]") == "a new row"
    assert page.input_value("input[name=summary]") == "Typed into the grid"
    with page.expect_navigation():
        page.click("button[value=remove-column-0]")
    assert page.locator("table.grid thead textarea").count() == 2
    assert page.input_value("textarea[name=cell-2-0]") == "a new row"
    with page.expect_navigation():
        page.click("button[value=submit]")
    assert "Submitted for review" in page.locator(".messages").inner_text()
    context.close()
