"""A book's own export uploaded back to it, in Chromium and by keyboard: its tables keep
their slugs (one renamed after it was made, one made unique with "-2"), so the upload
proposes nothing and the page says so. The pages fit 390 and 1280 px and are axe-clean."""

import os
from pathlib import Path

import pytest

from notes.models import ChangeRequest, ComparisonTable
from tests.browser.checks import axe_violations, fits
from tests.factories import make_book, make_table, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 390, "height": 844}, {"width": 1280, "height": 800}]


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: CW_SCREENSHOTS to keep and look at them, else a temporary folder."""
    folder = Path(os.environ.get("CW_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _press(page, locator, *, navigates: bool = True):
    locator.focus()
    if navigates:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("Enter")


@pytest.mark.parametrize("format", ["Text", "Markdown"])
def test_a_downloaded_export_uploaded_back_by_keyboard_proposes_nothing(
    live_server, new_page, log_in, tmp_path, shots, format
):
    book = make_book(slug="storage", title="Storage", chapters=1)
    chapter = book.chapters.get()
    make_table(chapter=chapter, slug="before-renaming", position=0, title="After renaming")
    make_table(chapter=chapter, slug="formats-2", position=1, title="Formats")
    chapter.body += "\n[[table:before-renaming]]\n[[table:formats-2]]"
    chapter.save()
    make_user("ann", role="Editor")
    page = new_page()
    log_in(page, "ann")

    page.goto(f"{live_server.url}/books/storage/")
    with page.expect_download() as info:
        _press(page, page.locator(".downloads").get_by_role("link", name=format, exact=True), navigates=False)
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    assert "<!-- table: before-renaming -->" in exported.read_text()

    _press(page, page.get_by_role("link", name="Upload a notes file"))
    page.set_input_files("input[name=notes_file]", str(exported))
    _press(page, page.get_by_role("button", name="Upload and check the outline"))
    _press(page, page.get_by_role("button", name="Propose these changes"))

    assert page.locator(".messages").inner_text() == (
        f"storage.{'txt' if format == 'Text' else 'md'} proposed nothing: it holds nothing that differs "
        "from the book."
    )
    assert (
        "The file holds nothing that differs from the book: no request was made."
        in page.locator(".upload-notes").inner_text()
    )
    assert not ChangeRequest.objects.exists()
    assert sorted(ComparisonTable.objects.values_list("slug", flat=True)) == ["before-renaming", "formats-2"]
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        page.screenshot(
            path=str(shots / f"unchanged-upload-{format}-{viewport['width']}.png"), full_page=True
        )
        assert fits(page)
        assert axe_violations(page) == []
