"""How PostgreSQL answers a search: its cost follows the page, not the number of matches.

Each kind's candidates are its first matches in the order of its places. A word in most
documents is found by walking the places and stopping at the candidates; a word in few is
looked up in that kind's GIN index, wherever it is; a search in one book reads that book's
places. These ask the planner, so they run on PostgreSQL only.
"""

import pytest
from django.db import connection

from notes.lib.limits import SEARCH_CANDIDATES_PER_KIND
from notes.models import Book
from notes.selectors.search_engine import Filters, PostgresEngine, parse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="asks PostgreSQL's planner"),
]

CHAPTERS = 10_000
TABLES = 2000
BOOKS = 200
FIRST_PLACE = 100_000
# Whole words: the last word typed is also matched as a prefix, whose frequency PostgreSQL
# guesses from its most common words only (closed quotes ask for the word itself).
COMMON = 'lag "replication"'


def add_documents(
    *, kind: str, count: int, book_ids: list[int], words: str, start: int = FIRST_PLACE
) -> None:
    """``count`` documents of ``kind`` spread over the books, each holding ``words`` and
    ten words of its own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notes_searchdocument (kind, book_id, object_id, part, title, body, label, "
            "context, url, is_hidden) "
            "SELECT %s, (%s::bigint[])[1 + n %% %s], %s + n, 0, 'Title ' || n, %s || ' ' || "
            "(SELECT string_agg(md5((n * 31 + k)::text), ' ') FROM generate_series(1, 10) k), "
            "'Label', '', '/x/', false FROM generate_series(1, %s) n",
            [kind, book_ids, len(book_ids), start, words, count],
        )
        cursor.execute(
            "UPDATE notes_searchdocument SET vector = setweight(to_tsvector('english', title), 'A') "
            "|| setweight(to_tsvector('english', body), 'B') WHERE vector IS NULL"
        )


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notes_searchdocument")


@pytest.fixture
def wiki() -> list[int]:
    """Chapters that all speak of replication, tables that never do; the ids of the books."""
    books = Book.objects.bulk_create(
        Book(slug=f"planned-{index}", title=f"Planned {index}", author="An Author") for index in range(BOOKS)
    )
    book_ids = [book.pk for book in books]
    add_documents(kind="chapter", count=CHAPTERS, book_ids=book_ids, words="replication lag")
    add_documents(kind="table", count=TABLES, book_ids=book_ids, words="column storage")
    return book_ids


def scans(sql: str, params: list) -> dict[str, dict]:
    """The plan's reads of the documents by kind: how (node and index) and how many rows."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]
    found: dict[str, dict] = {}

    def walk(node: dict) -> None:
        if node.get("Relation Name") == "notes_searchdocument":
            conditions = " ".join(str(node.get(key, "")) for key in ("Index Cond", "Recheck Cond", "Filter"))
            kind = next(
                kind
                for kind in ("chapter", "table", "book", "thread", "comment")
                if f"'{kind}'" in conditions
            )
            indexes = [node.get("Index Name", "")] + [
                child.get("Index Name", "") for child in _descendants(node) if child.get("Index Name")
            ]
            found[kind] = {
                "node": node["Node Type"],
                "indexes": [name for name in indexes if name],
                "read": node["Actual Rows"] + node.get("Rows Removed by Filter", 0),
            }
        for child in node.get("Plans", []):
            walk(child)

    walk(plan)
    return found


def _descendants(node: dict):
    for child in node.get("Plans", []):
        yield child
        yield from _descendants(child)


def test_a_common_word_stops_at_the_first_candidates_of_a_kind(wiki):
    analyze()
    engine = PostgresEngine()
    query = parse(COMMON)
    for sql, params in (
        engine.counts_sql(query, Filters()),
        engine.best_per_kind_sql(query, Filters(), per_kind=5),
    ):
        chapter = scans(sql, params)["chapter"]
        assert chapter["node"] == "Index Scan" and chapter["indexes"] == ["search_document_unique_place"], (
            chapter
        )
        # Walked in the order of the places, stopped at the candidates (one more to count).
        assert chapter["read"] <= SEARCH_CANDIDATES_PER_KIND + 1, chapter
    counts = engine.counts(query, Filters())
    assert counts == {"chapter": SEARCH_CANDIDATES_PER_KIND + 1}  # "more than": honest past it


def test_a_word_common_in_one_kind_is_looked_up_in_the_index_of_another(wiki):
    """Tables never say "replication": PostgreSQL knows it from the tables' own statistics and
    asks their index, instead of walking every table in search of a first match."""
    analyze()
    engine = PostgresEngine()
    sql, params = engine.counts_sql(parse(COMMON), Filters())
    table = scans(sql, params)["table"]
    assert "search_document_vector_table" in table["indexes"], table
    assert table["read"] == 0, table


def test_a_rare_word_in_the_last_place_is_found_through_the_index(wiki, client):
    last = FIRST_PLACE + CHAPTERS + 1
    add_documents(kind="chapter", count=1, book_ids=wiki[:1], words="quorum zanzibar", start=last - 1)
    analyze()
    engine = PostgresEngine()
    query = parse("zanzibar")
    sql, params = engine.counts_sql(query, Filters())
    chapter = scans(sql, params)["chapter"]
    assert "search_document_vector_chapter" in chapter["indexes"], chapter
    assert chapter["read"] == 1, chapter
    assert engine.counts(query, Filters()) == {"chapter": 1}
    ids = engine.best_per_kind(query, Filters(), per_kind=5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT object_id FROM notes_searchdocument WHERE id = ANY(%s)", [ids])
        assert [row[0] for row in cursor.fetchall()] == [last]
    html = client.get("/search/", {"q": "zanzibar"}).content.decode()
    assert "<mark>zanzibar</mark>" in html


def test_a_search_in_one_book_reads_that_book_s_places_and_finds_only_its_documents(wiki):
    analyze()
    engine = PostgresEngine()
    book_id = wiki[7]
    filters = Filters(book_id=book_id)
    query = parse("replication")  # a prefix, as typed: the book's places, whatever its guess
    for sql, params in (
        engine.counts_sql(query, filters),
        engine.best_per_kind_sql(query, filters, per_kind=5),
    ):
        chapter = scans(sql, params)["chapter"]
        # That book's chapters, never the word's every match in the GIN index.
        assert chapter["indexes"] == ["search_document_book_place"], chapter
        assert chapter["read"] <= CHAPTERS // BOOKS + 1, chapter
    assert engine.counts(query, filters) == {"chapter": CHAPTERS // BOOKS}
    ids = engine.best_per_kind(query, filters, per_kind=5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT book_id FROM notes_searchdocument WHERE id = ANY(%s)", [ids])
        assert [row[0] for row in cursor.fetchall()] == [book_id]
    assert len(ids) == 5
