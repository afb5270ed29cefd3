"""Search as one types: the last word matches as a prefix, a typo gets "did you mean", and
the header's box asks a JSON endpoint for titles. Runs on SQLite and PostgreSQL."""

import json

import pytest
from django.db import connection

from notes.models import SearchWord
from notes.selectors.search_engine import Filters, PostgresEngine, parse
from notes.services.groups import group_create, progress_mark
from tests.factories import make_book, make_chapter, make_thread
from tests.search.test_search import page, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage_book():
    book = make_book(slug="storage", title="Storage engines")
    make_chapter(
        book=book, number=1, title="Columnar formats", body="Parquet keeps columns apart for analytics."
    )
    make_chapter(book=book, number=2, title="Logs", body="Append-only segments compact in the background.")
    return book


def test_the_last_word_matches_as_a_prefix(client, storage_book):
    assert results(page(client, "colum", kind="chapter")) == ["/books/storage/chapters/1/"]
    assert results(page(client, "analytics segm", kind="chapter")) == []
    assert results(page(client, "append segm", kind="chapter")) == ["/books/storage/chapters/2/"]


def test_only_the_last_word_is_a_prefix_and_short_ones_are_not(client, storage_book):
    # "colum" in the middle must be a whole word; two letters are too few to expand.
    assert results(page(client, "colum parquet", kind="chapter")) == []
    assert results(page(client, "pa", kind="chapter")) == []


def test_a_closed_phrase_is_exact_and_an_excluded_word_is_no_prefix(client, storage_book):
    assert results(page(client, '"append-only segm"', kind="chapter")) == []
    assert results(page(client, "logs -segm", kind="chapter")) == ["/books/storage/chapters/2/"]


def test_the_prefix_query_is_built_from_words_only():
    assert parse("fox or quick bro").tsquery() == "(('fox')) | (('quick') & ('bro':*))"
    assert parse('quick -"brown dog"').tsquery() == "(('quick') & !('brown' <-> 'dog'))"
    assert parse("it's a (test:* & !x").tsquery().count(":*") == 0
    assert parse("quick bro").fts5() == '("quick" AND "bro"*)'


def test_a_typo_that_finds_nothing_is_offered_the_word_of_the_notes(client, storage_book):
    html = page(client, "parqeut")
    assert "Nothing found" in html
    assert 'Did you mean <a href="?q=parquet">parquet</a>?' in html
    assert results(page(client, "parquet")) == ["/books/storage/chapters/1/"]


def test_a_typo_keeps_the_other_words_and_filters(client, storage_book):
    html = page(client, "columnar backgrund", kind="chapter")
    assert 'Did you mean <a href="?q=columnar%20background&amp;kind=chapter">columnar background</a>?' in html


def test_nothing_is_offered_for_a_word_like_none_in_the_notes(client, storage_book):
    assert "Did you mean" not in page(client, "zebra")


def test_words_of_discussions_are_never_offered(client, storage_book, reader):
    make_thread(chapter=storage_book.chapters.get(number=1), author=reader, title="Quokka", body="quokka")
    assert not SearchWord.objects.filter(word="quokka").exists()
    assert "Did you mean" not in page(client, "quokkas")


def test_the_spelling_check_is_one_query(client, storage_book, django_assert_num_queries):
    from notes.selectors.search import spelling_suggestion

    with django_assert_num_queries(1):
        assert spelling_suggestion(parse("parqeut colums")) == "parquet columns"


# --- Suggestions under the header's search box --------------------------------------------


def _suggest(client, text: str):
    response = client.get("/search/suggest/", {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)["suggestions"]


def test_suggestions_are_titles_found_by_prefix(client, storage_book):
    found = _suggest(client, "colu")
    assert {
        "label": "Chapter 1 - Columnar formats",
        "context": "Storage engines",
        "url": "/books/storage/chapters/1/",
    } in found
    assert _suggest(client, "") == [] and _suggest(client, '"" -') == []


def test_suggestions_keep_a_folded_thread_out(client_for, storage_book, moderator, reader, editor):
    group_create(book=storage_book, actor=moderator, name="Club", members=[reader])
    progress_mark(user=reader, book=storage_book, chapter_number=1)
    make_thread(chapter=storage_book.chapters.get(number=2), author=editor, title="Wombat ending")
    assert _suggest(client_for(editor), "womb")
    assert _suggest(client_for(reader), "womb") == []


def test_suggestions_run_one_query_for_two_or_twenty_titles(client, django_assert_num_queries):
    book = make_book(slug="many", title="Many")
    for number in range(1, 21):
        make_chapter(book=book, number=number, title=f"Kestrel {number}", body="text")
    with django_assert_num_queries(1):
        found = _suggest(client, "kestr")
    assert len(found) == 8


def test_suggestions_are_refused_past_the_anonymous_limit(client, settings, storage_book):
    from django.core.cache import cache

    cache.clear()
    settings.SEARCH_ANONYMOUS_PER_MINUTE = 1
    assert client.get("/search/suggest/", {"q": "colu"}).status_code == 200
    assert client.get("/search/suggest/", {"q": "colu"}).status_code == 429
    cache.clear()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector and GIN are PostgreSQL features")
def test_a_prefix_search_is_still_answered_from_the_gin_index():
    book = make_book(slug="planned", chapters=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notes_searchdocument (kind, book_id, object_id, part, title, body, label, context, url, is_hidden) "
            "SELECT 'chapter', %s, 100000 + n, 0, 'Title ' || n, "
            "(SELECT string_agg(md5((n * 31 + k)::text), ' ') FROM generate_series(1, 60) k), "
            "'Label', '', '/x/', false FROM generate_series(1, 5000) n",
            [book.pk],
        )
        cursor.execute(
            "UPDATE notes_searchdocument SET vector = setweight(to_tsvector('english', title), 'A') "
            "|| setweight(to_tsvector('english', body), 'B') WHERE vector IS NULL"
        )
        cursor.execute("ANALYZE notes_searchdocument")
        engine = PostgresEngine()
        query = parse("notes chapt")
        assert query.groups[-1][-1].is_prefix
        for sql, params in (
            engine.counts_sql(query, Filters()),
            engine.page_sql(query, Filters(kind="chapter"), offset=0, limit=20),
            engine.suggestions_sql(query, Filters(kinds=("book", "chapter")), limit=8),
        ):
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Bitmap Index Scan on search_document_vector" in plan, plan
