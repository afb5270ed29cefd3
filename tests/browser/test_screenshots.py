"""Screenshots of the main pages for the README, taken by the browser suite.

``SCREENSHOTS=1 pytest tests/browser/test_screenshots.py`` writes every page, desktop and
phone, light and dark, into docs/screenshots/. Without it the test takes the chapter page
only, into a temporary folder, so the suite stays fast and the machinery stays tested.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.reading_world import BOOK, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def main_pages(world) -> dict[str, str]:
    return {
        "home": "/",
        "book": f"{BOOK}/",
        "chapter": f"{BOOK}/chapters/3/",
        "review-queue": "/reviews/",
        "review": f"/reviews/{world.change_request.pk}/",
        "history": f"{BOOK}/chapters/1/history/",
        "discussion": f"{BOOK}/chapters/3/discussion/{world.thread.pk}/",
    }


def test_the_main_pages_are_photographed_on_desktop_and_phone_in_light_and_dark(
    browser, live_server, tmp_path
):
    world = build_world()
    everything = os.environ.get("SCREENSHOTS") == "1"
    folder = Path(settings.BASE_DIR) / "docs" / "screenshots" if everything else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    pages = main_pages(world) if everything else {"chapter": main_pages(world)["chapter"]}
    written = []
    for scheme in ("light", "dark"):
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            page = context.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", "lead")
            page.fill("#id_password", "pw")
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            for name, path in pages.items():
                page.goto(f"{live_server.url}{path}")
                target = folder / f"{name}-{device}-{scheme}.png"
                page.screenshot(path=target)
                written.append(target)
            context.close()
    assert len(written) == len(pages) * 4
    for target in written:
        assert target.read_bytes().startswith(PNG_SIGNATURE), target
