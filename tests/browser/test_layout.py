"""What a reader sees: legible buttons, the site's own name, pages that fit a phone."""

import pytest

from notes.models import ChangeRequest, Comment
from notes.services.people import profile_diff_view_update
from notes.services.reviews import change_request_approve, change_request_create
from tests.factories import make_book, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def propose(book, author, body="New notes for the first chapter."):
    chapter = book.chapters.get(number=1)
    return change_request_create(
        author=author,
        book=book,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        chapter=chapter,
        summary="Edited chapter 1",
        content={"title": chapter.title, "body": body},
        submit=True,
    )


def test_the_reject_button_text_is_readable_on_its_red_background(live_server, new_page, log_in):
    book = make_book(slug="layout-book", chapters=1)
    change_request = propose(book, make_user("editor", role="Editor"))
    make_user("reviewer", role="Reviewer")
    page = new_page()
    log_in(page, "reviewer")
    page.goto(f"{live_server.url}/reviews/{change_request.pk}/")
    colours = page.eval_on_selector(
        "button.danger", "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert colours[0] != colours[1]
    assert colours[0] == "rgb(255, 255, 255)"


def test_the_login_page_names_the_site_not_the_host(live_server, new_page):
    page = new_page()
    page.goto(f"{live_server.url}/books/layout-book/chapters/1/edit/")
    page.wait_for_url("**/accounts/login/**")
    assert page.title() == "Log in · Chapterwise"
    assert page.locator(".nav .brand").inner_text() == "Chapterwise"
    assert "Log in to continue" in page.locator("main").inner_text()


def test_history_and_review_queue_fit_a_phone_screen(live_server, new_page, log_in):
    book = make_book(slug="layout-book", chapters=1)
    propose(book, make_user("editor", role="Editor"))
    make_user("reviewer", role="Reviewer")
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, "reviewer")
    for path in ("/reviews/", "/books/layout-book/chapters/1/history/", "/books/layout-book/changelog/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["laptop", "phone"])
def test_both_sides_of_the_side_by_side_diff_are_on_screen(live_server, new_page, log_in, viewport):
    book = make_book(slug="layout-book", chapters=1)
    long_line = " ".join(["a long line of notes that a reviewer must read to its end"] * 4)
    change_request = propose(book, make_user("editor", role="Editor"), body=f"{long_line}\n\nAdded.")
    reviewer = make_user("reviewer", role="Reviewer")
    # The side by side diff is the Source view's; reviewers choose it once, it is kept.
    profile_diff_view_update(user=reviewer, diff_view="source")
    page = new_page()
    page.set_viewport_size(viewport)
    log_in(page, "reviewer")
    page.goto(f"{live_server.url}/reviews/{change_request.pk}/")
    box = page.locator(".side-by-side .table-scroll")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")
    added = page.locator("table.diff td", has_text="Added.").bounding_box()
    assert added["x"] + added["width"] <= viewport["width"]


def test_deleting_a_comment_asks_first_and_a_no_keeps_it(live_server, new_page, log_in):
    book = make_book(slug="layout-book", chapters=1)
    reader = make_user("reader", role="Reader")
    thread = make_thread(chapter=book.chapters.get(number=1), author=reader, body="Keep me, please.")
    page = new_page()
    log_in(page, "reader")
    page.goto(f"{live_server.url}/books/layout-book/chapters/1/discussion/{thread.pk}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.click(".comment-actions button:text-is('Delete')")
    page.wait_for_timeout(300)
    assert questions and questions[0].startswith("Delete this comment?")
    assert not Comment.objects.get(thread=thread).is_deleted
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        page.click(".comment-actions button:text-is('Delete')")
    assert Comment.objects.get(thread=thread).is_deleted


def test_reverting_and_rejecting_ask_before_they_act(live_server, new_page, log_in):
    book = make_book(slug="layout-book", chapters=1)
    editor, reviewer = make_user("editor", role="Editor"), make_user("reviewer", role="Reviewer")
    change_request_approve(change_request=propose(book, editor, body="Version two."), reviewer=reviewer)
    change_request = propose(book, editor, body="Version three.")
    chapter = book.chapters.get(number=1)
    page = new_page()
    log_in(page, "reviewer")
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.goto(f"{live_server.url}/reviews/{change_request.pk}/")
    page.fill("textarea[name=comment]", "Not for this book.")
    page.click("button:text-is('Reject')")
    page.wait_for_timeout(300)
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.SUBMITTED
    assert page.input_value("textarea[name=comment]") == "Not for this book."
    page.goto(f"{live_server.url}/books/layout-book/chapters/1/history/")
    page.click("button:text-is('Revert to version 1')")
    page.wait_for_timeout(300)
    assert chapter.history.count() == 2
