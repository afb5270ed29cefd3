"""Reading: books, chapters, tables, their versions and diffs, and the changelog."""

import difflib

from django.http import Http404, HttpRequest
from ninja import Query, Router

from notes.api.core import Problem, require_read
from notes.api.pagination import paginate
from notes.api.schemas import (
    BookDetailOut,
    BookPage,
    ChangelogOut,
    ChapterDetailOut,
    ChapterPage,
    DiffOut,
    TableOut,
    VersionPage,
)
from notes.models import Book, Chapter, ComparisonTable
from notes.selectors import books as selectors
from notes.selectors.reviews import version_get

router = Router(tags=["books"])


def book_out(book: Book) -> dict:
    return {
        "slug": book.slug,
        "title": book.title,
        "author": book.author,
        "domains": book.domains,
        "url": book.get_absolute_url(),
    }


def chapter_out(chapter: Chapter) -> dict:
    return {"number": chapter.number, "title": chapter.title, "url": chapter.get_absolute_url()}


@router.get("/books", response=BookPage, summary="List books")
def book_list(request: HttpRequest, cursor: str | None = None, limit: int | None = None):
    require_read(request)
    books, next_url = paginate(request, Book.objects.all(), cursor=cursor, limit=limit)
    return {"items": [book_out(book) for book in books], "next": next_url}


@router.get("/books/{book_slug}", response=BookDetailOut, summary="One book with its chapters")
def book_detail(request: HttpRequest, book_slug: str):
    require_read(request)
    book = selectors.book_with_contents(slug=book_slug)
    return {
        **book_out(book),
        "summary": book.summary,
        "summary_html": book.summary_html,
        "chapters": [chapter_out(chapter) for chapter in book.chapters.all()],
    }


@router.get("/books/{book_slug}/chapters", response=ChapterPage, summary="List a book's chapters")
def chapter_list(request: HttpRequest, book_slug: str, cursor: str | None = None, limit: int | None = None):
    require_read(request)
    book = selectors.book_get(slug=book_slug)
    chapters, next_url = paginate(
        request,
        Chapter.objects.filter(book=book).select_related("book").only("id", "number", "title", "book__slug"),
        cursor=cursor,
        limit=limit,
        field="number",
    )
    return {"items": [chapter_out(chapter) for chapter in chapters], "next": next_url}


@router.get(
    "/books/{book_slug}/chapters/{int:number}",
    response=ChapterDetailOut,
    summary="One chapter: Markdown, stored HTML and current version",
)
def chapter_detail(request: HttpRequest, book_slug: str, number: int):
    require_read(request)
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    return {
        **chapter_out(chapter),
        "book": chapter.book.slug,
        "body": chapter.body,
        "body_html": chapter.body_html,
        "version": selectors.latest_history_id(Chapter, chapter.pk),
        "tables": [table.slug for table in chapter.tables.all()],
    }


@router.get(
    "/books/{book_slug}/chapters/{int:number}/tables/{table_slug}",
    response=TableOut,
    summary="One comparison table",
)
def table_detail(request: HttpRequest, book_slug: str, number: int, table_slug: str):
    require_read(request)
    table = selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
    return {
        "slug": table.slug,
        "title": table.title,
        "headers": [str(cell) for cell in table.headers],
        "rows": [[str(cell) for cell in row] for row in table.rows],
        "html": table.html,
        "version": selectors.latest_history_id(ComparisonTable, table.pk),
    }


@router.get(
    "/books/{book_slug}/chapters/{int:number}/versions",
    response=VersionPage,
    summary="A chapter's versions, newest first",
)
def chapter_versions(
    request: HttpRequest, book_slug: str, number: int, cursor: str | None = None, limit: int | None = None
):
    require_read(request)
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    history = Chapter.history.filter(id=chapter.pk)
    rows, next_url = paginate(
        request,
        history.select_related("history_user").defer("body", "body_html"),
        cursor=cursor,
        limit=limit,
        field="history_id",
        descending=True,
    )
    # Version numbers count from the oldest: one count for the page's newest, then down.
    newest_number = history.filter(history_id__lte=rows[0].history_id).count() if rows else 0
    return {
        "items": [
            {
                "version": row.history_id,
                "number": newest_number - index,
                "date": row.history_date,
                "summary": row.history_change_reason or "",
                "author": row.history_user.username if row.history_user else None,
                "change_request": row.change_request_id,
            }
            for index, row in enumerate(rows)
        ],
        "next": next_url,
    }


@router.get(
    "/books/{book_slug}/chapters/{int:number}/diff",
    response=DiffOut,
    summary="Compare two versions of a chapter",
)
def chapter_diff(
    request: HttpRequest,
    book_slug: str,
    number: int,
    from_version: int = Query(..., alias="from"),
    to_version: int = Query(..., alias="to"),
):
    require_read(request)
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    old = version_get(thing=chapter, history_id=from_version)
    new = version_get(thing=chapter, history_id=to_version)
    if old is None or new is None:
        raise Http404("No such version of this chapter.")
    unified = "".join(
        difflib.unified_diff(
            old.row.body.splitlines(keepends=True),
            new.row.body.splitlines(keepends=True),
            fromfile=f"version {old.number}",
            tofile=f"version {new.number}",
        )
    )
    return {
        "from_version": old.row.history_id,
        "to_version": new.row.history_id,
        "title_changed": old.row.title != new.row.title,
        "unified": unified,
    }


ORDERS = {"newest": True, "oldest": False}


@router.get(
    "/books/{book_slug}/changelog",
    response=ChangelogOut,
    summary="The book's changelog, derived from its history",
)
def book_changelog(request: HttpRequest, book_slug: str, order: str = "newest"):
    require_read(request)
    if order not in ORDERS:
        raise Problem(400, "Bad request", 'Ask for "order=newest" (the default) or "order=oldest".')
    book = selectors.book_get(slug=book_slug)
    entries = selectors.changelog(book=book, newest_first=ORDERS[order])
    return {
        "items": [
            {
                "date": entry.date,
                "summary": entry.summary,
                "target": entry.target,
                "author": entry.author.username if entry.author else None,
                "approver": entry.approver.username if entry.approver else None,
                "change_request": entry.change_request_id,
                "url": entry.url,
            }
            for entry in entries
        ]
    }
