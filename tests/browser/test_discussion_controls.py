"""The discussion's controls in the browser: "Discuss this" under a heading appears on hover
and on keyboard focus (and stays reachable with Tab); the moderation menu opens from the
keyboard and its one reason goes with the action chosen."""

import pytest

from notes.models import ModerationLog
from tests.browser.reading_world import BOOK, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, user="lead"):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def _opacity(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).opacity")


def test_discuss_this_shows_on_hover_and_on_focus_only(browser, live_server):
    build_world()
    context, page = _signed_in(browser, live_server)
    page.goto(f"{live_server.url}{BOOK}/chapters/4/")
    link = page.locator('p.discussed-place[data-anchor="heading:a-typed-table"] .anchor-start')
    heading = page.locator("h3#a-typed-table")
    page.mouse.move(0, 0)
    page.wait_for_timeout(150)
    assert _opacity(link) == "0"
    heading.hover()
    page.wait_for_timeout(150)
    assert _opacity(link) == "1"
    page.mouse.move(0, 0)
    link.focus()
    page.wait_for_timeout(150)
    assert _opacity(link) == "1"
    assert page.evaluate("document.activeElement.textContent") == "Discuss this"
    context.close()


def test_the_moderation_menu_opens_from_the_keyboard_and_logs_its_reason(browser, live_server):
    world = build_world()
    context, page = _signed_in(browser, live_server)
    page.goto(f"{live_server.url}{BOOK}/chapters/3/discussion/{world.thread.pk}/")
    summary = page.locator(".moderation-menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    reason = page.locator(".moderation-form input[name=reason]")
    reason.wait_for()
    reason.fill("Everyone asks this")
    with page.expect_navigation():
        page.locator(".moderation-form button", has_text="Pin").click()
    assert "Thread pinned." in page.locator(".messages").inner_text()
    assert ModerationLog.objects.get(action="pin").reason == "Everyone asks this"
    context.close()
