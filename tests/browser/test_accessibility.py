"""axe-core on every page kind, light and dark, phone and laptop: no critical and no
serious violation. axe is vendored (tests/browser/vendor/, see its README) and injected
through the DevTools protocol, which the pages' strict CSP does not apply to. The
experimental rule that a control's accessible name holds its visible text is turned on."""

import datetime

import pytest
from django.utils import timezone

from notes.services.discussions import comment_post
from notes.services.groups import group_create, meeting_create
from notes.services.watching import watch_add
from tests.browser.checks import axe_violations
from tests.browser.reading_world import BOOK, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 390, "height": 844}, {"width": 1280, "height": 800}]
SCHEMES = ["light", "dark"]


def _pages(world) -> list[str]:
    # Watching the thread and its book: the pressed "Watching · Unwatch" button and the
    # notifications' "Unwatch" buttons are on the pages too.
    watch_add(user=world.lead, target=world.thread)
    watch_add(user=world.lead, target=world.thread.chapter.book)
    comment_post(thread=world.thread, author=world.change_request.author, body="A reply the lead watches.")
    group = group_create(book=world.thread.chapter.book, actor=world.lead, name="Club", members=[world.lead])
    meeting = meeting_create(
        group=group,
        actor=world.lead,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        first_chapter=1,
        last_chapter=2,
        place_or_link="Room 4",
    )
    return [
        *world.pages(signed_in=True),
        f"{BOOK}/groups/",
        group.get_absolute_url(),
        meeting.get_absolute_url(),
        "/notifications/settings/",
        "/import/",
    ]


def test_no_page_has_a_critical_or_serious_accessibility_violation(browser, live_server):
    world = build_world()
    pages = _pages(world)
    failures = []
    for scheme in SCHEMES:
        for viewport in VIEWPORTS:
            # One context per viewport and scheme, reused for every page: the suite stays fast.
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            context.set_default_timeout(15_000)
            page = context.new_page()
            where = f"{scheme} {viewport['width']}px"
            page.goto(f"{live_server.url}/accounts/login/")
            failures += [f"{where} /accounts/login/ {item}" for item in axe_violations(page)]
            page.fill("#id_username", "lead")
            page.fill("#id_password", "pw")
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            for path in pages:
                page.goto(f"{live_server.url}{path}")
                failures += [f"{where} {path} {item}" for item in axe_violations(page)]
            context.close()
    # Run with -s to read the summary; the closing notes quote it.
    views = (len(pages) + 1) * len(SCHEMES) * len(VIEWPORTS)
    print(
        f"\naxe-core: {len(pages) + 1} pages x {len(SCHEMES)} schemes x {len(VIEWPORTS)} widths = {views} views, "
        f"{len(failures)} critical or serious violations"
    )
    assert failures == [], "\n".join(failures)
