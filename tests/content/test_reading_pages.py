"""Reading pages: home, book, changelog, chapter, table, recent changes, search."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_book

pytestmark = pytest.mark.django_db


def test_home_lists_books_with_author_and_domains(client, book):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test Book" in html
    assert "An Author" in html
    assert "Testing" in html and "Books" in html


def test_book_page_shows_details_chapters_changelog_and_tables(client, book):
    html = client.get("/books/test-book/").content.decode()
    assert "Book Details" in html
    assert "Chapter 2 - Chapter title 2" in html
    assert "Added notes for Chapter 3" in html
    assert reverse("notes:table-detail", args=["test-book", 1, "table-1"]) in html


def changelog_lines(html: str) -> list[str]:
    table = html.partition('<table class="changelog stack">')[2].partition("</table>")[0]
    return re.findall(r"Added notes for Chapter (\d+)", table)


def test_a_long_changelog_shows_its_latest_lines_on_the_book_page_and_pages_on_its_own(client):
    make_book(slug="long-book", chapters=130)
    html = client.get("/books/long-book/").content.decode()
    # The book page: the latest 20 changes, newest first by default, and a way to the rest.
    assert changelog_lines(html) == [str(number) for number in range(130, 110, -1)]
    assert "The latest 20 changes." in html
    oldest = client.get("/books/long-book/?order=oldest").content.decode()
    assert changelog_lines(oldest) == [str(number) for number in range(111, 131)]

    first = client.get("/books/long-book/changelog/?order=oldest").content.decode()
    assert changelog_lines(first) == [str(number) for number in range(1, 100)]  # 99 + "Added the book"
    assert 'href="?order=oldest&amp;page=2">Newer changes →</a>' in first
    second = client.get("/books/long-book/changelog/?order=oldest&page=2").content.decode()
    assert changelog_lines(second) == [str(number) for number in range(100, 131)]
    assert 'href="?order=oldest&amp;page=1">← Older changes</a>' in second
    assert "Newer changes →" not in second

    newest = client.get("/books/long-book/changelog/?page=2").content.decode()  # newest first: the default
    assert changelog_lines(newest) == [str(number) for number in range(30, 0, -1)]
    assert 'href="?order=newest&amp;page=1">← Newer changes</a>' in newest
    assert "back to the first page" in client.get("/books/long-book/changelog/?page=9").content.decode()
    assert changelog_lines(client.get("/books/long-book/changelog/?page=x").content.decode())[0] == "130"


@pytest.mark.parametrize("url", ["/books/test-book/", "/books/test-book/changelog/"])
@pytest.mark.parametrize("order", ["random", "", "NEWEST", "newest,oldest"])
def test_an_unknown_order_is_refused_with_a_message(client, book, url, order):
    response = client.get(url, {"order": order})
    assert response.status_code == 400
    assert 'ask for "?order=newest" (the default) or "?order=oldest"' in response.content.decode()


def test_the_changelog_names_what_changed_and_when(client, book):
    html = client.get("/books/test-book/changelog/").content.decode()
    assert "Chapter 1 · Chapter title 1" in html
    assert "Book details" in html
    recent = client.get("/recent/").content.decode()
    assert "Chapter 3 · Chapter title 3</a>: Added notes for Chapter 3" in recent


@pytest.mark.parametrize(
    "url", ["/books/test-book/", "/books/test-book/changelog/", "/recent/", "/recent/feed.atom", "/"]
)
def test_changelog_lines_are_read_without_the_content_they_describe(client, book, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    history = [q["sql"] for q in context.captured_queries if "_historical" in q["sql"]]
    assert history
    for column in ('"body"', '"body_html"', '"summary_html"', '"rows"', '"html"'):
        assert not any(f"{column}," in sql or f"{column} FROM" in sql for sql in history), column


def test_a_short_changelog_is_whole_on_the_book_page(client, book):
    html = client.get("/books/test-book/").content.decode()
    assert changelog_lines(html) == ["3", "2", "1"]
    assert changelog_lines(client.get("/books/test-book/?order=oldest").content.decode()) == ["1", "2", "3"]
    assert "The latest" not in html
    assert 'class="pager"' not in client.get("/books/test-book/changelog/").content.decode()


def test_chapter_page_renders_its_tables_where_they_stand(client, book):
    html = client.get("/books/test-book/chapters/1/").content.decode()
    before, table, after = html.partition('<figure class="comparison-table" id="table-table-1"')
    assert "Notes for chapter 1." in before
    assert table
    assert "The end." in after
    assert "<td>fast</td>" in after


def test_table_page_shows_the_table(client, book):
    response = client.get("/books/test-book/chapters/1/tables/table-1/")
    assert response.status_code == 200
    assert '<th scope="col">Aspect</th>' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/books/no-such-book/",
        "/books/no-such-book/changelog/",
        "/books/test-book/chapters/99/",
        "/books/test-book/chapters/1/tables/no-such-table/",
    ],
)
def test_unknown_slugs_and_numbers_are_404(client, book, url):
    assert client.get(url).status_code == 404


def test_pages_need_login_when_public_read_is_off(client, book, settings, reader, client_for):
    settings.WIKI_PUBLIC_READ = False
    response = client.get("/books/test-book/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client_for(reader).get("/books/test-book/").status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "page", ["/books/{slug}/", "/books/{slug}/chapters/2/", "/books/{slug}/changelog/", "/"]
)
def test_pages_run_the_same_number_of_queries_for_3_and_50_chapters(client, page):
    small = make_book(slug="small", chapters=3, tables=3)
    large = make_book(slug="large", chapters=50, tables=5)
    small_count = _queries(client, page.format(slug=small.slug))
    large_count = _queries(client, page.format(slug=large.slug))
    assert small_count == large_count
    assert small_count <= 6


def test_book_page_query_count_is_pinned(client):
    book = make_book(slug="pinned", chapters=50, tables=2)
    # book, chapters (with their thread counts), tables, then the changelog: book, chapter
    # and table history rows.
    assert _queries(client, f"/books/{book.slug}/") == 6


def test_chapter_page_query_count_is_pinned(client):
    book = make_book(slug="pinned", chapters=50, tables=2)
    # chapter with its book and its version count, last date and author (its tables and
    # contents are stored with it), the sibling chapters for navigation, and one
    # aggregate of its discussion threads (counts per heading and table), and its quoted
    # passages with their threads.
    assert _queries(client, f"/books/{book.slug}/chapters/7/") == 4
