"""A reader opens the seed-like book in Chromium and reaches a chapter's table."""

import pytest

from tests.factories import make_book, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_logs_in_and_reads_a_chapter_with_its_table(live_server, new_page, log_in):
    make_book(slug="browser-book", title="Browser Book", chapters=2, tables=1)
    make_user("reader", role="Reader")
    page = new_page()
    log_in(page, "reader")
    page.goto(f"{live_server.url}/")
    page.click("text=Browser Book")
    page.click("text=Chapter 2 - Chapter title 2")
    assert page.locator("figure.comparison-table td", has_text="fast").count() == 1
    assert page.locator(".nav .username").inner_text() == "reader"
