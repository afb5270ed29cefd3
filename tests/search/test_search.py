"""/search/: every searchable thing found from stored documents, ranked, highlighted, safe.

Runs on SQLite (FTS5) and PostgreSQL (tsvector + GIN); PostgreSQL-only tests are marked.
"""

import itertools
import re
import string

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from notes.models import SearchDocument
from notes.services import moderation
from notes.services.discussions import comment_delete, comment_edit, comment_post
from notes.services.history import chapter_render, save_version
from notes.services.reviews import change_request_approve
from tests.content.test_markup import VECTORS
from tests.discussions.test_discussion_xss import assert_page_inert
from tests.factories import import_seed, make_book, make_chapter, make_thread, propose_chapter_edit

pytestmark = pytest.mark.django_db
postgres_only = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector and GIN are PostgreSQL features"),
]
MARK = re.compile(r"<mark>(.*?)</mark>", re.IGNORECASE)


@pytest.fixture
def imported_seed():
    return import_seed()


def page(client, query: str, **params) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def results(html: str) -> list[str]:
    """The result links' addresses, in page order."""
    return re.findall(r'<a class="search-result-link" href="([^"]+)"', html)


def marks(html: str) -> set[str]:
    return {re.sub(r"<[^>]+>", "", text).lower() for text in MARK.findall(html)}


# --- What is found -------------------------------------------------------------------------


def test_column_wise_finds_chapter_3_and_its_table_highlighted(client, imported_seed):
    html = page(client, "column-wise")
    assert results(html) == [
        "/books/designing-ml-systems/chapters/3/",
        "/books/designing-ml-systems/chapters/3/#table-row-wise-versus-column-wise-storage",
    ]
    assert "2 results for “column-wise”." in html
    assert "column" in " ".join(marks(html))
    assert '<h2>Chapters <span class="meta">1</span></h2>' in html
    assert '<h2>Tables <span class="meta">1</span></h2>' in html


def test_a_book_is_found_by_its_title_author_and_domains(client, imported_seed):
    for query in ("Designing", "Huyen", "machine learning"):
        assert "/books/designing-ml-systems/" in results(page(client, query, kind="book")), query


def test_a_chapter_section_links_to_its_heading(client):
    book = make_book(slug="sections")
    chapter = make_chapter(
        book=book,
        number=1,
        title="Storage",
        body="Intro text.\n\n## Columnar layouts\n\nZebras stripe the pages.",
    )
    heading_id = re.search(r'<h2 id="([^"]+)">Columnar layouts</h2>', chapter.body_html).group(1)
    html = page(client, "zebras")
    assert results(html) == [f"/books/sections/chapters/1/#{heading_id}"]
    assert "Chapter 1 - Storage › Columnar layouts" in html
    # The heading is the section's title: it ranks as one.
    assert results(page(client, "columnar", kind="chapter")) == [f"/books/sections/chapters/1/#{heading_id}"]


def test_a_table_is_found_by_its_headers_and_cells(client, imported_seed):
    table = "/books/designing-ml-systems/chapters/3/#table-text-versus-binary-format-storage"
    assert table in results(page(client, "protobuf", kind="table"))
    assert table in results(page(client, "human readable", kind="table"))


def test_a_thread_by_its_title_and_a_comment_by_its_text_link_to_them(client, chapter, reader):
    thread = make_thread(chapter=chapter, author=reader, title="Which quokka wins?", body="Opening words.")
    reply = comment_post(thread=thread, author=reader, body="The wombat argument holds.")
    assert results(page(client, "quokka")) == [thread.get_absolute_url()]
    html = page(client, "wombat")
    assert results(html) == [reply.get_absolute_url()]
    assert "reader in “Which quokka wins?”" in html


def test_a_hidden_comment_is_found_by_moderators_only(client_for, chapter, reader, moderator, admin_user):
    thread = make_thread(chapter=chapter, author=reader, body="Secret capybara plans.")
    comment = thread.comments.get()
    moderation.comment_hide(comment=comment, moderator=moderator, reason="Spoiler")
    for user in (None, reader):
        assert results(page(client_for(user), "capybara")) == [], user
    for user in (moderator, admin_user):
        html = page(client_for(user), "capybara")
        assert results(html) == [comment.get_absolute_url()]
        assert '<span class="badge">hidden</span>' in html
    moderation.comment_unhide(comment=comment, moderator=moderator)
    assert results(page(client_for(reader), "capybara")) == [comment.get_absolute_url()]


