"""One mapping of what each kind of change request proposes, one set of open statuses, and
kind names that say which new book they make."""

import pytest

from notes.models import ChangeRequest
from notes.models.reviews import NEW_BOOK_KINDS, OPEN_STATUSES, PROPOSED_FIELDS
from notes.selectors.reviews import review_counts, review_queue
from notes.services.reviews import ReviewError, change_request_create
from tests.factories import make_book

pytestmark = pytest.mark.django_db

Kind = ChangeRequest.Kind
Status = ChangeRequest.Status


def test_the_two_new_book_kinds_are_named_by_how_the_book_is_made_and_keep_their_stored_values():
    assert Kind.BOOK_FROM_FILE.value == "new_book"
    assert Kind.BOOK_CREATE.value == "book_new"
    assert set(NEW_BOOK_KINDS) == {Kind.BOOK_FROM_FILE, Kind.BOOK_CREATE}


def test_every_kind_says_which_fields_it_proposes():
    assert set(PROPOSED_FIELDS) == set(Kind)
    assert set(PROPOSED_FIELDS[Kind.CHAPTER_NEW]) == {"number", "title", "body"}
    assert set(PROPOSED_FIELDS[Kind.BOOK_CREATE]) == {"title", "body", "book_author", "book_domains", "slug"}


def test_a_field_its_kind_does_not_propose_is_refused_by_name(editor):
    book = make_book(chapters=1)
    with pytest.raises(ReviewError, match="^A chapter edit cannot change number.$"):
        change_request_create(
            author=editor,
            book=book,
            kind=Kind.CHAPTER_EDIT,
            chapter=book.chapters.get(),
            summary="s",
            content={"title": "T", "body": "", "number": 3},
        )


def test_the_open_statuses_are_those_a_request_is_open_in_and_the_authors_queue_lists(editor):
    book = make_book(chapters=1)
    chapter = book.chapters.get()
    for status in Status:
        ChangeRequest.objects.create(
            kind=Kind.CHAPTER_EDIT,
            book=book,
            chapter=chapter,
            author=editor,
            summary=status.label,
            status=status,
        )
    assert {status for status in Status if ChangeRequest(status=status).is_open} == set(OPEN_STATUSES)
    assert {cr.status for cr in review_queue(user=editor, bucket="mine")} == set(OPEN_STATUSES)
    assert review_counts(user=editor)["mine"] == len(OPEN_STATUSES)
