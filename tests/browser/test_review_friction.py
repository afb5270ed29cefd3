"""Reviewing without friction, in Chromium: a table diff that marks what changed (an inserted
row and column, a moved row, one edited cell) readable at 390 and 1280 px and axe-clean."""

import json
import os
from pathlib import Path

import pytest

from notes.models import ChangeRequest, ComparisonTable
from notes.services.history import save_version, table_render
from notes.services.reviews import change_request_create
from tests.factories import make_book, make_chapter, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
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


def _violations(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [json.dumps(item) for item in found if item["impact"] in ("critical", "serious")]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


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
        assert _fits(page), f"the page is wider than {viewport['width']} px"
        page.screenshot(path=str(shots / f"table-diff-{viewport['width']}.png"), full_page=True)
        assert _violations(page) == []
        context.close()