def test_edited_and_deleted_comments_are_found_by_their_current_text(client, chapter, reader):
    thread = make_thread(chapter=chapter, author=reader, body="About the narwhal.")
    comment = thread.comments.get()
    comment_edit(comment=comment, editor=reader, body="About the axolotl.")
    assert results(page(client, "narwhal")) == []
    assert results(page(client, "axolotl")) == [comment.get_absolute_url()]
    comment_delete(comment=comment, actor=reader)
    assert results(page(client, "axolotl")) == []


def test_renamed_and_moved_threads_are_found_where_they_are_now(client, chapter, reader, moderator):
    thread = make_thread(chapter=chapter, author=reader, title="Bad pangolin title", body="A pelican remark.")
    moderation.thread_rename(thread=thread, moderator=moderator, title="Good heron title", reason="Clearer")
    assert results(page(client, "pangolin")) == []
    assert results(page(client, "heron")) == [thread.get_absolute_url()]
    other = make_book(slug="other", chapters=1).chapters.get()
    moderation.thread_move(thread=thread, moderator=moderator, chapter=other)
    thread.refresh_from_db()
    assert results(page(client, "heron", book="other")) == [thread.get_absolute_url()]
    assert results(page(client, "pelican", book="other")) == [thread.comments.get().get_absolute_url()]
    assert results(page(client, "heron", book="test-book")) == []


def test_drafts_and_unpublished_requests_are_never_found_until_approved(client, chapter, editor, reviewer):
    draft = propose_chapter_edit(editor, chapter, "Draft about the okapi.", submit=False)
    submitted = propose_chapter_edit(editor, chapter, "Proposal about the tapir.")
    assert results(page(client, "okapi")) == results(page(client, "tapir")) == []
    change_request_approve(change_request=submitted, reviewer=reviewer)
    assert results(page(client, "tapir")) == [chapter.get_absolute_url()]
    assert draft.status == "draft" and results(page(client, "okapi")) == []


def test_a_published_table_change_reaches_the_table_and_its_chapter(client, book):
    table = book.chapters.get(number=1).tables.get()
    table.rows = [["Speed", "iguana", "slow"]]
    save_version(table, summary="Edited the table")
    chapter = table.chapter
    chapter_render(chapter)
    from notes.services.history import save_rendering

    save_rendering(chapter, "body_html")
    assert set(results(page(client, "iguana"))) == {
        chapter.get_absolute_url(),
        f"{chapter.get_absolute_url()}#table-{table.slug}",
    }


# --- Ranking, syntax, filters, pages -------------------------------------------------------


def test_a_title_match_ranks_above_a_body_match_and_words_are_stemmed(client):
    book = make_book(slug="ranked")
    make_chapter(book=book, number=1, title="Basics", body="Later we discuss partitioning in passing.")
    make_chapter(book=book, number=2, title="Partitioning", body="Keys and ranges.")
    assert results(page(client, "partitions", kind="chapter")) == [
        "/books/ranked/chapters/2/",
        "/books/ranked/chapters/1/",
    ]


def test_web_search_syntax_phrases_exclusions_and_or(client):
    book = make_book(slug="syntax")
    make_chapter(book=book, number=1, title="One", body="The quick brown fox.")
    make_chapter(book=book, number=2, title="Two", body="The brown quick dog.")
    one, two = "/books/syntax/chapters/1/", "/books/syntax/chapters/2/"
    assert sorted(results(page(client, "quick brown", kind="chapter"))) == [one, two]
    assert results(page(client, '"quick brown"', kind="chapter")) == [one]
    assert results(page(client, "quick -fox", kind="chapter")) == [two]
    assert results(page(client, 'brown -"quick brown"', kind="chapter")) == [two]
    assert sorted(results(page(client, "fox or dog", kind="chapter"))) == [one, two]
    assert results(page(client, "fox or cat", kind="chapter")) == [one]


def test_every_word_must_match(client, imported_seed):
    assert results(page(client, "objective functions", kind="chapter")) == [
        "/books/designing-ml-systems/chapters/2/"
    ]
    assert "Nothing found for “objective blockchain”" in page(client, "objective blockchain")


def test_filters_by_book_and_kind(client):
    make_book(slug="first", title="First lemur book", chapters=1)
    make_book(slug="second", title="Second lemur book", chapters=1)
    assert sorted(results(page(client, "lemur"))) == ["/books/first/", "/books/second/"]
    assert results(page(client, "lemur", book="second")) == ["/books/second/"]
    assert results(page(client, "lemur", kind="chapter")) == []
    html = page(client, "lemur", book="nope", kind="nonsense")
    assert "There is no such book; every book was searched." in html
    assert "There is no such kind of result; every kind was searched." in html


