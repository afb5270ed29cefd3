"""The review screens in Chromium: conflicts resolved by choosing (keyboard only), rendered and
source diffs, review rounds, the actions in reach on a long request, and changelogs that
name what changed."""

import pytest

from notes.models import ChangeRequest
from tests.browser.review_world import BOOK, build_review_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, username: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 800 if width > 500 else 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _tab_to(page, selector: str, limit: int = 80):
    """Press Tab until ``selector`` has the focus (fails if it never does)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_conflict_is_resolved_with_the_keyboard_alone_by_keeping_mine(browser, live_server):
    world = build_review_world()
    conflict = world.requests["conflict"]
    page = _page(browser, live_server, "editor")
    page.goto(f"{live_server.url}/reviews/{conflict.pk}/revise/")
    card = page.locator(".conflict-card")
    assert card.count() == 1
    assert "Published" in card.locator("[data-side=published]").inner_text()
    assert "Mine" in card.locator("[data-side=mine]").inner_text()
    assert page.locator("details.conflict-as-text").get_attribute("open") is None  # markers tucked away
    merged = page.locator(".conflict-merged [data-merged='0']")
    assert merged.get_attribute("class") == "unresolved"

    # Tab into the radio group, arrow to "Keep published" then "Keep mine"; the merged
    # result follows each choice.
    _tab_to(page, "input[name=choice-0]")
    page.keyboard.press("Space")
    assert page.locator("input[name=choice-0]:checked").get_attribute("value") == "published"
    assert "Published" in merged.inner_text()
    page.keyboard.press("ArrowRight")
    assert page.locator("input[name=choice-0]:checked").get_attribute("value") == "mine"
    assert "Mine" in merged.inner_text() and merged.get_attribute("class") == "chosen"
    assert page.locator("[data-edit]").is_hidden()  # the edit box shows with "Edit" only

    page.keyboard.press("Tab")  # out of the group, on through the form to its submit button
    _tab_to(page, "button[value=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Submitted for review" in page.locator(".messages").inner_text()
    conflict.refresh_from_db()
    assert conflict.status == ChangeRequest.Status.SUBMITTED
    assert "Mine feature_store_" in conflict.body and "<<<<<<<" not in conflict.body


def test_the_edit_choice_shows_a_box_whose_text_goes_into_the_merged_result(browser, live_server):
    world = build_review_world()
    page = _page(browser, live_server, "editor", width=390)
    page.goto(f"{live_server.url}/reviews/{world.requests['conflict'].pk}/revise/")
    page.check("input[name=choice-0][value=edit]")
    page.fill("#edit-0", "A line both of us agree on.")
    assert (
        page.locator(".conflict-merged [data-merged='0']").inner_text().strip()
        == "A line both of us agree on."
    )
    # The live preview of the raw text shows markers as lines, never as a heading.
    page.click("details.conflict-as-text > summary")
    page.wait_for_function(
        "document.querySelector('.markdownx-preview') && document.querySelector('.markdownx-preview').textContent.includes('=======')"
    )
    assert page.locator(".markdownx-preview h1, .markdownx-preview h2").count() == 0


def test_history_compare_opens_on_the_rendered_diff_and_switches_to_source(browser, live_server):
    world = build_review_world()
    page = _page(browser, live_server, "reviewer")
    page.goto(f"{live_server.url}{world.pages()['compare']}")
    rendered = page.locator("[data-pane=rendered]")
    source = page.locator("[data-pane=source]")
    assert rendered.is_visible() and source.is_hidden()
    assert "A line added in version two." in rendered.locator("ins").inner_text()
    page.locator("input[name=diff-view][value=source]").focus()
    page.keyboard.press("Space")
    assert source.is_visible() and rendered.is_hidden()
    assert "A line added in version two." in source.locator(".inline-diff ins").inner_text()


def test_a_revised_request_shows_the_changes_since_the_reviewed_revision_and_its_rounds(browser, live_server):
    world = build_review_world()
    page = _page(browser, live_server, "reviewer")
    page.goto(f"{live_server.url}/reviews/{world.requests['submitted'].pk}/")
    since = page.locator("section.since-review")
    assert since.locator("h2").inner_text() == "Changes since revision 1"
    assert "second, longer" in since.locator("ins").inner_text()
    assert "The whole change" in page.locator("section.diff h2").inner_text()
    rounds = page.locator("ol.rounds > li")
    assert rounds.count() == 1
    first = rounds.nth(0).inner_text()
    assert (
        "Revision 1" in first and "reviewer" in first and "Request changes" in first and "Say more." in first
    )
    assert "Revision 2 waits for review." in page.locator("section.review-thread").inner_text()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_verdict_stays_in_reach_while_reading_a_long_request(browser, live_server, width):
    world = build_review_world()
    page = _page(browser, live_server, "reviewer", width=width)
    page.goto(f"{live_server.url}/reviews/{world.requests['submitted'].pk}/")
    result = page.locator("details.rendered")
    assert result.get_attribute("open") is None  # the long result is collapsed
    result.locator("summary").click()
    page.mouse.wheel(0, 1200)
    page.wait_for_timeout(200)
    approve = page.get_by_role("button", name="Approve and publish")
    box = approve.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height  # still on screen
    panel = page.locator(".request-actions").bounding_box()
    if width < 1000:
        assert panel["height"] < height / 3  # on a phone: a bar, not a wall over the text
    else:
        main = page.locator(".request-main").bounding_box()
        assert panel["x"] >= main["x"] + main["width"]  # on a laptop: beside the text
    # Scrolled to the end, the panel covers nothing: the rounds are above it.
    page.keyboard.press("End")
    page.wait_for_timeout(200)
    rounds = page.locator("section.review-thread").bounding_box()
    panel = page.locator(".request-actions").bounding_box()
    overlaps = rounds["x"] < panel["x"] + panel["width"] and panel["x"] < rounds["x"] + rounds["width"]
    assert not overlaps or rounds["y"] + rounds["height"] <= panel["y"] + 1


def test_changelogs_name_what_changed_and_offer_both_orders(browser, live_server):
    build_review_world()
    page = _page(browser, live_server, "reviewer")
    page.goto(f"{live_server.url}{BOOK}/changelog/")
    first_row = page.locator("table.changelog tbody tr").first.inner_text()
    assert "Chapter 2 · " in first_row  # newest first: the last published change
    page.get_by_role("link", name="Oldest first").click()
    page.wait_for_url("**order=oldest")
    rows = page.locator("table.changelog tbody tr").all_inner_texts()
    assert "April 20, 2026" in rows[0] and "Chapter 1 · Overview of Machine Learning Systems" in rows[0]
    page.goto(f"{live_server.url}/recent/")
    assert (
        "Chapter 2 · Introduction to Machine Learning System Design"
        in page.locator("ul.changes").inner_text()
    )
    page.goto(f"{live_server.url}{BOOK}/")
    assert page.locator("nav.order-switch strong").inner_text() == "Newest first"
