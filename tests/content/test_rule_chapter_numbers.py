"""One chapter number range, refused with the same message on every path that takes a number:
the notes formats (so the upload, new book or existing, and the import command), the
change-request service and the new-chapter form."""

import io

import pytest
from django.core.management import CommandError, call_command

from notes.formats import FormatError, parse_markdown, parse_text
from notes.formats.document import BookDoc, ChapterDoc
from notes.lib.limits import MAX_CHAPTER_NUMBER, MIN_CHAPTER_NUMBER, chapter_number_refusal
from notes.models import Book, ChangeRequest
from notes.services.book_proposals import UploadError, notes_upload_propose
from notes.services.books import ImportRefused, book_import
from notes.services.reviews import ReviewError, change_request_create
from tests.factories import make_book

pytestmark = pytest.mark.django_db

Kind = ChangeRequest.Kind
OUT_OF_RANGE = "Chapter numbers run from 1 to 9999; 10000 is not one."
FILE_10000 = b"# A Book\n\n## Chapter 10000 - Far\n\nText.\n"


def test_the_range_runs_from_1_to_9999():
    assert (MIN_CHAPTER_NUMBER, MAX_CHAPTER_NUMBER) == (1, 9999)
    assert chapter_number_refusal(1) == chapter_number_refusal(9999) == ""
    assert chapter_number_refusal(10000) == OUT_OF_RANGE
    assert chapter_number_refusal(0) == "Chapter numbers run from 1 to 9999; 0 is not one."


def test_both_notes_formats_refuse_chapter_10000_with_its_line():
    with pytest.raises(FormatError) as error:
        parse_markdown(FILE_10000.decode())
    assert str(error.value) == f"line 3: {OUT_OF_RANGE}"
    with pytest.raises(FormatError, match=f"^line 5: {OUT_OF_RANGE}$"):
        parse_text("A Book\n\nChapter-wise Notes\n\nChapter 10000 - Far\n\nText.\n")


def test_chapter_10000_in_a_file_proposing_a_new_book_is_refused(editor):
    with pytest.raises(UploadError, match=f"^far.md: line 3: {OUT_OF_RANGE}$"):
        notes_upload_propose(author=editor, data=FILE_10000, filename="far.md")
    assert not ChangeRequest.objects.exists()


def test_chapter_10000_in_a_file_uploaded_to_its_book_is_refused_the_same_way(editor):
    book = make_book(slug="a-book", title="A Book", chapters=1)
    with pytest.raises(UploadError, match=f"^far.md: line 3: {OUT_OF_RANGE}$"):
        notes_upload_propose(author=editor, data=FILE_10000, filename="far.md", book=book)
    assert not ChangeRequest.objects.exists()


def test_chapter_10000_imported_by_the_command_is_refused_the_same_way(tmp_path):
    path = tmp_path / "far.md"
    path.write_bytes(FILE_10000)
    with pytest.raises(CommandError, match=f"line 3: {OUT_OF_RANGE}"):
        call_command("import_notes", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Book.objects.exists()


def test_the_importer_refuses_a_document_with_chapter_10000_however_it_was_made():
    document = BookDoc(
        title="A Book",
        author="",
        domains=[],
        summary="",
        changelog=[],
        chapters=[ChapterDoc(number=10000, title="Far", body="Text.", tables=[])],
    )
    with pytest.raises(ImportRefused, match=OUT_OF_RANGE):
        book_import(document=document)
    assert not Book.objects.exists()


def test_a_new_chapter_10000_proposed_to_the_service_is_refused_the_same_way(editor):
    book = make_book()
    with pytest.raises(ReviewError, match=f"^{OUT_OF_RANGE}$"):
        change_request_create(
            author=editor,
            book=book,
            kind=Kind.CHAPTER_NEW,
            summary="Added",
            content={"number": 10000, "title": "Far", "body": ""},
        )


@pytest.mark.parametrize("number", [0, -1])
def test_a_new_chapter_below_1_proposed_to_the_service_is_refused_in_the_rule_s_words(editor, number):
    book = make_book()
    with pytest.raises(ReviewError, match=f"^Chapter numbers run from 1 to 9999; {number} is not one.$"):
        change_request_create(
            author=editor,
            book=book,
            kind=Kind.CHAPTER_NEW,
            summary="Added",
            content={"number": number, "title": "Near", "body": ""},
        )
    assert not ChangeRequest.objects.exists()


def test_a_new_chapter_without_a_number_is_refused_as_such(editor):
    with pytest.raises(ReviewError, match="^A new chapter needs a number.$"):
        change_request_create(
            author=editor,
            book=make_book(),
            kind=Kind.CHAPTER_NEW,
            summary="Added",
            content={"number": None, "title": "Near", "body": ""},
        )


def test_the_new_chapter_form_takes_9999_and_refuses_10000(client_for, editor):
    make_book(slug="a-book")
    client = client_for(editor)
    form = {"title": "Far", "body": "", "summary": "Added", "action": "submit"}
    refused = client.post("/books/a-book/chapters/new/", {**form, "number": "10000"})
    assert refused.status_code == 400
    assert "Chapter numbers run from 1 to 9999; 10000 is not one." in refused.content.decode()
    assert client.post("/books/a-book/chapters/new/", {**form, "number": "9999"}).status_code == 302
    assert ChangeRequest.objects.get().number == 9999
