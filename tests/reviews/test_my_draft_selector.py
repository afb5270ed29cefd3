"""One selector answers "my draft of this page" (``notes.selectors.editing.my_draft_get``):
the editor's offer to continue, the refusal of a second draft and the submit into an
autosaved draft all find the same draft."""

import datetime

import pytest
from django.utils import timezone

from notes.models import ChangeRequest
from notes.selectors.editing import my_draft_get
from notes.services.drafts import StaleDraft, draft_start
from notes.services.reviews import change_request_create
from tests.factories import propose_chapter_edit, propose_table_edit

Status = ChangeRequest.Status
EDIT = "/books/test-book/chapters/1/edit/"


def _chapter_draft(author, chapter, body="Typed so far"):
    return draft_start(
        author=author,
        book=chapter.book,
        chapter=chapter,
        summary="",
        content={"title": chapter.title, "body": body},
        base_history_id=None,
    )


def test_my_draft_of_a_chapter_is_my_newest_draft_of_that_chapter(editor, other_editor, book):
    chapter, other_chapter = book.chapters.get(number=1), book.chapters.get(number=2)
    mine = _chapter_draft(editor, chapter)
    _chapter_draft(other_editor, chapter)
    _chapter_draft(editor, other_chapter)
    propose_chapter_edit(editor, chapter, "Submitted, so no longer a draft")
    assert my_draft_get(user=editor, target=chapter) == mine
    assert my_draft_get(user=editor, target=book) is None


def test_my_draft_of_a_books_details_is_not_a_draft_of_its_chapters(editor, book, chapter):
    _chapter_draft(editor, chapter)
    details = draft_start(
        author=editor,
        book=book,
        chapter=None,
        summary="",
        content={"title": book.title, "body": "About", "book_author": "", "book_domains": ""},
        base_history_id=None,
    )
    assert my_draft_get(user=editor, target=book) == details


def test_my_draft_of_a_table_is_my_draft_of_its_grid(editor, chapter):
    table = chapter.tables.get()
    draft = change_request_create(
        author=editor,
        book=chapter.book,
        chapter=chapter,
        table=table,
        kind=ChangeRequest.Kind.TABLE_EDIT,
        summary="",
        content={"title": table.title, "headers": table.headers, "rows": table.rows},
        submit=False,
    )
    propose_table_edit(editor, table, table.rows, summary="Submitted")
    assert my_draft_get(user=editor, target=table) == draft
    assert my_draft_get(user=editor, target=chapter) is None


def test_the_draft_an_editor_names_is_found_only_if_it_is_mine_on_this_page(editor, other_editor, book):
    chapter, other_chapter = book.chapters.get(number=1), book.chapters.get(number=2)
    mine = _chapter_draft(editor, chapter)
    theirs = _chapter_draft(other_editor, chapter)
    assert my_draft_get(user=editor, target=chapter, request_id=mine.pk) == mine
    assert my_draft_get(user=editor, target=chapter, request_id=theirs.pk) is None
    assert my_draft_get(user=editor, target=other_chapter, request_id=mine.pk) is None


def test_the_draft_an_editor_names_is_found_after_another_tab_submitted_it(editor, chapter):
    """So the save says the draft moved on, rather than that it is not the author's."""
    draft = _chapter_draft(editor, chapter)
    ChangeRequest.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    assert my_draft_get(user=editor, target=chapter) is None
    assert my_draft_get(user=editor, target=chapter, request_id=draft.pk) == draft


def test_a_second_draft_of_the_page_is_refused_naming_the_first(editor, chapter):
    first = _chapter_draft(editor, chapter)
    with pytest.raises(StaleDraft, match=f"You have a draft of this page from .* \\(request #{first.pk}\\)"):
        _chapter_draft(editor, chapter, body="A second tab")


def test_the_editor_offers_my_draft_even_behind_many_newer_requests_on_the_page(
    client_for, editor, other_editor, chapter
):
    """The editor reads a page of the newest open requests; the draft must not fall off it,
    or the editor would autosave into a second draft that the service then refuses."""
    client = client_for(editor)
    draft = _chapter_draft(editor, chapter)
    for index in range(25):
        propose_chapter_edit(other_editor, chapter, f"Text {index}", f"Change {index}")
    html = client.get(f"{EDIT}?published=1").content.decode()
    assert "You have a draft from" in html
    assert f'href="/reviews/{draft.pk}/revise/">Continue the draft' in html
    assert "data-autosave-url" not in html


def test_another_persons_draft_is_named_by_who_and_when_never_by_what(
    client_for, editor, other_editor, chapter
):
    draft = _chapter_draft(other_editor, chapter, body="Private until submitted")
    html = client_for(editor).get(EDIT).content.decode()
    assert "You have a draft from" not in html
    assert "<strong>other_editor</strong> has a draft here, saved" in html
    assert "Private until submitted" not in html
    assert f"/reviews/{draft.pk}/" not in html


def test_a_draft_left_for_more_than_a_week_is_not_named(client_for, editor, other_editor, chapter):
    draft = _chapter_draft(other_editor, chapter, body="Old")
    ChangeRequest.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(days=8))
    assert "has a draft here" not in client_for(editor).get(EDIT).content.decode()
