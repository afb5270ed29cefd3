"""The reading side in a real browser: contents and chapter navigation, books proposed in
the browser, text that never widens a page, dark mode, print, errors, phones."""

import pytest

from notes.models import Book, ChangeRequest, Notification
from tests.browser.reading_world import BOOK, LONG_URL, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def reading_world(db):
    return build_world()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(viewport=..., color_scheme=..., user=None)``: a page in a fresh context."""
    contexts = []

    def build(*, viewport=LAPTOP, color_scheme="light", user=None):
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if user:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", "pw")
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield build
    for context in contexts:
        context.close()


def style(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')")


# --- 1. The chapter page -------------------------------------------------------------------


def test_contents_stand_sticky_beside_the_text_on_a_laptop_and_fold_on_a_phone(
    reading_world, live_server, open_page
):
    laptop = open_page()
    laptop.goto(f"{live_server.url}{BOOK}/chapters/3/")
    assert laptop.locator("details.toc").evaluate("d => d.open")
    assert style(laptop, ".chapter-aside", "position") == "sticky"
    aside, text = laptop.locator(".chapter-aside").bounding_box(), laptop.locator(".prose").bounding_box()
    assert aside["x"] + aside["width"] <= text["x"]  # beside, not above
    entries = laptop.locator(".toc-list li").all_inner_texts()
    assert entries == [
        "TABLE Row-wise versus Column-wise Storage",
        "TABLE Text versus Binary Format storage",
        "TABLE Document Data Model Versus Graph Data Models",
    ]
    # Scrolled to the end, the contents are still on screen.
    laptop.mouse.wheel(0, 5000)
    laptop.wait_for_timeout(200)
    assert laptop.locator(".chapter-aside").bounding_box()["y"] >= 0

    phone = open_page(viewport=PHONE)
    phone.goto(f"{live_server.url}{BOOK}/chapters/3/")
    assert not phone.locator("details.toc").evaluate("d => d.open")
    assert not phone.locator(".toc-list").is_visible()
    phone.click("details.toc summary")
    assert phone.locator(".toc-list").is_visible()
    assert phone.locator(".prose").bounding_box()["y"] > phone.locator("details.toc").bounding_box()["y"]


def test_a_contents_entry_and_a_permalink_lead_to_their_place(reading_world, live_server, open_page):
    page = open_page()
    page.goto(f"{live_server.url}{BOOK}/chapters/3/")
    page.click(".toc-list a:has-text('Text versus Binary Format storage')")
    assert page.url.endswith("#table-text-versus-binary-format-storage")
    assert page.locator("#table-text-versus-binary-format-storage").evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )
    page.goto(f"{live_server.url}{BOOK}/chapters/4/")
    permalink = page.locator("h2#reading-list a.permalink")
    assert permalink.evaluate("a => getComputedStyle(a).opacity") == "0"
    page.hover("h2#reading-list")
    page.wait_for_timeout(100)
    assert permalink.evaluate("a => getComputedStyle(a).opacity") == "1"
    permalink.click()
    assert page.url.endswith("#reading-list")
    assert page.locator(".toc-list a").first.inner_text() == "Reading list"


def test_the_books_chapters_are_listed_with_the_current_one_marked_and_previous_next_move(
    reading_world, live_server, open_page
):
    page = open_page()
    page.goto(f"{live_server.url}{BOOK}/chapters/2/")
    current = page.locator(".chapter-list a[aria-current=page]")
    assert current.inner_text() == "2. Introduction to Machine Learning System Design"
    assert page.locator(".chapter-list li").count() == 4
    with page.expect_navigation():
        page.click(".chapter-pager a[rel=next]")
    assert page.url.endswith("/chapters/3/")
    with page.expect_navigation():
        page.click(".chapter-pager a[rel=prev]")
    assert page.url.endswith("/chapters/2/")
    changed = page.locator(".chapter-changed").inner_text()
    assert changed.startswith("Last changed ") and "1 version · 0 open threads" in changed
    page.goto(f"{live_server.url}{BOOK}/chapters/1/")
    assert " by reviewer" not in page.locator(".chapter-changed").inner_text()
    assert " by editor · 2 versions" in page.locator(".chapter-changed").inner_text()


def test_discuss_this_under_a_heading_starts_a_thread_about_that_heading(
    reading_world, live_server, open_page
):
    page = open_page(user="lead")
    page.goto(f"{live_server.url}{BOOK}/chapters/4/")
    place = page.locator('p.discussed-place[data-anchor="heading:a-typed-table"]')
    with page.expect_navigation():
        place.locator("text=Discuss this").click()
    assert page.locator("select[name=anchor] option:checked").inner_text() == "Heading: A typed table"
    page.goto(f"{live_server.url}{BOOK}/chapters/3/")
    table_place = page.locator('p.discussed-place[data-anchor="table:row-wise-versus-column-wise-storage"]')
    # The lead may propose: the table's own "Edit this table" comes first, apart from the rest.
    assert table_place.inner_text() == "Edit this table 1 thread · Discuss this table"


# --- 2. Books in the browser ---------------------------------------------------------------


def test_an_editor_proposes_a_book_a_reviewer_approves_it_and_its_domain_lists_it(
    reading_world, live_server, open_page
):
    editor = open_page(user="editor")
    editor.goto(f"{live_server.url}/")
    with editor.expect_navigation():
        editor.click("text=Propose a new book")
    editor.fill("#id_title", "Designing Data-Intensive Applications")
    editor.fill("#id_book_author", "Martin Kleppmann")
    editor.fill("#id_book_domains", "System Design, Databases")
    editor.fill("textarea[name=body]", "Reliable, scalable, maintainable.")
    editor.fill("#id_summary", "Added the book")
    with editor.expect_navigation():
        editor.click("button:text-is('Submit for review')")
    assert "Submitted for review" in editor.locator(".messages").inner_text()
    assert not Book.objects.filter(slug="designing-data-intensive-applications").exists()

    reviewer = open_page(user="reviewer")
    reviewer.goto(f"{live_server.url}/reviews/")
    with reviewer.expect_navigation():
        reviewer.click("text=Added the book")
    assert (
        "/books/designing-data-intensive-applications/"
        in reviewer.locator(".request-meta").first.inner_text()
    )
    with reviewer.expect_navigation():
        reviewer.click("button:text-is('Approve and publish')")
    assert (
        ChangeRequest.objects.get(kind=ChangeRequest.Kind.BOOK_CREATE).status == ChangeRequest.Status.APPROVED
    )

    reviewer.goto(f"{live_server.url}/books/designing-data-intensive-applications/")
    assert reviewer.locator("h1").inner_text() == "Designing Data-Intensive Applications"
    with reviewer.expect_navigation():
        reviewer.click(".details a.tag:text-is('System Design')")
    assert reviewer.url.endswith("/domains/system-design/")
    titles = reviewer.locator(".card h2").all_inner_texts()
    assert titles == ["Designing Data-Intensive Applications", "Designing ML Systems"]


# --- 3. Text -------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_long_urls_words_code_and_tables_stay_inside_their_blocks(
    reading_world, live_server, open_page, viewport
):
    page = open_page(viewport=viewport)
    page.goto(f"{live_server.url}{BOOK}/chapters/4/")
    assert page.locator(f'.prose a[href="{LONG_URL}"]').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    for selector in ("pre", ".prose > table"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] + box["width"] <= viewport["width"], selector
        assert style(page, selector, "overflow-x") == "auto", selector
    assert page.locator("pre").evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls inside


def test_blockquotes_code_and_primary_buttons_are_styled(reading_world, live_server, open_page):
    page = open_page(user="lead")
    page.goto(f"{live_server.url}{BOOK}/chapters/4/")
    assert style(page, "blockquote", "border-left-style") == "solid"
    assert style(page, "pre", "background-color") != style(page, "body", "background-color")
    assert style(page, ":not(pre) > code", "border-top-style") == "solid"
    page.goto(f"{live_server.url}/reviews/{reading_world.change_request.pk}/")
    primary = style(page, "button:text-is('Approve and publish')", "background-color")
    plain = style(page, "button:text-is('Request changes')", "background-color")
    assert primary == "rgb(11, 95, 173)" and primary != plain
    assert style(page, "button:text-is('Approve and publish')", "color") == "rgb(255, 255, 255)"


# --- 4. Comfort ----------------------------------------------------------------------------


def test_dark_mode_follows_the_systems_setting(reading_world, live_server, open_page):
    light, dark = open_page(color_scheme="light"), open_page(color_scheme="dark")
    for page in (light, dark):
        page.goto(f"{live_server.url}{BOOK}/chapters/3/")
    assert style(light, "body", "background-color") == "rgb(255, 255, 255)"
    assert style(dark, "body", "background-color") == "rgb(13, 17, 23)"
    assert style(dark, "body", "color") == "rgb(230, 237, 243)"
    assert style(dark, "thead th", "background-color") == "rgb(22, 27, 34)"


def test_a_chapter_prints_as_clean_notes_without_the_navigation(reading_world, live_server, open_page):
    page = open_page(user="lead")
    page.goto(f"{live_server.url}{BOOK}/chapters/3/")
    page.emulate_media(media="print")
    for selector in (
        ".site-header",
        ".site-footer",
        ".chapter-aside",
        ".chapter-links",
        ".discussed-place",
        ".pager",
    ):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").is_visible() and page.locator(".comparison-table").first.is_visible()
    assert style(page, "body", "background-color") == "rgb(255, 255, 255)"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_the_skip_link_is_the_first_tab_stop_and_jumps_past_the_navigation(
    reading_world, live_server, open_page
):
    page = open_page()
    page.goto(f"{live_server.url}{BOOK}/chapters/3/")
    assert not page.locator(".skip-link").evaluate("a => a.getBoundingClientRect().right > 0")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").evaluate("a => a.getBoundingClientRect().left >= 0")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.site-header')") is None


def test_the_favicon_is_served(reading_world, live_server, open_page):
    page = open_page()
    page.goto(f"{live_server.url}/")
    href = page.eval_on_selector("link[rel=icon]", "l => l.href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")


# --- 5. Errors and the notification badge ---------------------------------------------------


def test_a_link_to_a_missing_chapter_shows_the_sites_404_page_with_debug_on(
    reading_world, live_server, open_page, settings
):
    settings.DEBUG = True
    page = open_page()
    page.goto(f"{live_server.url}{BOOK}/chapters/3/")
    page.evaluate(
        f"document.querySelector('.prose').insertAdjacentHTML('beforeend', '<a id=gone href=\"{BOOK}/chapters/9/\">gone</a>')"
    )
    with page.expect_navigation():
        page.click("#gone")
    assert page.locator("h1").inner_text() == "Not found"
    assert page.locator(".site-header .brand").inner_text() == "Chapterwise"
    assert "Using the URLconf" not in page.content()


def test_the_notification_badge_clears_once_the_notifications_page_is_seen(
    reading_world, live_server, open_page
):
    # The lead is told of the mention, and (as a reviewer) of the requests sent for review.
    unseen = Notification.objects.filter(recipient__username="lead", seen_at=None).count()
    assert unseen >= 1
    page = open_page(user="lead")
    assert page.locator(".nav a[href='/notifications/'] .badge").inner_text() == str(unseen)
    with page.expect_navigation():
        page.click(".nav a[href='/notifications/']")
    assert page.locator(".notification.unread").count() == unseen  # still marked new on this page
    assert page.locator(".nav a[href='/notifications/'] .badge").count() == 0
    assert not Notification.objects.filter(
        recipient__username="lead", seen_at=None
    ).exists()  # seen, still unread
    page.goto(f"{live_server.url}/")
    assert page.locator(".nav a[href='/notifications/'] .badge").count() == 0


# --- 6. Phones -----------------------------------------------------------------------------


def test_on_a_phone_the_lists_are_stacked_cards_and_the_compare_radios_work(
    reading_world, live_server, open_page
):
    page = open_page(viewport=PHONE, user="lead")
    page.goto(f"{live_server.url}/reviews/")
    card = page.locator("table.queue tbody tr").first
    assert card.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert (
        card.locator("td[data-label=Author]").evaluate("td => getComputedStyle(td, '::before').content")
        == '"Author: "'
    )
    assert page.locator("table.queue thead").evaluate("t => t.getBoundingClientRect().right <= 0")
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    page.goto(f"{live_server.url}{BOOK}/chapters/1/history/")
    rows = page.locator("table.versions tbody tr")
    assert rows.count() == 2
    oldest_from = rows.nth(1).locator("input[name=from]")
    radio = oldest_from.bounding_box()
    assert radio["x"] + radio["width"] <= PHONE["width"]
    oldest_from.check()
    with page.expect_navigation():
        page.click("button:text-is('Compare the two versions')")
    assert page.locator("section.diff h2").inner_text() == "Version 1 → version 2"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server.url}{BOOK}/changelog/")
    row = page.locator("table.changelog tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"


# --- Every page, every width, both schemes ---------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1280px"])
def test_no_reading_page_is_wider_than_the_screen(
    reading_world, live_server, open_page, viewport, color_scheme, signed_in
):
    page = open_page(viewport=viewport, color_scheme=color_scheme, user="lead" if signed_in else None)
    too_wide = {}
    for path in reading_world.pages(signed_in=signed_in):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == (404 if "no-such-book" in path else 200), path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            too_wide[path] = width
    assert too_wide == {}
