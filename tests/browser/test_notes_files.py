"""Notes files from the browser: the book page's downloads, and an uploaded file that goes
through review before anything is published."""

import os
from pathlib import Path

import pytest

from notes.formats import parse
from notes.models import Book, ChangeRequest
from tests.factories import load_seed, make_user
from tests.paths import NOTES_FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DDIA = NOTES_FILES / "ddia-reading-notes.md"


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: $CW_SCREENSHOTS to keep and look at them, else a temporary folder."""
    folder = Path(os.environ.get("CW_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _submit(page, selector: str):
    with page.expect_navigation():
        page.click(selector)


def test_the_book_page_downloads_text_markdown_and_a_self_contained_html_file(
    live_server, new_page, tmp_path, shots
):
    load_seed()
    page = new_page()
    page.goto(f"{live_server.url}/books/designing-ml-systems/")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        page.screenshot(path=str(shots / f"book-downloads-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    files = {}
    for label in ("Text", "Markdown", "HTML (one file, read-only)"):
        with page.expect_download() as info:
            page.locator(".downloads").get_by_role("link", name=label, exact=True).click()
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        files[download.suggested_filename] = target
    assert sorted(files) == [
        "designing-ml-systems.html",
        "designing-ml-systems.md",
        "designing-ml-systems.txt",
    ]
    assert files["designing-ml-systems.txt"].read_text().startswith("Designing ML Systems\nBook Details\n")
    markdown = parse(files["designing-ml-systems.md"].read_text(), "markdown").book
    assert [chapter.number for chapter in markdown.chapters] == [1, 2, 3]

    # Opened from disk, away from the site, the HTML file is styled by its own <style>.
    page.goto(files["designing-ml-systems.html"].as_uri())
    assert page.locator("h1").inner_text() == "Designing ML Systems"
    assert page.locator("figure.comparison-table").count() == 5
    assert page.locator("section.changelog tbody tr").count() == 3
    border = page.eval_on_selector(
        "figure.comparison-table td", "cell => getComputedStyle(cell).borderTopStyle"
    )
    assert border == "solid"
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=str(shots / "html-download-390.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_uploaded_file_becomes_a_request_that_a_reviewer_publishes(live_server, new_page, log_in, shots):
    make_user("ann", role="Editor")
    make_user("rita", role="Reviewer")

    ann = new_page()
    log_in(ann, "ann")
    ann.goto(f"{live_server.url}/")
    _submit(ann, "text=Upload a notes file")
    ann.set_input_files("input[name=notes_file]", str(DDIA))
    _submit(ann, "text=Upload and check the outline")
    assert ann.locator(".upload-outline li").count() == 6
    assert not ChangeRequest.objects.exists()  # the outline first; nothing proposed yet
    _submit(ann, "text=Propose this book")

    assert "became 1 change request for review" in ann.locator(".messages").inner_text()
    warnings = ann.locator(".upload-warnings li").all_inner_texts()
    assert warnings[0].startswith(
        "lines 1-5: text before the '# Designing Data-Intensive Applications' title"
    )
    assert (
        "lines 68-70: '## Part 2 Distributed storage' is not a chapter; kept at the start of chapter 5"
        in warnings
    )
    assert not Book.objects.exists()  # nothing published by an upload
    for width in (390, 1280):
        ann.set_viewport_size({"width": width, "height": 900})
        ann.screenshot(path=str(shots / f"upload-warnings-{width}.png"), full_page=True)
        assert ann.evaluate("document.documentElement.scrollWidth") <= width

    # The request is a link away; the reviewer reads the whole book there and approves it.
    request_id = ChangeRequest.objects.get().pk
    rita = new_page()
    log_in(rita, "rita")
    rita.goto(f"{live_server.url}/reviews/")
    _submit(rita, f'a[href="/reviews/{request_id}/"]')
    assert "New book: Designing Data-Intensive Applications" in rita.locator(".breadcrumbs").inner_text()
    assert "Stream Processing" in rita.locator(".rendered").text_content()  # in the folded Result
    _submit(rita, "text=Approve and publish")
    assert "the book is published" in rita.locator(".messages").inner_text()

    rita.goto(f"{live_server.url}/books/designing-data-intensive-applications/")
    chapters = rita.locator("ol.chapters li").all_inner_texts()
    assert len(chapters) == 6
    assert chapters[-1].startswith("Chapter 11 - Stream Processing")


def test_an_upload_error_names_its_line_on_the_form(live_server, new_page, log_in, tmp_path):
    make_user("ann", role="Editor")
    bad = tmp_path / "broken.md"
    bad.write_text("# Broken\n\n## Chapter 1 - One\n\n## Chapter 1 - Again\n")
    page = new_page()
    log_in(page, "ann")
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[name=notes_file]", str(bad))
    _submit(page, "text=Upload and check the outline")

    assert page.locator(".upload-error").inner_text() == (
        "broken.md: line 5: chapter 1 appears twice (first on line 3); expected each chapter number once"
    )
    assert not ChangeRequest.objects.exists()
