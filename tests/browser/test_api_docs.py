"""The API's interactive docs (/api/v1/docs) and the token page, in Chromium: Swagger UI
is served from our static files and draws the operations with no Content-Security-Policy
violation; the token page makes a token, shows it once and fits a phone."""

import os
from pathlib import Path

import pytest

from tests.factories import make_book, make_user

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


def test_the_docs_page_lists_the_operations_without_a_csp_violation(live_server, new_page, shots):
    make_book(slug="docs-book", chapters=1)
    page = new_page()
    page.add_init_script(WATCH_CSP)
    console, outside = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(f"{live_server.url}/api/v1/docs")
        assert response.status == 200
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/api/v1/books" in path for path in paths)
        assert any("/api/v1/change-requests/{request_id}/approve" in path for path in paths)
        page.screenshot(path=str(shots / f"api-docs-{width}.png"), full_page=False)
        assert page.evaluate("window.__cspViolations") == [], width
    assert [text for text in console if "Content Security Policy" in text] == []
    assert outside == []  # nothing from a CDN


def test_the_token_page_makes_a_token_and_shows_it_once(live_server, new_page, log_in, shots):
    make_user("writer", role="Editor")
    page = new_page()
    page.add_init_script(WATCH_CSP)
    log_in(page, "writer")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/account/tokens/")
    page.get_by_label("Name").fill("CI of the notes repo")
    page.get_by_label("write: propose", exact=False).check()
    page.get_by_role("button", name="Make the token").click()
    token = page.locator("#new-token").input_value()
    assert token.startswith("cw_")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"api-tokens-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
    page.goto(f"{live_server.url}/account/tokens/")
    assert token not in page.content()
    assert "CI of the notes repo" in page.locator("table.tokens").inner_text()
    page.get_by_role("button", name="Revoke CI of the notes repo").click()
    assert "revoked" in page.locator("table.tokens").inner_text()
    assert page.evaluate("window.__cspViolations") == []
