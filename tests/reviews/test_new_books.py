"""Proposing a new book in the browser: it goes through review and exists once approved."""

import pytest

from notes.models import Book, ChangeRequest
from notes.services.reviews import ReviewError, change_request_approve, change_request_create
from tests.factories import make_book

pytestmark = pytest.mark.django_db

Kind = ChangeRequest.Kind
Status = ChangeRequest.Status

FORM = {
    "title": "Designing Data-Intensive Applications",
    "book_author": "Martin Kleppmann",
    "book_domains": "Databases, System Design",
    "slug": "",
    "body": "The big ideas behind reliable systems. See https://dataintensive.net",
    "summary": "Added the book",
    "action": "submit",
}


def propose(author, **content):
    return change_request_create(
        author=author,
        book=None,
        kind=Kind.BOOK_CREATE,
        summary="Added the book",
        content={
            "title": "Database Internals",
            "book_author": "Alex Petrov",
            "book_domains": "Databases",
            "body": "Storage engines.",
            **content,
        },
        submit=True,
    )


def test_an_editor_proposes_a_book_and_nothing_exists_until_a_reviewer_approves(client_for, editor, reviewer):
    response = client_for(editor).post("/books/new/", FORM)
    change_request = ChangeRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reviews/{change_request.pk}/"
    assert change_request.kind == Kind.BOOK_CREATE and change_request.book is None
    assert change_request.slug == "designing-data-intensive-applications"
    assert not Book.objects.exists()

    page = client_for(reviewer).get(f"/reviews/{change_request.pk}/").content.decode()
    assert "<code>/books/designing-data-intensive-applications/</code>" in page
    assert "Martin Kleppmann" in page
    client_for(reviewer).post(f"/reviews/{change_request.pk}/approve/", {"revision": 1})

    book = Book.objects.get()
    change_request.refresh_from_db()
    assert change_request.status == Status.APPROVED and change_request.book == book
    assert (book.title, book.author, book.domains) == (
        FORM["title"],
        FORM["book_author"],
        FORM["book_domains"],
    )
    assert '<a href="https://dataintensive.net" rel="noopener noreferrer nofollow">' in book.summary_html
    row = book.history.get()
    assert (row.history_change_reason, row.history_user, row.change_request_id) == (
        "Added the book",
        editor,
        change_request.pk,
    )
    assert client_for(None).get("/books/designing-data-intensive-applications/").status_code == 200


def test_the_new_book_form_needs_a_proposer(client_for, reader):
    assert client_for(reader).get("/books/new/").status_code == 403
    assert client_for(None).get("/books/new/").status_code == 302


def test_the_home_page_offers_to_propose_a_book_to_editors_only(client_for, editor, reader):
    assert 'href="/books/new/"' in client_for(editor).get("/").content.decode()
    assert 'href="/books/new/"' not in client_for(reader).get("/").content.decode()


def test_an_address_that_is_taken_is_refused_when_proposing(editor):
    make_book(slug="database-internals")
    with pytest.raises(ReviewError, match=r"A book at /books/database-internals/ exists already"):
        propose(editor)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"title": ""}, "A title is required."),
        ({"title": "日本", "slug": ""}, "The book needs an address made of letters"),
        ({"slug": "new"}, "'new' cannot be a book's address"),
        ({"book_author": "x" * 201}, "The author is longer than 200 characters."),
    ],
    ids=["no-title", "no-address", "reserved", "long-author"],
)
def test_a_new_book_the_wiki_cannot_take_is_refused_by_message(editor, content, message):
    with pytest.raises(ReviewError, match=message):
        propose(editor, **content)
    assert not ChangeRequest.objects.exists()


def test_a_new_book_names_no_existing_book(editor):
    with pytest.raises(ReviewError, match="A new book names no existing book."):
        change_request_create(
            author=editor,
            book=make_book(),
            kind=Kind.BOOK_CREATE,
            summary="Added",
            content={"title": "T"},
        )


def test_a_book_made_at_the_same_address_meanwhile_sends_the_request_back(editor, reviewer):
    change_request = propose(editor)
    make_book(slug="database-internals")
    outcome = change_request_approve(change_request=change_request, reviewer=reviewer)
    change_request.refresh_from_db()
    assert not outcome.published and change_request.status == Status.CONFLICT
    assert change_request.conflicts[0]["message"].startswith("A book at /books/database-internals/ was added")


def test_the_author_revises_the_address_after_a_conflict_and_it_publishes(client_for, editor, reviewer):
    change_request = propose(editor)
    make_book(slug="database-internals")
    change_request_approve(change_request=change_request, reviewer=reviewer)
    form = client_for(editor).get(f"/reviews/{change_request.pk}/revise/").content.decode()
    assert 'name="slug" value="database-internals"' in form
    data = {**FORM, "title": "Database Internals", "slug": "database-internals-petrov"}
    client_for(editor).post(f"/reviews/{change_request.pk}/revise/", data)
    change_request.refresh_from_db()
    assert change_request.status == Status.SUBMITTED and change_request.slug == "database-internals-petrov"
    assert change_request_approve(change_request=change_request, reviewer=reviewer).published
    assert Book.objects.filter(slug="database-internals-petrov").exists()


def test_the_review_queue_names_the_proposed_book(client_for, editor, reviewer):
    propose(editor)
    html = client_for(reviewer).get("/reviews/").content.decode()
    assert "New book · Database Internals" in html


def test_a_domain_links_to_a_page_of_every_book_in_it(client):
    make_book(slug="one", title="One")  # domains "Testing, Books"
    other = make_book(slug="two", title="Two")
    other.domains = "Machine Learning"
    other.save_without_historical_record(update_fields=["domains"])
    html = client.get("/books/one/").content.decode()
    assert '<a class="tag" href="/domains/testing/">Testing</a>' in html
    page = client.get("/domains/testing/").content.decode()
    assert "<h1>Testing</h1>" in page and 'href="/books/one/"' in page and 'href="/books/two/"' not in page
    assert 'href="/domains/machine-learning/"' in client.get("/").content.decode()
    assert client.get("/domains/nobody-writes-this/").status_code == 404


def test_the_domain_page_runs_two_queries_for_its_books(client, django_assert_num_queries):
    for index in range(20):
        make_book(slug=f"b{index}")
    with django_assert_num_queries(2):  # how many, and the page of them
        assert client.get("/domains/books/").status_code == 200