def test_results_are_grouped_five_per_kind_then_paged(client):
    book = make_book(slug="many")
    for number in range(1, 26):
        make_chapter(book=book, number=number, title=f"Gecko {number}", body="Notes.")
    html = page(client, "gecko")
    assert len(results(html)) == 5
    assert 'href="?q=gecko&amp;kind=chapter">All 25 chapters</a>' in html
    first = page(client, "gecko", kind="chapter")
    second = page(client, "gecko", kind="chapter", page="2")
    assert len(results(first)) == 20 and len(results(second)) == 5
    assert not set(results(first)) & set(results(second))
    assert "Page 2 of 2" in second and 'rel="prev"' in second
    assert results(page(client, "gecko", kind="chapter", page="999")) == results(second)
    assert results(page(client, "gecko", kind="chapter", page="abc")) == results(first)


# --- Hostile input -------------------------------------------------------------------------

HOSTILE = [
    "",
    "   ",
    "a" * 10_000,
    "word " * 2_000,
    "!!! ??? ... ---",
    "' OR 1=1; DROP TABLE notes_searchdocument; --",
    '" unbalanced quote',
    'unbalanced " quote " "',
    "-",
    "-only -negated",
    "or or or",
    "数据 存储",
    "хранение данных",
    "تخزين البيانات",
    "NEAR(data storage)",
    "title:data",
    "data*",
    "^data",
    '"data" AND "storage"',
    "{title body}: data",
    "\x02 fake \x03 markers",
    "&lt;mark&gt; <mark>data</mark>",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_query_gets_a_page_never_an_error(client, imported_seed, query):
    html = page(client, query)
    assert "<mark>" not in html.split("<h1>Search</h1>")[1].split('<ol class="search-results">')[0]


def test_invalid_utf8_in_the_address_gets_a_page(client, imported_seed):
    for raw in ("%FF%FE", "%ED%A0%80", "%C0%AF", "parquet%FF"):
        response = client.get(f"/search/?q={raw}")
        assert response.status_code == 200, raw
    assert len(results(client.get("/search/?q=parquet%FF").content.decode())) == 3


def test_a_nul_character_is_refused_with_a_clear_bad_request(client, imported_seed):
    # The site-wide middleware answers before the search runs (PostgreSQL refuses NUL).
    for raw in ("%00", "data%00storage"):
        response = client.get(f"/search/?q={raw}")
        assert response.status_code == 400, raw


def test_a_query_with_nothing_to_find_says_so(client, imported_seed):
    for query in ("!!! ???", "-parquet", '-"row wise"'):
        html = page(client, query)
        assert "Nothing to search for: type a word" in html, query
        assert results(html) == []


def test_a_long_query_is_cut_and_says_so(client, imported_seed):
    html = page(client, "parquet " + "x" * 500)
    assert "Your search was long: only its beginning was searched." in html


def test_anonymous_visitors_are_rate_limited_and_told_when_to_retry(
    client, client_for, settings, reader, imported_seed
):
    settings.SEARCH_ANONYMOUS_PER_MINUTE = 3
    cache.clear()
    for _ in range(3):
        assert client.get("/search/", {"q": "parquet"}).status_code == 200
    response = client.get("/search/", {"q": "parquet"})
    assert response.status_code == 429
    assert "Too many searches" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 60
    # The empty form is not a search; signed-in users are not limited.
    assert client.get("/search/").status_code == 200
    signed_in = client_for(reader)
    assert all(signed_in.get("/search/", {"q": "parquet"}).status_code == 200 for _ in range(5))
    cache.clear()


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['group']}-{i}" for i, v in enumerate(VECTORS)])
def test_snippets_of_hostile_text_escape_it_and_mark_only_matches(client, chapter, reader, vector):
    payload = vector["payload"]
    make_thread(
        chapter=chapter, author=reader, title=f"Flamingo {payload}"[:200], body=f"flamingo {payload} flamingo"
    )
    html = page(client, "flamingo")
    assert len(results(html)) == 2
    assert_page_inert(html)
    body = html.split('<ol class="search-results">', 1)[1]
    assert set(re.findall(r"<(/?\w+)", body)) <= {"li", "/li", "a", "/a", "div", "/div", "p", "/p", "mark", "/mark",
                                                   "ol", "/ol", "section", "/section", "h2", "/h2", "span", "/span",
                                                   "main", "/main", "footer", "/footer", "body", "/body", "html", "/html",
                                                   "script"}  # fmt: skip
    assert marks(html) <= {"flamingo"}


