"""Reading pages: books, chapters, tables, changelogs. Each runs a fixed number of queries."""

from django.shortcuts import render

from notes import selectors
from notes.permissions import read_required


@read_required
def home(request):
    return render(
        request,
        "notes/home.html",
        {"books": selectors.book_list(), "recent": selectors.changelog(newest_first=True, limit=10)},
    )


@read_required
def book_detail(request, book_slug: str):
    book = selectors.book_with_contents(slug=book_slug)
    return render(
        request,
        "notes/book_detail.html",
        {"book": book, "chapters": book.chapters.all(), "changelog": selectors.changelog(book=book)},
    )


@read_required
def book_changelog(request, book_slug: str):
    book = selectors.book_get(slug=book_slug)
    newest_first = request.GET.get("order") == "newest"
    return render(
        request,
        "notes/changelog.html",
        {
            "book": book,
            "entries": selectors.changelog(book=book, newest_first=newest_first),
            "newest_first": newest_first,
        },
    )


@read_required
def chapter_detail(request, book_slug: str, number: int):
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    siblings = selectors.chapter_siblings(chapter=chapter)
    position = next(index for index, sibling in enumerate(siblings) if sibling.pk == chapter.pk)
    return render(
        request,
        "notes/chapter_detail.html",
        {
            "book": chapter.book,
            "chapter": chapter,
            "tables": chapter.tables.all(),
            "chapters": siblings,
            "previous_chapter": siblings[position - 1] if position > 0 else None,
            "next_chapter": siblings[position + 1] if position + 1 < len(siblings) else None,
        },
    )


@read_required
def table_detail(request, book_slug: str, number: int, table_slug: str):
    table = selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
    return render(
        request,
        "notes/table_detail.html",
        {"table": table, "chapter": table.chapter, "book": table.chapter.book},
    )


@read_required
def recent_changes(request):
    return render(
        request,
        "notes/recent.html",
        {"entries": selectors.changelog(newest_first=True, limit=100)},
    )
