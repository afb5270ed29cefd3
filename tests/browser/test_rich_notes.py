"""A reader meets a chapter with footnotes, a task list and a fold in Chromium: each works
from the keyboard and says what it is to a screen reader."""

import pytest

from tests.factories import make_book, make_chapter, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = """## Plan

Drift matters.[^drift] Press <kbd>Ctrl</kbd>.

- [x] Read chapter 8
- [ ] Discuss it

<details>
<summary>Why it fails</summary>

Mostly **data**.

</details>

[^drift]: The inputs change after launch.
"""


def test_task_checkboxes_are_named_by_their_text_and_cannot_be_changed(live_server, new_page, log_in):
    book = make_book(slug="rich-book", title="Rich Book")
    make_chapter(book=book, number=1, body=BODY)
    make_user("reader", role="Reader")
    page = new_page()
    log_in(page, "reader")
    page.goto(f"{live_server.url}/books/rich-book/chapters/1/")

    done = page.get_by_role("checkbox", name="Read chapter 8")
    assert done.is_checked() and done.is_disabled()
    todo = page.get_by_role("checkbox", name="Discuss it")
    assert not todo.is_checked()
    page.get_by_text("Discuss it").click(force=True)  # Playwright would wait for it to be enabled
    assert not todo.is_checked()  # a page to read, not a form


def test_a_footnote_and_a_fold_work_from_the_keyboard(live_server, new_page, log_in):
    book = make_book(slug="rich-book", title="Rich Book")
    make_chapter(book=book, number=1, body=BODY)
    make_user("reader", role="Reader")
    page = new_page()
    log_in(page, "reader")
    page.goto(f"{live_server.url}/books/rich-book/chapters/1/")

    hidden = page.get_by_text("Mostly")
    assert not hidden.is_visible()
    page.locator("summary", has_text="Why it fails").focus()
    page.keyboard.press("Enter")
    assert hidden.is_visible()

    page.locator(".footnote-ref a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#fn.c1.1")
    back = page.get_by_role("link", name="Back to the text")
    back.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#fnref.c1.1")
