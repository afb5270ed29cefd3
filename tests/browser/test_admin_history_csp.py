"""django-simple-history's admin pages, opened by an admin in Chromium, raise no
Content-Security-Policy violation and fit a phone (tests/security/test_csp_and_caching.py reads their HTML;
this proves the browser agrees: no blocked style, script or image)."""

import os
from pathlib import Path

import pytest

from notes.models import Chapter
from tests.factories import make_book, make_user, save_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} line ${event.lineNumber}`);
});
"""


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("CW_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_history_list_and_a_history_version_raise_no_csp_violation(live_server, new_page, log_in, shots):
    book = make_book(slug="admin-book", chapters=1)
    chapter = book.chapters.get(number=1)
    chapter.body = "Second version of the notes."
    save_version(chapter, summary="Rewrote the notes")
    history_id = Chapter.history.filter(id=chapter.pk).order_by("history_id").first().history_id
    make_user("boss", staff=True)

    page = new_page()
    page.add_init_script(WATCH_CSP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, "boss")

    pages = {
        "history": f"/admin/notes/chapter/{chapter.pk}/history/",
        "version": f"/admin/notes/chapter/{chapter.pk}/history/{history_id}/",
    }
    for label, path in pages.items():
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            page.wait_for_load_state("load")
            page.screenshot(path=str(shots / f"admin-{label}-{width}.png"), full_page=True)
            assert page.evaluate("window.__cspViolations") == [], (path, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
    page.goto(f"{live_server.url}{pages['history']}")
    assert page.locator("#change-history tbody tr").count() == 2
    assert "Rewrote the notes" in page.locator("#change-history").inner_text()
    assert [text for text in console if "Content Security Policy" in text] == []
