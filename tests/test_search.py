"""/search/: chapters found by their words, ranked on PostgreSQL, answered from an index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.formats import parse
from notes.services.books import book_import
from tests.factories import make_book, make_chapter
from tests.test_import_export import SEED

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking and the GIN index are PostgreSQL features"
)


@pytest.fixture
def seed():
    return book_import(document=parse(SEED.read_text(), "text").book)


def results(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_the_chapters_that_hold_the_words(client, seed):
    html = results(client, "parquet")
    assert "1 chapter match “parquet”." in html
    assert "Designing ML Systems · Chapter 3 - Introduction to Machine Learning System Design" in html
    assert 'href="/books/designing-ml-systems/chapters/3/"' in html
    assert "Example formats CSV Parquet Typical applications" in html  # the table's cells, as text
    assert "0 chapters match" in results(client, "blockchain")


def test_every_word_must_match(client, seed):
    assert "1 chapter match" in results(client, "objective functions")
    assert "0 chapters match" in results(client, "objective blockchain")


def test_the_query_is_shown_escaped(client, seed):
    html = results(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_empty_query_shows_the_form_only(client, seed):
    html = results(client, "   ")
    assert 'name="q"' in html and "match" not in html


def test_search_needs_login_when_public_read_is_off(client, settings, seed):
    settings.WIKI_PUBLIC_READ = False
    assert client.get("/search/", {"q": "parquet"}).status_code == 302


def test_search_runs_one_query_however_many_chapters_match(client):
    for index in range(3):
        make_book(slug=f"small-{index}", chapters=2)
    with CaptureQueriesContext(connection) as few:
        results(client, "notes chapter")
    for index in range(10):
        make_book(slug=f"large-{index}", chapters=5)
    with CaptureQueriesContext(connection) as many:
        html = results(client, "notes chapter")
    assert "The first 50 chapters matching “notes chapter”" in html  # of 56
    assert len(few.captured_queries) == len(many.captured_queries) == 1


@postgres_only
def test_a_title_match_ranks_above_a_body_match_and_stems_words(client):
    book = make_book(slug="ranked")
    make_chapter(book=book, number=1, title="Basics", body="Later we discuss partitioning in passing.")
    make_chapter(book=book, number=2, title="Partitioning", body="Keys and ranges.")
    html = results(client, "partitions")  # stemmed to "partit"
    assert html.index("Chapter 2 - Partitioning") < html.index("Chapter 1 - Basics")
    # Web search syntax: a leading minus excludes a word.
    assert "1 chapter match" in results(client, "partitioning -keys")
    assert "0 chapters match" in results(client, "partitioning -passing -ranges")


@postgres_only
def test_the_search_is_answered_from_the_gin_index(seed):
    from notes.models import Chapter
    from notes.search import chapters_matching

    sql, params = chapters_matching(Chapter.objects.all(), "parquet").values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notes_chapter")
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "chapter_search" in plan, plan
