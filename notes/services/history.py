"""Writing versions: every save of a tracked model goes through ``save_version``.

A version is one history row carrying its summary (the changelog line), its author,
its date and, when a review published it, the change request. History rows are only
ever inserted: nothing here updates or deletes one. Both writers refresh the object's
search documents in the same transaction, so search finds exactly what is published.
"""

import datetime
from dataclasses import dataclass

from django.db import models, transaction
from django.urls import reverse

from notes.lib.anchors import chapter_contents, moved_anchor_urls, rewrite_moved_anchors
from notes.lib.markup import render_markdown, render_table
from notes.lib.page_cache import page_cache_expire
from notes.models import Book, Chapter, ComparisonTable
from notes.selectors.books import chapter_places
from notes.services.search import search_document_refresh


def save_version(
    instance: models.Model,
    *,
    summary: str = "",
    user=None,
    date: datetime.datetime | None = None,
    change_request=None,
    counted: tuple[int, int] | None = None,
) -> None:
    """Save ``instance`` and append exactly one history row describing the change.

    ``counted``: for a request published in part, (changes published, changes proposed).
    """
    instance._change_reason = summary
    instance._history_user = user
    instance._change_request = change_request
    if counted is not None:
        instance._changes_counted = counted
    if date is not None:
        instance._history_date = date
    try:
        instance.save()
    finally:
        for attribute in (
            "_change_reason",
            "_history_user",
            "_change_request",
            "_changes_counted",
            "_history_date",
        ):
            instance.__dict__.pop(attribute, None)
    search_document_refresh(obj=instance)


def save_rendering(instance: models.Model, *fields: str) -> None:
    """Store a refreshed rendering without writing a version: HTML is a cache, not content."""
    instance.save_without_historical_record(update_fields=list(fields))
    search_document_refresh(obj=instance)


# What ``chapter_render`` writes: store both together (``save_rendering(chapter, *CHAPTER_RENDERING)``).
CHAPTER_RENDERING = ("body_html", "contents")


# Footnote id prefixes (see ``render_markdown``): fixed per text, distinct on one page.
SUMMARY_FOOTNOTES = "summary"


def chapter_footnotes(number: int) -> str:
    return f"c{number}"


def book_render(book: Book) -> None:
    """Render the summary; its ``#anchor`` links to headings now on chapter pages point there."""
    summary_html = render_markdown(book.summary, footnote_prefix=SUMMARY_FOOTNOTES)
    book.summary_html = rewrite_moved_anchors(summary_html, _chapter_anchor_urls(book))


def _chapter_anchor_urls(book: Book) -> dict[str, str]:
    if book.pk is None:
        return {}
    return moved_anchor_urls(
        (reverse("notes:chapter-detail", args=[book.slug, number]), contents)
        for number, contents in chapter_places(book_id=book.pk)
    )


def book_summary_links_refresh(*, book_id: int) -> None:
    """A chapter's headings may have changed: after the commit, render the book's summary
    again and store it if its links moved (the summary is short; one render per publish).

    After the commit and under the book's row lock, not inside the publishing
    transaction: that one holds the chapter's lock, and a book edit published at the same
    moment must neither wait on it nor have its new summary overwritten by the old one.
    """

    def refresh() -> None:
        with transaction.atomic():
            book = Book.objects.select_for_update().filter(pk=book_id).first()
            if book is None:
                return
            old_html = book.summary_html
            book_render(book)
            if book.summary_html != old_html:
                save_rendering(book, "summary_html")
                page_cache_expire(book_slug=book.slug)

    transaction.on_commit(refresh)


def table_render(table: ComparisonTable) -> None:
    table.html = render_table(table)


@dataclass(frozen=True)
class ChapterRendering:
    """What ``chapter_render`` made, and from what: a text, its number, its tables."""

    inputs: tuple
    body_html: str
    contents: list


def _rendering_inputs(chapter: Chapter, tables: list) -> tuple:
    return (
        chapter.body,
        chapter.number,
        tuple(
            (
                table.slug,
                table.title,
                tuple(table.headers),
                tuple(tuple(row) for row in table.rows),
                tuple(getattr(table, "alignments", None) or ()),
            )
            for table in tables
        ),
    )


def chapter_render(
    chapter: Chapter, tables=None, *, ahead: ChapterRendering | None = None
) -> ChapterRendering:
    """Render the chapter body with its tables and make its table of contents from them.

    ``tables`` defaults to the saved ones. ``ahead`` is a rendering made earlier, before
    the caller locked the chapter's row (rendering a long chapter takes a while, and
    everything else that writes to the chapter waits on that lock): it is used when it was
    made from the same text, number and tables, else the chapter is rendered now.
    """
    if tables is None:
        tables = chapter.tables.all()
    tables = list(tables)
    inputs = _rendering_inputs(chapter, tables)
    if ahead is not None and ahead.inputs == inputs:
        chapter.body_html, chapter.contents = ahead.body_html, list(ahead.contents)
        return ahead
    chapter.body_html = render_markdown(
        chapter.body,
        {table.slug: table for table in tables},
        footnote_prefix=chapter_footnotes(chapter.number),
    )
    chapter.contents = chapter_contents(body_html=chapter.body_html, tables=tables)
    return ChapterRendering(inputs=inputs, body_html=chapter.body_html, contents=list(chapter.contents))


def renderings_refresh() -> dict[str, int]:
    """Render every current book, chapter and table again and store what changed (no new
    versions: HTML is a cache). For after a change to the renderer, such as raw HTML
    allowed. One transaction per book; history rows keep the HTML they were published with.
    Returns how many of each kind changed."""
    changed = {"books": 0, "chapters": 0, "tables": 0}
    for book_id in Book.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            book = Book.objects.select_for_update().get(pk=book_id)
            chapters = list(
                Chapter.objects.select_for_update()
                .filter(book=book)
                .order_by("number")
                .prefetch_related("tables")
            )
            for chapter in chapters:
                tables = list(chapter.tables.all())
                for table in tables:
                    old_html = table.html
                    table_render(table)
                    if table.html != old_html:
                        save_rendering(table, "html")
                        changed["tables"] += 1
                old = (chapter.body_html, chapter.contents)
                chapter_render(chapter, tables=tables)
                if (chapter.body_html, chapter.contents) != old:
                    save_rendering(chapter, *CHAPTER_RENDERING)
                    changed["chapters"] += 1
            old_html = book.summary_html
            book_render(book)  # after the chapters: its links follow their headings
            if book.summary_html != old_html:
                save_rendering(book, "summary_html")
                changed["books"] += 1
            page_cache_expire(book_slug=book.slug)
    return changed
