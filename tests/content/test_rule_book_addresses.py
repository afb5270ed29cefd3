"""The book-address rule: every way a book is made (the new-book form, the browser upload of
a notes file, the import command) asks one function for the book's address, and none of them
gives a book an address that a page under /books/ already answers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import URLResolver, get_resolver, resolve

from notes.lib.addresses import RESERVED_BOOK_ADDRESSES, AddressRefused, book_address
from notes.models import Book, ChangeRequest
from notes.services.book_proposals import UploadError, notes_upload_propose
from notes.services.reviews import ReviewError, change_request_create

pytestmark = pytest.mark.django_db

Kind = ChangeRequest.Kind
TITLED_NEW = b"# New\n\n- Author: A. Writer\n\n## Chapter 1 - One\n\nText.\n"
RESERVED = "'new' cannot be a book's address"


def _fixed_segments_under_books(patterns, prefix: str = "") -> set[str]:
    segments = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            segments |= _fixed_segments_under_books(pattern.url_patterns, route)
        elif route.startswith("books/"):
            segment = route.removeprefix("books/").split("/", 1)[0]
            if segment and "<" not in segment:
                segments.add(segment)
    return segments


def test_the_reserved_addresses_are_the_fixed_segments_under_books_in_the_url_patterns():
    assert _fixed_segments_under_books(get_resolver().url_patterns) == RESERVED_BOOK_ADDRESSES
    for address in RESERVED_BOOK_ADDRESSES:
        assert resolve(f"/books/{address}/").url_name != "book-detail"


def test_a_title_becomes_its_address():
    assert book_address("Designing Data-Intensive Applications") == "designing-data-intensive-applications"


@pytest.mark.parametrize("title", ["New", "NEW", " new! "])
def test_a_title_that_would_give_a_reserved_address_is_refused(title):
    with pytest.raises(AddressRefused, match=RESERVED):
        book_address(title)


def test_a_title_with_no_letters_or_digits_gives_no_address():
    with pytest.raises(AddressRefused, match="The book needs an address made of letters"):
        book_address("日本")


def test_an_address_longer_than_the_database_takes_is_refused():
    with pytest.raises(AddressRefused, match="is 149 characters long; the limit is 120"):
        book_address("Word " * 30)


def test_a_file_titled_new_uploaded_as_a_new_book_is_refused_and_proposes_nothing(editor):
    with pytest.raises(UploadError, match=RESERVED):
        notes_upload_propose(author=editor, data=TITLED_NEW, filename="new.md")
    assert not ChangeRequest.objects.exists()


def test_the_upload_page_shows_why_a_file_titled_new_is_refused(client_for, editor):
    response = client_for(editor).post(
        "/import/", {"notes_file": SimpleUploadedFile("new.md", TITLED_NEW), "book": ""}
    )
    assert response.status_code == 400
    assert "&#x27;new&#x27; cannot be a book&#x27;s address" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_file_titled_new_imported_by_the_command_is_refused_and_writes_nothing(tmp_path):
    path = tmp_path / "new.md"
    path.write_bytes(TITLED_NEW)
    with pytest.raises(CommandError, match=RESERVED):
        call_command("import_notes", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Book.objects.exists()


def test_the_import_command_refuses_new_given_as_the_slug(tmp_path):
    path = tmp_path / "book.md"
    path.write_bytes(b"# A Book\n\n## Chapter 1 - One\n\nText.\n")
    with pytest.raises(CommandError, match=RESERVED):
        call_command("import_notes", str(path), "--slug", "new", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Book.objects.exists()


def test_the_new_book_form_titled_new_with_no_address_is_refused(client_for, editor):
    response = client_for(editor).post(
        "/books/new/",
        {"title": "New", "book_author": "", "book_domains": "", "slug": "", "body": "", "summary": "Added"},
    )
    assert response.status_code == 400
    assert "&#x27;new&#x27; cannot be a book&#x27;s address" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_new_book_from_a_file_revised_to_a_reserved_address_is_refused(editor):
    [request] = notes_upload_propose(
        author=editor, data=b"# A Book\n\n## Chapter 1 - One\n\nText.\n", filename="a.md"
    ).requests
    assert request.kind == Kind.BOOK_FROM_FILE
    with pytest.raises(ReviewError, match=RESERVED):
        change_request_create(
            author=editor,
            book=None,
            kind=Kind.BOOK_FROM_FILE,
            summary="Again",
            content={"title": "A Book", "body": request.body, "slug": "new"},
        )
