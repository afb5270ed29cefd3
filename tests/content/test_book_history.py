"""The history of a book's details: every published version listed, one viewed as it was,
any two compared, at a constant number of queries; refusals for versions of other things."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.models import Book, ChangeRequest, Chapter
from notes.services.reviews import change_request_approve, change_request_create

pytestmark = pytest.mark.django_db

URL = "/books/test-book/history/"


def edit_details(book, author, reviewer, *, summary_text, author_name, line):
    request = change_request_create(
        author=author,
        book=book,
        kind=ChangeRequest.Kind.BOOK_EDIT,
        summary=line,
        content={
            "title": book.title,
            "body": summary_text,
            "book_author": author_name,
            "book_domains": book.domains,
        },
        submit=True,
    )
    assert change_request_approve(change_request=request, reviewer=reviewer).published
    book.refresh_from_db()


@pytest.fixture
def edited_book(book, editor, reviewer):
    edit_details(
        book,
        editor,
        reviewer,
        summary_text="A book about *testing*.",
        author_name="A. Author",
        line="Fixed the author",
    )
    return book


def test_the_history_lists_every_version_with_who_wrote_and_approved_it(client, edited_book):
    html = client.get(URL).content.decode()
    assert "History of the book details" in html
    assert "Fixed the author" in html and "Added the book" in html
    assert '<td data-label="Author">editor</td>' in html and '<td data-label="Approver">reviewer</td>' in html
    assert f'href="{URL}"' in client.get("/books/test-book/").content.decode()


def test_an_old_version_shows_the_details_as_they_were(client, edited_book):
    first = Book.history.filter(id=edited_book.pk).order_by("history_id").first()
    html = client.get(f"{URL}?version={first.history_id}").content.decode()
    assert "This is version 1, not the current details." in html
    assert (
        "<dd>An Author</dd>" in html
        and "A. Author" not in html.partition("<section")[2].partition("</section>")[0]
    )
    assert "A <em>book</em>." in html


def test_comparing_two_versions_shows_the_changed_fields_and_the_summary_word_by_word(client, edited_book):
    first, second = Book.history.filter(id=edited_book.pk).order_by("history_id")
    html = client.get(f"{URL}?from={first.history_id}&to={second.history_id}").content.decode()
    assert "<strong>Author:</strong> <del>An Author</del> → <ins>A. Author</ins>" in html
    assert "A <del>*book*.</del><ins>book about *testing*.</ins>" in html
    assert "Title:" not in html  # unchanged fields are not listed


def test_a_version_of_something_else_is_refused_with_a_message(client, edited_book):
    chapter_version = Chapter.history.filter(book_id=edited_book.pk).first()
    response = client.get(f"{URL}?version={chapter_version.history_id}")
    assert response.status_code == 400
    assert "That version does not belong to this book." in response.content.decode()
    book_version = Book.history.filter(id=edited_book.pk).first()
    mixed = client.get(f"{URL}?from={book_version.history_id}&to={chapter_version.history_id}")
    assert mixed.status_code == 400
    assert client.get("/books/no-such-book/history/").status_code == 404


def test_the_history_reads_no_summary_text_and_runs_the_same_queries_for_2_and_20_versions(
    client, book, editor, reviewer
):
    def measure() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries), [q["sql"] for q in context.captured_queries]

    edit_details(book, editor, reviewer, summary_text="One.", author_name="One", line="Edit 0")
    small, sql = measure()
    assert not any('"notes_historicalbook"."summary' in query for query in sql)
    for index in range(1, 19):
        edit_details(
            book,
            editor,
            reviewer,
            summary_text=f"Text {index}.",
            author_name=f"A{index}",
            line=f"Edit {index}",
        )
    large, _ = measure()
    assert Book.history.filter(id=book.pk).count() == 20
    assert small == large


def test_without_public_read_the_history_asks_anonymous_visitors_to_log_in(client, edited_book, settings):
    settings.WIKI_PUBLIC_READ = False
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url
