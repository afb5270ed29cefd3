"""Pages whose cost does not grow with the wiki: the home page is paginated, the changelog
loads only the books it names, search ranks a bounded set and takes the book as typed; and
the anonymous page cache, answered before the rest of the stack, keeps private pages out."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notes.selectors import search as search_selectors
from notes.selectors import search_engine
from notes.views.reading import HOME_BOOKS_PER_PAGE
from tests.factories import make_book

pytestmark = pytest.mark.django_db

# Query plans are PostgreSQL's: these run there (CI runs the suite on both databases).
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="asks PostgreSQL's planner")

CHAPTER = "/books/test-book/chapters/1/"


def queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries), response.content.decode()


def make_books(count: int, start: int = 0) -> None:
    for index in range(start, start + count):
        make_book(slug=f"shelf-{index:03}", title=f"Shelf book {index:03}", chapters=1, tables=0)


def test_the_home_page_runs_the_same_queries_for_2_and_40_books(client_for, reader):
    client = client_for(reader)
    make_books(2)
    client.get("/")  # the reader's snapshot is built once
    few, html = queries(client, "/")
    assert "2 books." in html and "Shelf book 001" in html
    make_books(38, start=2)
    many, html = queries(client, "/")
    assert few == many
    assert f"40 books, by title: 1–{HOME_BOOKS_PER_PAGE} here." in html
    assert html.count('class="card"') == HOME_BOOKS_PER_PAGE
    assert "Shelf book 029" in html and "Shelf book 030" not in html
    assert 'rel="next" href="?page=2"' in html


def test_the_home_page_pages_through_every_book_and_clamps_a_page_past_the_end(client):
    make_books(HOME_BOOKS_PER_PAGE + 3)
    second = client.get("/?page=2").content.decode().split("<h2>Recent changes</h2>")[0]  # the cards
    assert "Shelf book 030" in second and "Shelf book 032" in second and "Shelf book 029" not in second
    assert 'rel="prev" href="?page=1"' in second
    assert client.get("/?page=999").content.decode().count('class="card"') == 3  # the last page
    assert client.get("/?page=nonsense").status_code == 200


def test_a_domain_page_pages_its_books_in_the_same_queries_at_any_size(client):
    make_books(2)
    few, html = queries(client, "/domains/testing/")
    assert "<h1>Testing</h1>" in html and "2 books in this domain." in html
    make_books(HOME_BOOKS_PER_PAGE + 8, start=2)
    other = make_book(slug="elsewhere", title="Elsewhere")
    other.domains = "Cooking, Testing Tools"  # "testing-tools" is not "testing"
    other.save(update_fields=["domains"])
    many, html = queries(client, "/domains/testing/")
    assert few == many
    total = HOME_BOOKS_PER_PAGE + 10
    assert f"{total} books in this domain, by title: 1–{HOME_BOOKS_PER_PAGE} here." in html
    assert html.count('class="card"') == HOME_BOOKS_PER_PAGE and "Elsewhere" not in html
    last = client.get("/domains/testing/?page=2").content.decode()
    assert last.count('class="card"') == 10 and 'rel="prev" href="?page=1"' in last
    assert "Elsewhere" in client.get("/domains/testing-tools/").content.decode()
    assert client.get("/domains/nobody-writes-this/").status_code == 404


def test_a_book_that_renames_its_domains_moves_between_domain_pages(client):
    book = make_book(slug="moving", title="Moving book")
    assert "Moving book" in client.get("/domains/books/").content.decode()
    book.domains = "Databases"
    book.save()
    assert client.get("/domains/books/").status_code == 404
    assert "Moving book" in client.get("/domains/databases/").content.decode()


def test_the_whole_wiki_changelog_loads_only_the_books_its_lines_name(client):
    make_books(3)
    few, _ = queries(client, "/recent/")
    make_books(30, start=3)
    with CaptureQueriesContext(connection) as context:
        client.get("/recent/")
    assert len(context.captured_queries) == few
    book_queries = [q["sql"] for q in context.captured_queries if 'FROM "notes_book"' in q["sql"]]
    assert book_queries and all(" IN (" in sql for sql in book_queries), book_queries


@pytest.fixture
def three_candidates(monkeypatch):
    """A search that ranks three documents of each kind at most."""
    monkeypatch.setattr(search_engine, "SEARCH_CANDIDATES_PER_KIND", 3)
    monkeypatch.setattr(search_selectors, "SEARCH_CANDIDATES_PER_KIND", 3)


def test_a_common_word_counts_past_the_ranked_set_as_more_than(client, three_candidates):
    make_books(6)
    html = client.get("/search/", {"q": "shelf"}).content.decode()
    assert "Many notes match: the first 3 found of each kind are ranked." in html
    assert 'Books <span class="count">3+</span>' in html
    kind = client.get("/search/", {"q": "shelf", "kind": "book"}).content.decode()
    assert kind.count('class="search-result kind-book"') == 3  # the ranked three, one page
    assert 'rel="next"' not in kind


def test_a_rare_word_is_counted_exactly(client, three_candidates):
    make_books(2)
    html = client.get("/search/", {"q": "shelf"}).content.decode()
    assert "Many notes match" not in html
    assert 'Books <span class="count">2</span>' in html


def test_the_search_page_names_no_book_it_was_not_asked_about(client):
    make_books(40)
    html = client.get("/search/", {"q": "shelf"}).content.decode()
    assert '<option value="shelf-' not in html  # no list of every book
    assert 'name="book"' in html


@pytest.mark.parametrize(
    ("typed", "found"),
    [("shelf-007", "Shelf book 007"), ("shelf book 007", "Shelf book 007"), ("Shelf book 00", None)],
)
def test_the_book_filter_takes_an_address_a_title_or_its_one_beginning(client, typed, found):
    make_books(12)
    html = client.get("/search/", {"q": "shelf", "book": typed}).content.decode()
    if found:
        assert f"in {found}." in html and f'value="{found}"' in html
    else:
        assert "More than one book&#x27;s title begins so" in html


def test_a_book_filter_naming_no_book_searches_every_book_and_says_so(client):
    make_books(2)
    html = client.get("/search/", {"q": "shelf", "book": "Nowhere"}).content.decode()
    assert "There is no such book; every book was searched." in html
    assert 'value="Nowhere"' in html


# --- The anonymous page cache, answered before the rest of the stack ----------------------------


def test_a_kept_page_is_answered_with_the_headers_the_view_gave_it(chapter):
    first = Client().get(CHAPTER)
    second = Client().get(CHAPTER)
    assert "notes/chapter_detail.html" not in [t.name for t in second.templates]  # from the cache
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"):
        assert second.headers.get(header) == first.headers.get(header), header
    assert "Cookie" in second["Vary"] and second.content == first.content


def test_a_private_wiki_never_answers_an_anonymous_visitor_from_the_cache(chapter, settings):
    assert Client().get(CHAPTER).status_code == 200  # kept while the wiki was public
    settings.WIKI_PUBLIC_READ = False
    response = Client().get(CHAPTER)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert Client().get("/books/test-book/").status_code == 302


def test_a_signed_in_page_is_never_kept_for_anonymous_visitors(chapter, client_for, reader):
    signed_in = client_for(reader).get(CHAPTER).content.decode()
    assert "Log out" in signed_in
    anonymous = Client().get(CHAPTER).content.decode()
    assert "Log out" not in anonymous and "reader" not in anonymous.split("<main", 1)[0]


def test_a_host_the_site_does_not_serve_is_refused_even_for_a_kept_page(chapter):
    Client().get(CHAPTER)
    assert Client().get(CHAPTER, HTTP_HOST="evil.example").status_code == 400


def test_a_kept_page_costs_no_query_and_no_session(chapter, django_assert_num_queries):
    Client().get(CHAPTER)
    with django_assert_num_queries(0):
        response = Client().get(CHAPTER)
    assert not response.cookies


def test_the_book_filter_suggests_at_most_eight_titles_in_one_query(client, django_assert_num_queries):
    make_book(slug="holds", title="An old shelf")  # holds the text, does not begin with it
    make_books(12)
    with django_assert_num_queries(1):
        found = client.get("/search/suggest/", {"q": "SHELF", "kind": "book"}).json()["suggestions"]
    labels = [item["label"] for item in found]
    assert labels == [f"Shelf book {index:03}" for index in range(8)]  # beginning first, by title
    assert found[0]["url"] == "/books/shelf-000/"
    few = client.get("/search/suggest/", {"q": "old sh", "kind": "book"}).json()["suggestions"]
    assert [item["label"] for item in few] == ["An old shelf"]
    assert client.get("/search/suggest/", {"q": "  ", "kind": "book"}).json() == {"suggestions": []}
    assert client.get("/search/suggest/", {"q": "x" * 5000, "kind": "book"}).json() == {"suggestions": []}


@pytest.mark.postgres_only
@on_postgresql
def test_a_book_s_changelog_reads_its_own_history_by_date_not_the_wiki_s(client):
    """The newest lines of one book come from an index of the rows with a summary by (book,
    date): PostgreSQL neither walks every book's history back from today nor steps over rows
    without a summary to find them, however large the wiki."""
    from notes.models import Book, Chapter
    from notes.models.history import SUMMARIZED
    from notes.selectors.books import changelog

    make_books(3)
    book = Book.objects.get(slug="shelf-001")
    with connection.cursor() as cursor:
        # Tiny tables: rule out what only a few rows make cheapest, and ask what is left.
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"
        )
    rows = Chapter.history.filter(SUMMARIZED, book_id=book.pk).order_by("-history_date", "-history_id")[:21]
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    index = next(line for line in plan.splitlines() if "Index" in line)
    assert "chapter_changelog_owner" in index, plan  # only rows with a summary, by book and date
    assert "Sort" not in plan, plan  # the index gives the rows in the page's order
    assert [entry.target for entry in changelog(book=book, newest_first=True, limit=5)]


@pytest.mark.postgres_only
@on_postgresql
def test_the_wiki_s_changelog_reads_only_rows_with_a_summary():
    """Tables imported with their chapter keep history rows without a summary; the whole
    wiki's changelog reads an index of the rows with one and never steps over the others."""
    from notes.models import ComparisonTable
    from notes.models.history import SUMMARIZED

    make_books(2)
    with connection.cursor() as cursor:
        # Tiny tables: rule out what only a few rows make cheapest, and ask what is left.
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"
        )
        sql, params = (
            ComparisonTable.history.filter(SUMMARIZED).order_by("-history_date", "-history_id")[:10].query
        ).sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "comparison_changelog " in plan and "Sort" not in plan and "Filter" not in plan, plan
