"""Every size and length limit lives in notes.lib.limits: the models' columns, the forms, the
notes formats and the services all read it there."""

import pytest

from notes.formats import FormatError, parse_markdown
from notes.forms.reviews import BookForm, ChangeForm, ChapterForm, NewBookForm, NewChapterForm, TableMetaForm
from notes.lib import limits
from notes.models import Book, ChangeRequest, Chapter, ComparisonTable
from notes.services.book_proposals import UploadError, notes_upload_read
from notes.services.reviews import ReviewError, change_request_create
from tests.factories import make_book

pytestmark = pytest.mark.django_db

Kind = ChangeRequest.Kind


def max_length(model, name):
    return model._meta.get_field(name).max_length


def test_the_columns_hold_exactly_the_limits():
    assert max_length(Book, "title") == max_length(Chapter, "title") == limits.MAX_TITLE_LENGTH
    assert (
        max_length(Book, "author")
        == max_length(ChangeRequest, "book_author")
        == limits.MAX_BOOK_AUTHOR_LENGTH
    )
    assert (
        max_length(Book, "domains")
        == max_length(ChangeRequest, "book_domains")
        == limits.MAX_BOOK_DOMAINS_LENGTH
    )
    assert (
        max_length(ComparisonTable, "title")
        == max_length(ChangeRequest, "title")
        == limits.MAX_TABLE_TITLE_LENGTH
    )
    assert max_length(Book, "slug") == max_length(ComparisonTable, "slug") == limits.MAX_SLUG_LENGTH
    assert max_length(ChangeRequest, "slug") == limits.MAX_SLUG_LENGTH
    assert max_length(ChangeRequest, "summary") == limits.MAX_SUMMARY_LENGTH


def test_the_forms_take_no_more_than_the_limits():
    def field(form, name):
        return form.base_fields[name]

    assert field(ChangeForm, "summary").max_length == limits.MAX_SUMMARY_LENGTH
    assert (
        field(ChapterForm, "title").max_length
        == field(BookForm, "title").max_length
        == limits.MAX_TITLE_LENGTH
    )
    assert field(BookForm, "book_author").max_length == limits.MAX_BOOK_AUTHOR_LENGTH
    assert field(BookForm, "book_domains").max_length == limits.MAX_BOOK_DOMAINS_LENGTH
    assert (
        field(NewBookForm, "slug").max_length
        == field(TableMetaForm, "slug").max_length
        == limits.MAX_SLUG_LENGTH
    )
    assert field(TableMetaForm, "title").max_length == limits.MAX_TABLE_TITLE_LENGTH
    number = NewChapterForm().fields["number"]
    # The browser is told the range; the form refuses outside it in the rule's own words.
    assert (number.widget.attrs["min"], number.widget.attrs["max"]) == (
        limits.MIN_CHAPTER_NUMBER,
        limits.MAX_CHAPTER_NUMBER,
    )
    for outside in (limits.MIN_CHAPTER_NUMBER - 1, limits.MAX_CHAPTER_NUMBER + 1):
        form = NewChapterForm({"number": str(outside), "title": "T", "body": "", "summary": "s"})
        assert form.errors["number"] == [limits.chapter_number_refusal(outside)]


def test_the_notes_formats_refuse_a_title_one_past_the_limit():
    parse_markdown(f"# {'t' * limits.MAX_TITLE_LENGTH}\n")
    with pytest.raises(FormatError, match=f"expected at most {limits.MAX_TITLE_LENGTH}$"):
        parse_markdown(f"# {'t' * (limits.MAX_TITLE_LENGTH + 1)}\n")


def test_the_service_refuses_a_title_one_past_the_limit(editor):
    book = make_book(chapters=1)
    with pytest.raises(ReviewError, match=f"the limit is {limits.MAX_TITLE_LENGTH}"):
        change_request_create(
            author=editor,
            book=book,
            kind=Kind.CHAPTER_EDIT,
            chapter=book.chapters.get(),
            summary="s",
            content={"title": "t" * (limits.MAX_TITLE_LENGTH + 1), "body": ""},
        )


def test_the_service_refuses_a_summary_one_past_the_limit(editor):
    book = make_book(chapters=1)
    with pytest.raises(ReviewError, match=f"the limit is {limits.MAX_SUMMARY_LENGTH}"):
        change_request_create(
            author=editor,
            book=book,
            kind=Kind.CHAPTER_EDIT,
            chapter=book.chapters.get(),
            summary="s" * (limits.MAX_SUMMARY_LENGTH + 1),
            content={"title": "T", "body": ""},
        )


def test_an_upload_one_byte_past_the_limit_is_refused():
    with pytest.raises(UploadError, match="the limit is 1 MB"):
        notes_upload_read(data=b"# B\n" + b"x" * (limits.MAX_UPLOAD_BYTES - 3), filename="big.md")
