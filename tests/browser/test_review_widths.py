"""Every page of the review path fits a 390 px phone and a 1280 px laptop: no page is wider
than the screen. ``SHOTS=/some/folder`` also photographs each page there."""

import os
from pathlib import Path

import pytest

from tests.browser.review_world import build_review_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


def _log_in(page, base: str, username: str):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("device", VIEWPORTS)
def test_no_page_of_the_review_path_is_wider_than_the_screen(browser, live_server, device):
    world = build_review_world()
    shots = os.environ.get("SHOTS")
    viewport = VIEWPORTS[device]
    too_wide = {}
    # The author sees the conflict and its revise page; the reviewer sees the rest.
    author_pages = ["revise-conflict", "request-conflict", "request-draft"]
    reviewer_pages = [name for name in world.pages() if name not in author_pages]
    for username, names in (("editor", author_pages), ("reviewer", reviewer_pages)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        _log_in(page, live_server.url, username)
        for name, path in world.pages().items():
            if name not in names:
                continue
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (name, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                too_wide[name] = width
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}-{username}-{viewport['width']}.png", full_page=True)
                page.mouse.wheel(0, 1200)  # and what a reader sees scrolled into a long page
                page.wait_for_timeout(100)
                page.screenshot(path=f"{shots}/{name}-{username}-{viewport['width']}-scrolled.png")
        context.close()
    assert too_wide == {}, f"wider than {viewport['width']} px: {too_wide}"
