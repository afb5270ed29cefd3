"""Read queries. Each returns what a page needs in a fixed number of SQL queries."""

import datetime
from dataclasses import dataclass, replace

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from notes.lib.domains import domain_slug, domain_slug_pattern
from notes.lib.placeholders import placeholder_slugs
from notes.models import Book, ChangeRequest, Chapter, ComparisonTable
from notes.models.history import SUMMARIZED


@dataclass(frozen=True)
class ChangelogEntry:
    """One published change: a history row that carries a summary."""

    date: datetime.datetime
    summary: str
    book: Book
    author: object | None
    change_request_id: int | None
    target: str  # "book", "chapter N" or "table <slug>"
    url: str
    history_id: int
    approver: object | None = None  # who approved the change request that published it
    # What changed, as a reader names it: "Book details", "Chapter 3 · Data Engineering
    # Fundamentals" or, for a table, "Chapter 3 · Row-wise versus Column-wise Storage".
    name: str = ""
    # A partial publication: "3 of 5 changes" (of its request); empty for a whole one.
    partial: str = ""


def latest_history_id(model: type[models.Model], object_id: int) -> int | None:
    """The history_id of the newest version of one book, chapter or table (one query)."""
    return (
        model.history.filter(id=object_id)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )


def _books_with_chapter_counts() -> QuerySet[Book]:
    """Books as their cards show them, each with its chapter count counted for those books
    only (a subquery per row of the page, not a count over every chapter of the wiki)."""
    chapters = (
        Chapter.objects.filter(book=OuterRef("pk"))
        .order_by()
        .values("book")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Book.objects.only("id", "slug", "title", "author", "domains").annotate(
        chapter_count=Coalesce(Subquery(chapters), 0)
    )


def book_page(*, page_number: int, per_page: int) -> Page:
    """One page of every book by title, each with its chapter count (two queries: the
    count, and the page's books), so the home page costs the same with 10 books or 10,000.
    A number past the last page is the last."""
    return Paginator(_books_with_chapter_counts().order_by("title", "pk"), per_page).get_page(page_number)


def books_in_domain(*, slug: str, page_number: int, per_page: int) -> tuple[str, Page]:
    """The domain's name as the books write it and one page of its books by title, with
    their chapter counts (three queries, whatever the size of the wiki). Domains are free
    text on each book, so they are matched by their slug; 404 when no book names it."""
    books = _books_with_chapter_counts().filter(domain_slugs__contains=domain_slug_pattern(slug))
    page = Paginator(books.order_by("title", "pk"), per_page).get_page(page_number)
    if not page.paginator.count:
        raise Http404("No book names that domain.")
    name = next(domain for domain in page[0].domain_list if domain_slug(domain) == slug)
    return name, page


def book_get(*, slug: str) -> Book:
    return get_object_or_404(Book, slug=slug)


def book_with_contents(*, slug: str) -> Book:
    """The book with its chapters and their tables prefetched (three queries).

    Each chapter carries ``thread_count`` and ``open_thread_count`` (its discussion),
    counted in the chapters' query.
    """
    chapters = (
        Chapter.objects.defer("body", "body_html")
        .annotate(
            thread_count=Count("threads"),
            open_thread_count=Count("threads", filter=Q(threads__is_resolved=False)),
        )
        .prefetch_related(
            Prefetch(
                "tables",
                queryset=ComparisonTable.objects.only("id", "chapter_id", "slug", "title", "position"),
            )
        )
    )
    return get_object_or_404(
        Book.objects.prefetch_related(Prefetch("chapters", queryset=chapters)), slug=slug
    )


def chapter_places(*, book_id: int) -> list[tuple[int, list[dict]]]:
    """``(number, contents)`` of each chapter of the book, in order (one query): the
    headings and tables each chapter page holds, for links from the book's summary."""
    return list(Chapter.objects.filter(book_id=book_id).order_by("number").values_list("number", "contents"))


def book_for_export(*, slug: str) -> tuple[Book, list[Chapter], list]:
    """The book, its chapters with their tables, and its whole changelog oldest first, for
    a download (a fixed number of queries). Each chapter carries ``unplaced_tables``: the
    tables its body never places, which the download shows after the text."""
    book = get_object_or_404(Book, slug=slug)
    chapters = list(Chapter.objects.filter(book=book).prefetch_related("tables"))
    for chapter in chapters:
        placed = set(placeholder_slugs(chapter.body))
        chapter.unplaced_tables = [table for table in chapter.tables.all() if table.slug not in placed]
    return book, chapters, changelog(book=book)


def chapter_get(*, book_slug: str, number: int) -> Chapter:
    """The chapter with its book and tables (two queries)."""
    return get_object_or_404(
        Chapter.objects.select_related("book").prefetch_related("tables"),
        book__slug=book_slug,
        number=number,
    )


def chapter_for_reading(*, book_slug: str, number: int) -> Chapter:
    """The chapter page's chapter with its book, in one query that also counts
    ``version_count`` and reads ``last_changed_at`` and ``last_changed_by`` (the username
    of whoever wrote its newest version, or None). Its tables are in its stored HTML and
    contents, so they are not read."""
    versions = Chapter.history.filter(id=OuterRef("pk"))
    newest = versions.order_by("-history_date", "-history_id")
    return get_object_or_404(
        Chapter.objects.select_related("book").annotate(
            version_count=Subquery(
                versions.order_by().values("id").annotate(count=Count("history_id")).values("count")
            ),
            last_changed_at=Subquery(newest.values("history_date")[:1]),
            last_changed_by=Subquery(newest.values("history_user__username")[:1]),
        ),
        book__slug=book_slug,
        number=number,
    )


def chapter_siblings(*, chapter: Chapter) -> list[Chapter]:
    """Every chapter of the chapter's book, numbers and titles only, for navigation."""
    return list(Chapter.objects.filter(book_id=chapter.book_id).only("id", "number", "title", "book_id"))


def table_get(*, book_slug: str, number: int, table_slug: str) -> ComparisonTable:
    return get_object_or_404(
        ComparisonTable.objects.select_related("chapter__book"),
        chapter__book__slug=book_slug,
        chapter__number=number,
        slug=table_slug,
    )


def changelog(
    *, book: Book | None = None, newest_first: bool = False, limit: int | None = None, offset: int = 0
) -> list[ChangelogEntry]:
    """Published changes derived from the history rows that carry a summary.

    One query per tracked model (a table's line brings its chapter) and, with no ``book``
    (the whole wiki), one for the books the lines name: never the whole wiki. ``offset`` and ``limit`` take a page of the merged
    list: each model gives at most ``offset + limit`` rows, as the merge may need them all.
    """
    # A changelog line needs the date, summary, user and place, never the content itself.
    book_rows = Book.history.defer("summary", "summary_html")
    chapter_rows = Chapter.history.defer("body", "body_html")
    table_rows = ComparisonTable.history.defer("headers", "rows", "html")
    book_rows, chapter_rows, table_rows = (
        rows.filter(SUMMARIZED) for rows in (book_rows, chapter_rows, table_rows)
    )
    if book is not None:
        book_rows = book_rows.filter(id=book.pk)
        chapter_rows = chapter_rows.filter(book_id=book.pk)
        table_rows = table_rows.filter(chapter_id__in=Chapter.history.filter(book_id=book.pk).values("id"))
    ordering = ("-history_date", "-history_id") if newest_first else ("history_date", "history_id")
    if limit is not None:
        book_rows, chapter_rows, table_rows = (
            rows.order_by(*ordering)[: offset + limit] for rows in (book_rows, chapter_rows, table_rows)
        )
    book_rows = list(book_rows.select_related("history_user"))
    chapter_rows = list(chapter_rows.select_related("history_user"))
    # Each table's chapter (its number and book) in the same query.
    table_rows = list(
        table_rows.select_related("history_user", "chapter").defer("chapter__body", "chapter__body_html")
    )
    table_chapters = {row.chapter_id: row.chapter for row in table_rows if row.chapter is not None}
    if book is None:
        # Only the books these lines name: the cost follows the page, not the wiki's size.
        wanted = {row.id for row in book_rows} | {row.book_id for row in chapter_rows}
        wanted |= {chapter.book_id for chapter in table_chapters.values()}
        books = Book.objects.in_bulk(wanted) if wanted else {}
    else:
        books = {book.pk: book}
    entries: list[ChangelogEntry] = []
    for row in book_rows:
        if row.id not in books:
            continue
        entries.append(
            _entry(row, books[row.id], "book", books[row.id].get_absolute_url(), name="Book details")
        )
    for row in chapter_rows:
        if row.book_id not in books:
            continue
        row_book = books[row.book_id]
        url = f"{row_book.get_absolute_url()}chapters/{row.number}/"
        name = f"Chapter {row.number} · {row.title}"
        entries.append(_entry(row, row_book, f"chapter {row.number}", url, name=name))
    for row in table_rows:
        chapter = table_chapters.get(row.chapter_id)
        if chapter is None or chapter.book_id not in books:
            continue
        row_book = books[chapter.book_id]
        url = f"{row_book.get_absolute_url()}chapters/{chapter.number}/tables/{row.slug}/"
        name = f"Chapter {chapter.number} · {row.title or row.slug}"
        entries.append(_entry(row, row_book, f"table {row.slug}", url, name=name))
    entries.sort(key=lambda entry: (entry.date, entry.history_id), reverse=newest_first)
    entries = entries[offset : offset + limit] if limit is not None else entries[offset:]
    return _with_approvers(entries)


def _with_approvers(entries: list[ChangelogEntry]) -> list[ChangelogEntry]:
    """Attach the approver of each entry's change request: one query, and none without requests."""
    request_ids = {entry.change_request_id for entry in entries if entry.change_request_id}
    if not request_ids:
        return entries
    approvers = {
        request.pk: request.approved_by
        for request in ChangeRequest.objects.filter(pk__in=request_ids)
        .select_related("approved_by")
        .only("id", "approved_by")
    }
    return [
        replace(entry, approver=approvers.get(entry.change_request_id))
        if entry.change_request_id and not entry.partial
        else entry
        for entry in entries
    ]


def _entry(row, book: Book, target: str, url: str, *, name: str) -> ChangelogEntry:
    return ChangelogEntry(
        name=name,
        date=row.history_date,
        summary=row.history_change_reason,
        book=book,
        author=row.history_user,
        change_request_id=row.change_request_id,
        target=target,
        url=url,
        history_id=row.history_id,
        partial=row.partial_label,
    )
