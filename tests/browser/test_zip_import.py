"""A zip of chapter files with their images, uploaded in the browser: the preview page shows
the outline it makes before anything is proposed, the upload page says what it proposed, a
reviewer approves the new book, the chapter page shows the pictures, and the book page
downloads the book back as a zip."""

import io
import os
import zipfile
from pathlib import Path

import pytest

from notes.models import Book, ChangeRequest
from tests.browser.checks import axe_violations
from tests.factories import make_user
from tests.paths import NOTES_FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHAPTERS = NOTES_FILES / "folder-chapters"


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: $CW_SCREENSHOTS to keep and look at them, else a temporary folder."""
    folder = Path(os.environ.get("CW_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _submit(page, selector: str):
    with page.expect_navigation():
        page.click(selector)


def _zip(tmp_path: Path) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(CHAPTERS.rglob("*")):
            if path.is_file():
                archive.write(path, "streaming/" + path.relative_to(CHAPTERS).as_posix())
    target = tmp_path / "streaming.zip"
    target.write_bytes(out.getvalue())
    return target


def test_an_uploaded_zip_is_reviewed_published_and_shows_its_images(
    live_server, new_page, log_in, tmp_path, shots
):
    make_user("ann", role="Editor")
    make_user("rita", role="Reviewer")

    ann = new_page()
    log_in(ann, "ann")
    ann.goto(f"{live_server.url}/import/")
    ann.set_input_files("input[name=notes_file]", str(_zip(tmp_path)))
    _submit(ann, "text=Upload and check the outline")

    # The outline, before anything is proposed or stored.
    assert ann.locator("h1").inner_text() == "Check what streaming.zip makes"
    assert ann.locator(".upload-outline li").all_inner_texts() == [
        "Chapter 1 \u2013 Streaming 101 1 image",
        "Chapter 2 \u2013 The What, Where, When, and How 1 table, 1 image",
        "Chapter 3 \u2013 Watermarks",  # its image is missing: a warning
    ]
    assert ann.locator(".upload-made").inner_text() == "Read: 3 chapters, 1 table, 2 images, 1 warning."
    assert not ChangeRequest.objects.exists()
    for width in (390, 1280):
        ann.set_viewport_size({"width": width, "height": 900})
        ann.screenshot(path=str(shots / f"zip-preview-{width}.png"), full_page=True)
        assert ann.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(ann) == []
    _submit(ann, "text=Propose this book")

    assert "streaming.zip became 1 change request for review" in ann.locator(".messages").inner_text()
    assert ann.locator(".upload-made").inner_text() == "Read: 3 chapters, 1 table, 2 images, 1 warning."
    assert ann.locator(".upload-warnings li").all_inner_texts() == [
        "03-watermarks.md line 5: the image 'images/heuristic-watermark.png' is not in the bundle; kept as written"
    ]
    assert not Book.objects.exists()  # nothing published by an upload
    for width in (390, 1280):
        ann.set_viewport_size({"width": width, "height": 900})
        ann.screenshot(path=str(shots / f"zip-upload-{width}.png"), full_page=True)
        assert ann.evaluate("document.documentElement.scrollWidth") <= width

    request_id = ChangeRequest.objects.get().pk
    rita = new_page()
    log_in(rita, "rita")
    rita.goto(f"{live_server.url}/reviews/{request_id}/")
    assert "New book: Streaming Systems" in rita.locator(".breadcrumbs").inner_text()
    _submit(rita, "text=Approve and publish")
    assert "the book is published" in rita.locator(".messages").inner_text()

    rita.goto(f"{live_server.url}/books/streaming-systems/chapters/2/")
    picture = rita.locator("img[alt='Fixed, sliding and session windows']")
    picture.wait_for()
    rita.wait_for_function("img => img.complete", arg=picture.element_handle())
    assert picture.evaluate("img => img.naturalWidth") == 160
    assert rita.locator("table").first.locator("td", has_text="Triggers and watermarks").count() == 1
    for width in (390, 1280):
        rita.set_viewport_size({"width": width, "height": 900})
        rita.screenshot(path=str(shots / f"zip-chapter-{width}.png"), full_page=True)
        assert rita.evaluate("document.documentElement.scrollWidth") <= width

    rita.goto(f"{live_server.url}/books/streaming-systems/chapters/1/")
    first = rita.locator("img[alt='Event time against processing time']")
    first.wait_for()
    rita.wait_for_function("img => img.complete", arg=first.element_handle())
    assert first.evaluate("img => img.naturalWidth") > 0
    # The link to the next chapter's file now opens the chapter page.
    _submit(rita, "text=windowing")
    assert rita.url == f"{live_server.url}/books/streaming-systems/chapters/2/#windowing"

    # The book page downloads the book back as a zip of the same files and pictures.
    rita.goto(f"{live_server.url}/books/streaming-systems/")
    with rita.expect_download() as info:
        rita.locator(".downloads").get_by_role("link", name="Zip (a file per chapter, with images)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    names = zipfile.ZipFile(target).namelist()
    assert target.name == "streaming-systems.zip"
    assert names[:4] == [
        "README.md",
        "01-streaming-101.md",
        "02-the-what-where-when-and-how.md",
        "03-watermarks.md",
    ]
    assert len([name for name in names if name.startswith("images/")]) == 2
