"""The review paths a person clicks through beyond the plain edit-and-approve one: a conflict
resolved in the editor, a clean merge, history with compare and revert, a new chapter sent
back for changes, and a comparison table edited cell by cell."""

import pytest

from notes.services.reviews import change_request_approve
from tests.factories import make_book, make_chapter, make_user, paragraphs, propose_chapter_edit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, selector: str = "button[value=submit]"):
    """Click a button that posts the page and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def _propose(page, url: str, body: str, summary: str):
    """Open the chapter editor at ``url``, type ``body`` and ``summary``, submit for review."""
    page.goto(url)
    page.fill("textarea[name=body]", body)
    page.fill("input[name=summary]", summary)
    _submit(page)
    assert "Submitted for review" in page.locator(".messages").inner_text()
    return page.url


def _messages(page) -> str:
    return page.locator(".messages").inner_text()


def test_a_conflict_goes_back_to_its_author_who_resolves_it_in_the_editor(live_server, new_page, log_in):
    make_book(slug="conflict-book", chapters=1)  # chapter 1: "Notes for chapter 1.\nThe end."
    make_user("ann", role="Editor")
    make_user("ben", role="Editor")
    make_user("reviewer", role="Reviewer")
    edit_url = f"{live_server.url}/books/conflict-book/chapters/1/edit/"

    ann, ben = new_page(), new_page()
    log_in(ann, "ann")
    log_in(ben, "ben")
    ann_request = _propose(ann, edit_url, "Notes for chapter 1, as Ann sees them.\nThe end.", "Ann's view")
    ben_request = _propose(ben, edit_url, "Notes for chapter 1, as Ben sees them.\nThe end.", "Ben's view")

    reviewer = new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto(ann_request)
    _submit(reviewer, "text=Approve and publish")
    assert "Approved and published." in _messages(reviewer)
    reviewer.goto(ben_request)
    # Before approving, the reviewer is warned that the chapter moved on.
    assert "changed since this request was written" in reviewer.locator(".message.warning").inner_text()
    _submit(reviewer, "text=Approve and publish")
    refusal = _messages(reviewer)
    assert "Nothing was published" in refusal
    assert "went back to its author with the conflicting parts" in refusal
    assert reviewer.locator(".request-meta .status").inner_text() == "Conflict"
    reviewer.goto(f"{live_server.url}/books/conflict-book/chapters/1/")
    assert "as Ann sees them" in reviewer.locator(".prose").inner_text()

    ben.goto(ben_request)
    conflict = ben.locator("section.conflicts")
    assert "as Ann sees them" in conflict.locator(".conflict-chunk pre").nth(0).inner_text()
    assert "as Ben sees them" in conflict.locator(".conflict-chunk pre").nth(1).inner_text()
    with ben.expect_navigation():
        ben.click("a.button:text-is('Resolve the conflicts')")
    assert ben.url.endswith("/revise/")
    assert ben.locator("section.conflicts").count() == 1
    draft = ben.input_value("textarea[name=body]")
    assert draft == (
        "<<<<<<< current\n"
        "Notes for chapter 1, as Ann sees them.\n"
        "=======\n"
        "Notes for chapter 1, as Ben sees them.\n"
        ">>>>>>> proposed\n"
        "The end."
    )

    # Half resolved: the markers are still there. Refused, and nothing typed is lost.
    ben.click("details.conflict-as-text > summary")  # the raw markers: the fallback
    half_resolved = draft.replace("as Ben sees them", "as both see them")
    ben.fill("textarea[name=body]", half_resolved)
    _submit(ben)
    assert ben.url.endswith("/revise/")
    assert "still holds conflict markers" in ben.locator(".form-errors").inner_text()
    assert ben.input_value("textarea[name=body]") == half_resolved

    ben.click("details.conflict-as-text > summary")
    ben.fill("textarea[name=body]", "Notes for chapter 1, as Ann and Ben see them.\nThe end.")
    ben.fill("input[name=summary]", "Ben's view, merged with Ann's")
    _submit(ben)
    assert "Submitted for review" in _messages(ben)

    reviewer.goto(ben_request)
    _submit(reviewer, "text=Approve and publish")
    assert "Approved and published." in _messages(reviewer)
    reviewer.goto(f"{live_server.url}/books/conflict-book/chapters/1/")
    assert "Notes for chapter 1, as Ann and Ben see them." in reviewer.locator(".prose").inner_text()
    reviewer.goto(f"{live_server.url}/books/conflict-book/chapters/1/history/")
    summaries = reviewer.locator("table.versions tbody tr td:nth-child(3)").all_inner_texts()
    assert [summary.split(" #")[0] for summary in summaries] == [
        "Ben's view, merged with Ann's",
        "Ann's view",
        "Added notes for Chapter 1",
    ]


def test_edits_to_different_paragraphs_merge_on_the_second_approval(live_server, new_page, log_in):
    book = make_book(slug="merge-book")
    make_chapter(book=book, number=1, body=paragraphs(4))
    make_user("ann", role="Editor")
    make_user("ben", role="Editor")
    make_user("reviewer", role="Reviewer")
    edit_url = f"{live_server.url}/books/merge-book/chapters/1/edit/"

    ann, ben = new_page(), new_page()
    log_in(ann, "ann")
    log_in(ben, "ben")
    ann_request = _propose(ann, edit_url, paragraphs(4, {0: "Ann rewrote the opening."}), "Opening")
    ben_request = _propose(ben, edit_url, paragraphs(4, {3: "Ben rewrote the close."}), "Close")

    reviewer = new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto(ann_request)
    _submit(reviewer, "text=Approve and publish")
    assert "Approved and published." in _messages(reviewer)
    reviewer.goto(ben_request)
    _submit(reviewer, "text=Approve and publish")
    assert "merged without conflicts and the merged text was published" in _messages(reviewer)

    reviewer.goto(f"{live_server.url}/books/merge-book/chapters/1/")
    prose = reviewer.locator(".prose").inner_text()
    assert "Ann rewrote the opening." in prose
    assert "Ben rewrote the close." in prose
    assert "Paragraph 1." in prose and "Paragraph 2." in prose


def _chapter_with_three_versions():
    """Chapter 1 of "revert-book" at version 3; version 1 reads "Notes for chapter 1."."""
    book = make_book(slug="revert-book", chapters=1)
    chapter = book.chapters.get(number=1)
    author = make_user("author", role="Editor")
    approver = make_user("approver", role="Reviewer")
    for body, summary in (("The second text.", "Second"), ("The third text.", "Third")):
        change_request_approve(
            change_request=propose_chapter_edit(author, chapter, body, summary), reviewer=approver
        )


def test_a_reviewer_views_compares_and_reverts_to_an_old_version(live_server, new_page, log_in):
    _chapter_with_three_versions()
    make_user("reviewer", role="Reviewer")
    page = new_page()
    log_in(page, "reviewer")
    page.goto(f"{live_server.url}/books/revert-book/chapters/1/")
    with page.expect_navigation():
        page.click(".chapter-links a:text-is('History')")
    rows = page.locator("table.versions tbody tr")
    assert rows.count() == 3

    # View version 1 as it was.
    with page.expect_navigation():
        rows.nth(2).locator("td:first-child a").click()
    old = page.locator("section.old-version")
    assert "This is version 1, not the current text" in old.locator(".message.warning").inner_text()
    assert "Notes for chapter 1." in old.locator(".prose").inner_text()

    # Compare version 1 with the newest (not the neighbours the form starts with).
    rows.nth(2).locator("input[name=from]").check()
    assert rows.nth(0).locator("input[name=to]").is_checked()
    _submit(page, "text=Compare the two versions")
    diff = page.locator("section.diff")
    assert diff.locator("h2").inner_text() == "Version 1 → version 3"
    assert diff.locator(".inline-diff del", has_text="chapter").count() >= 1
    assert diff.locator(".inline-diff ins", has_text="third").count() >= 1

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    _submit(page, "text=Revert to version 1")
    assert dialogs == ["Publish version 1 again as the newest version?"]
    assert "Reverted to version 1: published as a new version." in _messages(page)
    first_row = page.locator("table.versions tbody tr").first
    assert first_row.locator("td").nth(0).inner_text() == "4"
    assert first_row.locator("td").nth(2).inner_text().startswith("Reverted to version 1")
    page.goto(f"{live_server.url}/books/revert-book/chapters/1/")
    prose = page.locator(".prose").inner_text()
    assert "Notes for chapter 1." in prose
    assert "The third text." not in prose


def test_an_editors_revert_waits_in_the_review_queue(live_server, new_page, log_in):
    _chapter_with_three_versions()
    make_user("editor", role="Editor")
    make_user("reviewer", role="Reviewer")
    page = new_page()
    log_in(page, "editor")
    page.goto(f"{live_server.url}/books/revert-book/chapters/1/history/")
    assert (
        "Your revert goes to a reviewer first." in page.locator("p.meta", has_text="Reverting").inner_text()
    )
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    _submit(page, "text=Revert to version 1")
    assert dialogs == ["Propose reverting to version 1?"]
    assert "Your revert is waiting for a reviewer." in _messages(page)
    assert page.locator(".request-meta .status").inner_text() == "Submitted"

    page.goto(f"{live_server.url}/books/revert-book/chapters/1/")
    assert "The third text." in page.locator(".prose").inner_text()
    reviewer = new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto(f"{live_server.url}/reviews/")
    queued = reviewer.locator("table.queue tbody tr", has_text="Reverted to version 1")
    assert queued.locator("td").nth(3).inner_text() == "editor"
    with reviewer.expect_navigation():
        queued.locator("a").click()
    _submit(reviewer, "text=Approve and publish")
    assert "Approved and published." in _messages(reviewer)
    reviewer.goto(f"{live_server.url}/books/revert-book/chapters/1/")
    assert "Notes for chapter 1." in reviewer.locator(".prose").inner_text()


def test_a_new_chapter_is_sent_back_for_changes_then_published(live_server, new_page, log_in):
    make_book(slug="new-book", title="New Book", chapters=1)
    make_user("editor", role="Editor")
    make_user("reviewer", role="Reviewer")
    editor = new_page()
    log_in(editor, "editor")
    editor.goto(f"{live_server.url}/books/new-book/")
    with editor.expect_navigation():
        editor.click("text=Propose a new chapter")
    assert editor.input_value("input[name=number]") == "2"
    editor.fill("input[name=title]", "Feature stores")
    editor.fill("textarea[name=body]", "Features live here.")
    editor.fill("input[name=summary]", "Added notes for Chapter 2")
    _submit(editor)
    assert "Submitted for review" in _messages(editor)
    request_url = editor.url

    reviewer = new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto(request_url)
    assert "Chapter 2 - Feature stores" in reviewer.locator(".request-meta").inner_text()
    # A request for changes needs a comment.
    _submit(reviewer, "button:text-is('Request changes')")
    assert "Say why in a comment" in reviewer.locator(".message.error").inner_text()
    assert reviewer.locator(".request-meta .status").inner_text() == "Submitted"
    reviewer.fill("textarea[name=comment]", "Say what a feature store is for.")
    _submit(reviewer, "button:text-is('Request changes')")
    assert "Sent back to the author with your comment." in _messages(reviewer)
    assert reviewer.locator(".request-meta .status").inner_text() == "Changes requested"

    editor.goto(request_url)
    assert "Say what a feature store is for." in editor.locator(".review-thread").inner_text()
    with editor.expect_navigation():
        editor.click("a.button:text-is('Revise')")
    assert editor.input_value("textarea[name=body]") == "Features live here."
    editor.fill("textarea[name=body]", "Features live here, shared by training and serving.")
    _submit(editor)
    assert "Submitted for review" in _messages(editor)

    reviewer.goto(request_url)
    assert (
        "(given to an earlier revision; no longer counts)" in reviewer.locator(".review-thread").inner_text()
    )
    _submit(reviewer, "text=Approve and publish")
    assert "Approved and published." in _messages(reviewer)

    reviewer.goto(f"{live_server.url}/books/new-book/")
    assert reviewer.locator("ol.chapters a", has_text="Chapter 2 - Feature stores").count() == 1
    changelog = reviewer.locator("table.changelog tbody").inner_text()
    assert "Added notes for Chapter 2" in changelog
    with reviewer.expect_navigation():
        reviewer.click("ol.chapters a:text-is('Chapter 2 - Feature stores')")
    assert "shared by training and serving" in reviewer.locator(".prose").inner_text()


def test_a_table_edited_cell_by_cell_is_reviewed_cell_by_cell(live_server, new_page, log_in):
    make_book(slug="table-book", chapters=1, tables=1)
    make_user("editor", role="Editor")
    make_user("reviewer", role="Reviewer")
    editor = new_page()
    log_in(editor, "editor")
    editor.goto(f"{live_server.url}/books/table-book/chapters/1/tables/table-1/edit/")
    assert editor.input_value("textarea[name=cell-0-1]") == "fast"
    editor.fill("textarea[name=cell-0-1]", "very fast")
    editor.fill("textarea[name=header-2]", "Other")
    editor.fill("input[name=summary]", "Measured the speed")
    _submit(editor)
    assert "Submitted for review" in _messages(editor)
    request_url = editor.url

    reviewer = new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto(request_url)
    diff = reviewer.locator("section.diff table.cell-diff")
    changed = diff.locator("tbody td.cell-changed")
    assert changed.count() == 1
    # Word by word: "very " was added to the cell, nothing was taken out of it.
    assert changed.locator("del").count() == 0
    assert changed.locator("ins").inner_text().strip() == "very"
    assert changed.inner_text() == "very fast"
    header = diff.locator("thead th.cell-changed")
    assert header.locator("del").inner_text() == "Right"
    assert header.locator("ins").inner_text() == "Other"
    assert "1 column renamed, 1 cell changed" in reviewer.locator(".table-diff-summary").inner_text()
    assert diff.locator("tbody td.cell-changed, thead th.cell-changed").count() == 2
    _submit(reviewer, "text=Approve and publish")
    assert "Approved and published." in _messages(reviewer)

    reviewer.goto(f"{live_server.url}/books/table-book/chapters/1/")
    table = reviewer.locator(".prose figure.comparison-table")
    assert table.locator("td", has_text="very fast").count() == 1
    assert table.locator("th", has_text="Other").count() == 1
