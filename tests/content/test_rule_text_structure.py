"""The structure limits (headings, contents entries, table rows per text) hold on every path
that saves text: a chapter edit, an upload of a new book, an import, a comment."""

import pytest

from notes.formats import parse_markdown
from notes.lib.limits import MAX_HEADINGS_PER_TEXT, MAX_TABLE_ROWS_PER_TEXT
from notes.models import Book, ChangeRequest
from notes.services.book_proposals import UploadError, notes_upload_propose
from notes.services.books import ImportRefused, book_import
from notes.services.reviews import ReviewError
from tests.factories import propose_chapter_edit

pytestmark = pytest.mark.django_db

MANY_HEADINGS = "### a\n" * (MAX_HEADINGS_PER_TEXT + 1)


def test_a_chapter_edit_with_too_many_headings_is_refused_and_nothing_is_written(chapter, editor):
    with pytest.raises(ReviewError, match=f"{MAX_HEADINGS_PER_TEXT + 1:,} headings; the most is"):
        propose_chapter_edit(editor, chapter, MANY_HEADINGS)
    assert not ChangeRequest.objects.exists()


def test_a_chapter_edit_with_too_many_table_rows_is_refused(chapter, editor):
    body = "|a|b|\n|-|-|\n" + "|1|2|\n" * MAX_TABLE_ROWS_PER_TEXT
    with pytest.raises(ReviewError, match="table rows; the most is"):
        propose_chapter_edit(editor, chapter, body)


def test_an_upload_of_a_new_book_is_checked_chapter_by_chapter(editor):
    book = f"# A Book\n\n## Chapter 1 - One\n\nText.\n\n## Chapter 2 - Two\n\n{MANY_HEADINGS}"
    with pytest.raises(UploadError, match="Chapter 2 has 1,001 headings"):
        notes_upload_propose(author=editor, data=book.encode(), filename="a.md")
    assert not ChangeRequest.objects.exists()


def test_a_whole_book_with_many_headings_in_all_is_not_refused_as_one_text(editor):
    """Each chapter within the limit: the book, many chapters long, is not one text."""
    chapters = "".join(
        f"## Chapter {number} - Part {number}\n\n" + "### a\n" * (MAX_HEADINGS_PER_TEXT // 2)
        for number in range(1, 4)
    )
    [request] = notes_upload_propose(
        author=editor, data=f"# Big\n\n{chapters}".encode(), filename="b.md"
    ).requests
    assert request.kind == ChangeRequest.Kind.BOOK_FROM_FILE


def test_an_import_with_too_many_headings_is_refused_and_no_book_is_made():
    document = parse_markdown(f"# A Book\n\n## Chapter 1 - One\n\n{MANY_HEADINGS}").book
    with pytest.raises(ImportRefused, match="chapter 1: The chapter has"):
        book_import(document=document)
    assert not Book.objects.exists()