def test_the_query_is_shown_escaped(client, imported_seed):
    html = page(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Access, queries, the index ------------------------------------------------------------


def test_search_needs_login_when_public_read_is_off(client, settings, imported_seed):
    settings.WIKI_PUBLIC_READ = False
    assert client.get("/search/", {"q": "parquet"}).status_code == 302


# Counts per kind, the page's ids, their snippets (no list of every book).
SEARCH_QUERIES = 3
# + the session; the user with their roles, unread count and reading progress come from the
# cache (their snapshot, built by the first request).
SEARCH_QUERIES_SIGNED_IN = SEARCH_QUERIES + 1


def test_the_search_page_runs_a_constant_number_of_queries(
    client, client_for, moderator, django_assert_num_queries
):
    make_book(slug="few", title="Hedgehog", chapters=2, tables=1)
    with django_assert_num_queries(SEARCH_QUERIES):
        few = page(client, "hedgehog or chapter")
    for index in range(6):
        book = make_book(slug=f"more-{index}", title=f"Hedgehog {index}", chapters=4, tables=2)
        make_thread(chapter=book.chapters.first(), author=moderator, title="Hedgehog thread", body="hedgehog")
    with django_assert_num_queries(SEARCH_QUERIES):
        many = page(client, "hedgehog or chapter")
    with django_assert_num_queries(SEARCH_QUERIES):
        assert "Page 2 of 2" in page(client, "chapter", kind="chapter", page="2")
    assert len(results(many)) > len(results(few))
    signed_in = client_for(moderator)
    signed_in.get("/search/", {"q": "hedgehog"})
    with django_assert_num_queries(SEARCH_QUERIES_SIGNED_IN):
        page(signed_in, "hedgehog")


def test_search_reindex_rebuilds_the_index_from_the_content(client, imported_seed, chapter, reader):
    make_thread(chapter=chapter, author=reader, title="Reindexed walrus", body="walrus text")
    expected = set(SearchDocument.objects.values_list("kind", "object_id", "part"))
    SearchDocument.objects.all().delete()
    assert results(page(client, "parquet")) == []
    call_command("search_reindex", stdout=__import__("io").StringIO())
    assert set(SearchDocument.objects.values_list("kind", "object_id", "part")) == expected
    assert len(results(page(client, "parquet"))) == 3
    assert len(results(page(client, "walrus"))) == 2


def _distinct_words(size: int) -> str:
    words, total = [], 0
    for letters in itertools.product(string.ascii_lowercase, repeat=4):
        word = "w" + "".join(letters)
        words.append(word)
        total += len(word) + 1
        if total >= size:
            break
    return " ".join(words)


def test_a_chapter_beyond_the_tsvector_limit_is_published_and_found(client_for, chapter, editor, reviewer):
    text = _distinct_words(880 * 1024)
    change_request = propose_chapter_edit(editor, chapter, text)
    outcome = change_request_approve(change_request=change_request, reviewer=reviewer)
    assert outcome.published
    reader = client_for(reviewer)
    assert results(page(reader, "waaab", kind="chapter")) == [chapter.get_absolute_url()]
    assert results(page(reader, "wbaaa", kind="chapter")) == [chapter.get_absolute_url()]
    document = SearchDocument.objects.get(kind="chapter", object_id=chapter.pk)
    if connection.vendor == "postgresql":
        # Indexed up to the limit: the beginning is searchable, the text was cut at a word.
        assert 300_000 < len(document.body) < len(text)
        assert text.startswith(document.body)
    else:
        assert document.body.startswith(text[:1000])


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector and GIN are PostgreSQL features")
def test_the_search_is_answered_from_the_gin_index():
    from notes.selectors.search_engine import Filters, PostgresEngine, parse

    book = make_book(slug="planned", chapters=1)
    # A realistic table: a few thousand documents of varied words, then fresh statistics.
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
        query = parse(f"{book.title.split()[-1]} notes")
        for sql, params in (
            engine.counts_sql(query, Filters()),
            engine.page_sql(query, Filters(kind="chapter"), offset=0, limit=20),
        ):
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Bitmap Index Scan on search_document_vector" in plan, plan


def test_behind_the_proxy_each_visitor_has_their_own_search_limit(client, settings, imported_seed):
    settings.SEARCH_ANONYMOUS_PER_MINUTE = 2
    settings.BEHIND_HTTPS_PROXY = True
    cache.clear()
    first = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "10.0.0.1"}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.9", "REMOTE_ADDR": "10.0.0.1"}  # the same proxy
    for _ in range(2):
        assert client.get("/search/", {"q": "parquet"}, **first).status_code == 200
    assert client.get("/search/", {"q": "parquet"}, **first).status_code == 429
    assert client.get("/search/", {"q": "parquet"}, **second).status_code == 200
    cache.clear()
