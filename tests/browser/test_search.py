"""A reader searches from the nav: "column-wise" finds chapter 3 of the seed book and its
table with the word highlighted, a comment's words find its thread, and each result
leads to the exact place (table, comment). The results page fits a phone and a desktop."""

import os
import tempfile
from pathlib import Path

import pytest

from notes.services.discussions import comment_post
from tests.factories import import_seed, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = "row-wise-versus-column-wise-storage"
SCREENSHOTS = Path(os.environ.get("SEARCH_SCREENSHOTS", tempfile.gettempdir()))


def test_the_nav_search_finds_chapter_3_its_table_and_a_comment_s_thread(live_server, new_page):
    book = import_seed()
    chapter = book.chapters.get(number=3)
    alice = make_user("alice", role="Reader")
    thread = make_thread(chapter=chapter, author=alice, title="Storage for training data", body="Opening.")
    reply = comment_post(thread=thread, author=alice, body="Parquet files suit sparse feature reads best.")

    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    page.fill(".nav .search input[name=q]", "column-wise")
    page.press(".nav .search input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=column-wise")

    links = page.locator("a.search-result-link")
    hrefs = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert "/books/designing-ml-systems/chapters/3/" in hrefs
    assert f"/books/designing-ml-systems/chapters/3/#table-{TABLE}" in hrefs
    chapter_result = page.locator("#results-chapter li.search-result").first
    table_result = page.locator("#results-table li.search-result").first
    for result in (chapter_result, table_result):
        highlighted = " ".join(result.locator("mark").all_inner_texts()).lower()
        assert "column" in highlighted and "wise" in highlighted
    page.screenshot(path=str(SCREENSHOTS / "search-results-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "search-results-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The table result opens the chapter at the table.
    table_result.locator("a.search-result-link").click()
    page.wait_for_url(f"**/chapters/3/#table-{TABLE}")
    assert page.locator(f"#table-{TABLE}").is_visible()

    # A comment's words find it, and the result opens its thread at the comment.
    page.fill(".nav .search input[name=q]", "sparse feature reads")
    page.press(".nav .search input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=sparse+feature+reads")
    comment_result = page.locator("#results-comment li.search-result").first
    assert "alice in “Storage for training data”" in comment_result.inner_text()
    assert "sparse" in " ".join(comment_result.locator("mark").all_inner_texts()).lower()
    comment_result.locator("a.search-result-link").click()
    page.wait_for_url(f"**/discussion/{thread.pk}/**#comment-{reply.pk}")
    assert "sparse feature reads" in page.locator(f"#comment-{reply.pk}").inner_text()

    # The search page's own form, with its button, filters by kind.
    page.goto(f"{live_server.url}/search/?q=parquet")
    page.select_option("#search-kind", "table")
    page.click("form.search-form button[type=submit]")
    page.wait_for_url("**kind=table**")
    assert page.locator("#results-table").count() == 1 and page.locator("#results-chapter").count() == 0


def test_suggestions_under_the_nav_search_are_a_keyboard_listbox(live_server, new_page):
    from tests.factories import make_book, make_chapter

    book = make_book(slug="storage", title="Storage engines")
    make_chapter(book=book, number=1, title="Columnar formats", body="Parquet keeps columns apart.")
    make_chapter(book=book, number=2, title="Columns in logs", body="Segments.")

    page = new_page()
    page.goto(f"{live_server.url}/")
    box = page.locator(".nav .search input[name=q]")
    box.press_sequentially("colu", delay=30)
    listbox = page.locator("#search-suggestions")
    listbox.locator("[role=option]").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.locator("[role=option]").count() == 2
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("m", delay=30)
    listbox.locator("[role=option]").first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(f"{live_server.url}/books/storage/chapters/*/")


def test_the_book_filter_offers_titles_as_one_types_and_takes_one_by_keyboard(live_server, new_page):
    from tests.browser.checks import axe_violations, fits
    from tests.factories import make_book, make_chapter

    for number in range(12):  # more books than the list offers
        make_book(slug=f"shelf-{number}", title=f"Shelf {number:02d} of data systems")
    storage = make_book(slug="storage", title="Storage engines")
    make_chapter(book=storage, number=1, title="Columnar formats", body="Parquet keeps columns apart.")
    make_book(slug="other", title="Other storage notes")
    make_chapter(book=make_book(slug="third", title="Third"), number=1, title="Columns", body="Parquet too.")

    page = new_page()
    page.goto(f"{live_server.url}/search/?q=parquet")
    assert "2 results" in page.locator(".search-summary").inner_text()
    box = page.locator("#search-book")
    box.focus()
    box.press_sequentially("stor", delay=30)
    listbox = page.locator("#search-book-suggestions")
    listbox.locator("[role=option]").first.wait_for()
    options = listbox.locator("[role=option]")
    # The title that begins with the text comes first, then the one that holds it.
    assert [options.nth(i).inner_text().split("\n")[0] for i in range(options.count())] == [
        "Storage engines",
        "Other storage notes",
    ]
    box.fill("")
    box.press_sequentially("shelf", delay=30)
    listbox.locator("[role=option]:nth-child(8)").wait_for()
    assert options.count() == 8
    below = listbox.bounding_box()["y"] - (box.bounding_box()["y"] + box.bounding_box()["height"])
    assert 0 <= below < 10  # the list opens right under the box
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert fits(page)
        page.screenshot(path=str(SCREENSHOTS / f"search-book-filter-{width}.png"))
        assert axe_violations(page) == []
    box.fill("")
    box.press_sequentially("storage e", delay=30)
    listbox.locator("[role=option]").first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")  # takes the title, does not leave the page
    assert box.input_value() == "Storage engines" and listbox.is_hidden()
    assert page.url.endswith("/search/?q=parquet")
    with page.expect_navigation():
        box.press("Enter")  # now submits the form
    assert "1 result for “parquet” in Storage engines." in page.locator(".search-summary").inner_text()
