"""Importing and exporting whole books in the notes formats.

Import is one transaction: on any error nothing is written. The book's history is
built from its changelog, one history row per changelog line, dated that day and
attached to the chapter the line names ("Chapter 3") or else to the book.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError

from notes.formats.document import BookDoc, ChangelogEntry, ChapterDoc, TableDoc
from notes.formats.epub import EpubChapter, write_epub
from notes.lib.addresses import AddressRefused, book_address, book_address_checked
from notes.lib.limits import chapter_number_refusal, chapter_size_refusal, text_structure_refusal
from notes.lib.numbers import int_or_default
from notes.lib.page_cache import page_cache_expire
from notes.models import Book, Chapter, ComparisonTable
from notes.selectors.books import book_for_export, changelog
from notes.services.history import (
    book_render,
    book_summary_links_refresh,
    chapter_render,
    save_version,
    table_render,
)
from notes.services.images import image_read

_NAMES_CHAPTER = re.compile(r"\bchapter\s+([0-9]+)\b", re.IGNORECASE | re.ASCII)


class ImportRefused(Exception):
    """The import would overwrite a book and was not asked to."""


@dataclass(frozen=True)
class _Event:
    date: datetime.datetime
    summary: str
    chapter_number: int | None


@transaction.atomic
def book_import(*, document: BookDoc, slug: str | None = None, replace: bool = False) -> Book:
    """Create the book of ``document`` with chapters, tables and history from its changelog.

    ``slug`` is the book's address, made from its title when not given; either way the
    book-address rule decides whether a book may have it.
    """
    try:
        slug = book_address_checked(slug) if slug else book_address(document.title)
    except AddressRefused as error:
        raise ImportRefused(f"{error} Pass another with --slug.") from None
    existing = Book.objects.filter(slug=slug).first()
    if existing is not None:
        if not replace:
            raise ImportRefused(f"a book with the slug '{slug}' exists; pass --replace to replace it")
        _book_delete(existing)
    page_cache_expire(book_slug=slug)

    for chapter in document.chapters:
        refusal = (
            chapter_number_refusal(chapter.number)
            or chapter_size_refusal(chapter.body)
            or text_structure_refusal(chapter.body, what="The chapter")
        )
        if refusal:
            raise ImportRefused(f"chapter {chapter.number}: {refusal}")
    refusal = text_structure_refusal(document.summary, what="The book's summary")
    if refusal:
        raise ImportRefused(refusal)
    chapter_numbers = {chapter.number for chapter in document.chapters}
    events = [
        _Event(
            # Midnight of the day, plus the line's position so same-day lines keep their order.
            date=datetime.datetime.combine(entry.date, datetime.time(), datetime.UTC)
            + datetime.timedelta(seconds=index),
            summary=entry.summary,
            chapter_number=_named_chapter(entry.summary, chapter_numbers),
        )
        for index, entry in enumerate(document.changelog)
    ]
    start = min((event.date for event in events), default=None)
    book_events = [event for event in events if event.chapter_number is None]

    book = Book(
        slug=slug,
        title=document.title,
        author=document.author,
        domains=", ".join(document.domains),
        summary=document.summary,
    )
    book_render(book)
    first_book_event = book_events.pop(0) if book_events and book_events[0].date == start else None
    save_version(book, summary=first_book_event.summary if first_book_event else "", date=start)
    for event in book_events:
        save_version(book, summary=event.summary, date=event.date)

    for chapter_doc in document.chapters:
        chapter_events = [event for event in events if event.chapter_number == chapter_doc.number]
        _chapter_create(book, chapter_doc, chapter_events, default_date=start)
    book_summary_links_refresh(book_id=book.pk)  # the summary's links to headings of its chapters
    return book


def _named_chapter(summary: str, chapter_numbers: set[int]) -> int | None:
    match = _NAMES_CHAPTER.search(summary)
    number = int_or_default(match.group(1), -1) if match else -1
    return number if number in chapter_numbers else None


def _chapter_create(book: Book, document: ChapterDoc, events: list[_Event], default_date) -> Chapter:
    created = events[0] if events else None
    date = created.date if created else default_date
    chapter = Chapter(book=book, number=document.number, title=document.title, body=document.body)
    chapter_render(chapter, tables=document.tables)
    save_version(chapter, summary=created.summary if created else "", date=date)
    for position, table_doc in enumerate(document.tables):
        table = ComparisonTable(
            chapter=chapter,
            slug=table_doc.slug,
            title=table_doc.title,
            headers=list(table_doc.headers),
            rows=[list(row) for row in table_doc.rows],
            alignments=list(table_doc.alignments),
            position=position,
        )
        table_render(table)
        save_version(table, date=date)
    for event in events[1:]:
        save_version(chapter, summary=event.summary, date=event.date)
    return chapter


def _book_delete(book: Book) -> None:
    # Deleting writes a "-" history row for each object; earlier rows stay untouched.
    # Change requests and discussion threads protect what they point at: a book that has
    # been worked on in the wiki is not thrown away by an import.
    try:
        for chapter in book.chapters.all():
            for table in chapter.tables.all():
                table.delete()
            chapter.delete()
        book.delete()
    except ProtectedError as error:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
        raise ImportRefused(
            f"the book '{book.slug}' has {' and '.join(kinds)} in the wiki; "
            "--replace only replaces books that nobody has reviewed or discussed yet"
        ) from error


def _alignments(alignments: list[str], width: int) -> list[str]:
    """One alignment per column, or [] when none is aligned (as the formats read them)."""
    known = [value if value in ("left", "center", "right") else "" for value in alignments[:width]]
    return known + [""] * (width - len(known)) if any(known) else []


def book_epub(*, slug: str) -> tuple[Book, bytes]:
    """The published book as an EPUB file: its stored HTML (summary, chapters, tables),
    uploaded images packed in, the changelog last. Nothing that is not published (a
    change request, a draft, a discussion) is read."""
    book, chapters, entries = book_for_export(slug=slug)
    data = write_epub(
        slug=book.slug,
        title=book.title,
        author=book.author,
        language=settings.LANGUAGE_CODE.split("-")[0],
        summary_html=book.summary_html,
        chapters=[
            EpubChapter(
                number=chapter.number,
                title=chapter.title,
                html=chapter.body_html + "".join(table.html for table in chapter.unplaced_tables),
            )
            for chapter in chapters
        ],
        changelog=entries,
        read_image=image_read,
    )
    return book, data


def book_document(*, book: Book) -> BookDoc:
    """The book as a format-neutral document, with its changelog derived from history."""
    chapters = book.chapters.prefetch_related("tables")
    return BookDoc(
        title=book.title,
        author=book.author,
        domains=book.domain_list,
        summary=book.summary,
        changelog=[
            ChangelogEntry(date=entry.date.date(), summary=entry.summary) for entry in changelog(book=book)
        ],
        chapters=[
            ChapterDoc(
                number=chapter.number,
                title=chapter.title,
                body=chapter.body,
                tables=[
                    TableDoc(
                        slug=t.slug,
                        title=t.title,
                        headers=list(t.headers),
                        rows=[list(r) for r in t.rows],
                        alignments=_alignments(t.alignments, len(t.headers)),
                    )
                    for t in chapter.tables.all()
                ],
            )
            for chapter in chapters
        ],
    )
