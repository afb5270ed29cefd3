"""The chapter page's contents: made when a chapter is rendered, stored, read without parsing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.lib import anchors
from notes.models import ChangeRequest, Chapter
from notes.services.reviews import change_request_approve, change_request_create
from tests.factories import make_book, make_chapter, make_table, make_thread

pytestmark = pytest.mark.django_db

SEED_TABLES = [
    "Row-wise versus Column-wise Storage",
    "Text versus Binary Format storage",
    "Document Data Model Versus Graph Data Models",
]


def publish_chapter_edit(chapter, editor, reviewer, body):
    change_request = change_request_create(
        author=editor,
        book=chapter.book,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        chapter=chapter,
        summary="Edited",
        content={"title": chapter.title, "body": body},
        submit=True,
    )
    change_request_approve(change_request=change_request, reviewer=reviewer)
    chapter.refresh_from_db()
    return chapter


def test_publishing_a_chapter_stores_its_headings_and_tables_in_page_order(book, editor, reviewer):
    chapter = book.chapters.get(number=1)
    body = "## Storage\n\nText.\n\n[[table:table-1]]\n\n### Formats & *codecs*\n\nMore."
    chapter = publish_chapter_edit(chapter, editor, reviewer, body)
    assert chapter.contents == [
        {"kind": "heading", "id": "storage", "title": "Storage", "level": 2},
        {"kind": "table", "id": "table-table-1", "slug": "table-1", "title": "Table table-1", "level": 3},
        {"kind": "heading", "id": "formats--codecs", "title": "Formats & codecs", "level": 3},
    ]


def test_a_table_the_text_does_not_place_comes_last_marked_as_on_its_own_page(book):
    chapter = make_chapter(book=book, number=9, body="# Only text", tables=0)
    make_table(chapter=chapter, slug="aside", title="Aside")
    contents = anchors.chapter_contents(body_html=chapter.body_html, tables=chapter.tables.all())
    assert contents[-1] == {
        "kind": "table",
        "id": "table-aside",
        "slug": "aside",
        "title": "Aside",
        "level": 1,
        "placed": False,
    }


def test_the_seed_chapters_list_their_tables_and_keep_heading_like_lines_as_text(client, seed):
    chapter = Chapter.objects.get(book__slug="designing-ml-systems", number=3)
    assert [entry["title"] for entry in chapter.contents] == SEED_TABLES
    html = client.get("/books/designing-ml-systems/chapters/3/").content.decode()
    assert "<p>Different types of data sources<br>\nUser input data</p>" in html
    for title in SEED_TABLES:
        assert f"</span> {title}</a>" in html  # in the contents, after its "Table" label


def test_the_migration_fills_the_contents_of_chapters_stored_before_it(book):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("notes.migrations.0014_reading")
    chapter = book.chapters.get(number=2)
    Chapter.objects.filter(pk=chapter.pk).update(contents=[])
    migration.fill_contents(apps, None)
    chapter.refresh_from_db()
    assert chapter.contents == [
        {"kind": "table", "id": "table-table-1", "slug": "table-1", "title": "Table table-1", "level": 1}
    ]


def test_the_chapter_page_reads_the_stored_contents_not_the_html(client, book, monkeypatch):
    chapter = book.chapters.get(number=1)
    Chapter.objects.filter(pk=chapter.pk).update(
        contents=[
            {"kind": "heading", "id": "stored", "title": "From the stored contents", "level": 2},
            {"kind": "heading", "id": "below", "title": "One level below", "level": 3},
        ]
    )
    monkeypatch.setattr(anchors, "chapter_contents", lambda **kwargs: pytest.fail("parsed per request"))
    html = client.get("/books/test-book/chapters/1/").content.decode()
    # Indented from the chapter's highest level: its ## headings stand at the left.
    assert '<li class="toc-heading toc-level-1"><a href="#stored">From the stored contents</a>' in html
    assert '<li class="toc-heading toc-level-2"><a href="#below">One level below</a>' in html


def test_every_heading_and_table_gets_a_permalink_and_a_discuss_link(client_for, book, reader):
    chapter = make_chapter(book=book, number=7, body="## Storage\n\nText.\n\n[[table:table-1]]", tables=0)
    make_table(chapter=chapter, slug="table-1", title="Row versus column")
    from notes.services.history import CHAPTER_RENDERING, chapter_render, save_rendering

    chapter_render(chapter)
    save_rendering(chapter, *CHAPTER_RENDERING)
    html = client_for(reader).get("/books/test-book/chapters/7/").content.decode()
    assert '<a class="permalink" href="#storage" aria-label="Link to this section">#</a></h2>' in html
    assert (
        '<a class="permalink" href="#table-table-1" aria-label="Link to this table">#</a></figcaption>'
        in html
    )
    assert (
        'href="/books/test-book/chapters/7/discussion/new/?anchor=heading%3Astorage">Discuss this</a>' in html
    )
    assert 'anchor=table%3Atable-1">Discuss this table</a>' in html


def test_the_chapter_page_says_when_and_by_whom_it_last_changed(client, book, editor, reviewer):
    chapter = publish_chapter_edit(book.chapters.get(number=2), editor, reviewer, "New text.")
    make_thread(chapter=chapter, author=editor, title="Open question")
    html = client.get("/books/test-book/chapters/2/").content.decode()
    assert " by editor · " in html
    assert ">2 versions</a>" in html
    assert '<span class="thread-count">1 open thread</span>' in html


def test_the_chapter_page_lists_the_books_chapters_and_links_its_neighbours(client, book):
    html = client.get("/books/test-book/chapters/2/").content.decode()
    assert 'href="/books/test-book/chapters/2/" aria-current="page">2. Chapter title 2</a>' in html
    assert 'rel="prev" href="/books/test-book/chapters/1/"' in html
    assert 'rel="next" href="/books/test-book/chapters/3/"' in html
    first = client.get("/books/test-book/chapters/1/").content.decode()
    assert 'rel="prev"' not in first


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_chapter_page_query_count_does_not_grow_with_headings_tables_or_chapters(client):
    from notes.services.history import CHAPTER_RENDERING, chapter_render, save_rendering

    make_book(slug="small", chapters=2, tables=1)
    large = make_book(slug="large", chapters=60, tables=8)
    chapter = large.chapters.get(number=2)
    chapter.body += "\n\n" + "\n\n".join(f"## Heading {index}\n\nText {index}." for index in range(40))
    chapter_render(chapter)
    save_rendering(chapter, *CHAPTER_RENDERING)
    assert len(chapter.contents) == 48
    assert _queries(client, "/books/small/chapters/2/") == _queries(client, "/books/large/chapters/2/") == 4
