"""Every page of the editing path fits a 390 px phone and a 1280 px laptop: no page wider
than the screen, whatever the chapter holds (the seed's long chapter 3, a chapter built to
break the layout, a table grid, a request being revised).

``EDITOR_SHOTS=<folder>`` also writes screenshots of each page there: the screen, and the full page.
"""

import os
from pathlib import Path

import pytest

from notes.models import Chapter
from tests.browser.reading_world import BOOK, SLUG, build_world
from tests.factories import propose_chapter_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
TABLE = f"{BOOK}/chapters/3/tables/row-wise-versus-column-wise-storage"


def editing_pages(world) -> dict[str, str]:
    # A draft of the chapter built to break the layout, as the editor autosaves it: its
    # revise page is the editor continuing a draft.
    stress = Chapter.objects.get(book__slug=SLUG, number=4)
    draft = propose_chapter_edit(world.change_request.author, stress, stress.body + "\nMore.", submit=False)
    return {
        "chapter-edit": f"{BOOK}/chapters/3/edit/",
        # The published text (the draft offered); without ?published the editor opens on the draft.
        "chapter-edit-stress": f"{BOOK}/chapters/4/edit/?published=1",
        "chapter-new": f"{BOOK}/chapters/new/",
        "book-edit": f"{BOOK}/edit/",
        "book-new": "/books/new/",
        "table-edit": f"{TABLE}/edit/",
        "table-new": f"{BOOK}/chapters/3/new-table/",
        "revise-draft": f"/reviews/{draft.pk}/revise/",
    }


@pytest.mark.parametrize("device", VIEWPORTS)
def test_no_editing_page_is_wider_than_the_screen(browser, live_server, device):
    world = build_world()
    viewport = VIEWPORTS[device]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "editor")  # the author of the waiting request: may revise it
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    folder = os.environ.get("EDITOR_SHOTS")
    too_wide = {}
    for name, path in editing_pages(world).items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (name, response.status)
        assert page.url == f"{live_server.url}{path}", f"{name} redirected to {page.url}"
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            too_wide[name] = width
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{folder}/{name}-{viewport['width']}.png")
            page.screenshot(path=f"{folder}/{name}-{viewport['width']}-full.png", full_page=True)
    context.close()
    assert too_wide == {}, f"wider than {viewport['width']} px: {too_wide}"
