"""Publishing an approved change request: one transaction, one new version.

The caller (approval or a reviewer's direct revert) holds the transaction; this module
locks the target row, merges when the target moved on since the request's base version,
writes exactly one history row and refreshes the stored rendered HTML, or sends the
request back to its author with the conflicts and publishes nothing.
"""

from dataclasses import dataclass, field, replace

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from notes.formats import parse_markdown
from notes.formats.document import BookDoc
from notes.lib.merging import merge
from notes.models import Book, ChangeRequest, Chapter, ComparisonTable
from notes.models.reviews import TARGET_FIELDS
from notes.selectors.books import latest_history_id
from notes.services.books import ImportRefused, book_import
from notes.services.history import (
    CHAPTER_RENDERING,
    ChapterRendering,
    book_render,
    book_summary_links_refresh,
    chapter_render,
    save_rendering,
    save_version,
    table_render,
)
from notes.services.quotes import quotes_reanchor
from notes.services.renderings import renderings_expire

Kind = ChangeRequest.Kind
Status = ChangeRequest.Status


@dataclass(frozen=True)
class PublishedPage:
    """What a publish changed for readers: a whole book (``number`` None) or one chapter."""

    book_slug: str
    number: int | None


@dataclass(frozen=True)
class PublishOutcome:
    published: bool
    merged: bool
    message: str
    conflicts: list = field(default_factory=list)
    # The pages to expire after the commit (None when nothing was published): expired by
    # the caller after it has queued its notifications, so the e-mails' enqueue runs first.
    page: PublishedPage | None = None


# --- Targets and their versions ----------------------------------------------------------


def snapshot(kind: str, obj) -> dict:
    """The proposable fields of a book, chapter or table (or of one of their history rows)."""
    if kind == "book":
        return {
            "title": obj.title,
            "body": obj.summary,
            "book_author": obj.author,
            "book_domains": obj.domains,
        }
    if kind == "chapter":
        return {"title": obj.title, "body": obj.body}
    return {"title": obj.title, "headers": list(obj.headers), "rows": [list(row) for row in obj.rows]}


def _proposal(change_request: ChangeRequest) -> dict:
    return {name: getattr(change_request, name) for name in TARGET_FIELDS[change_request.target_kind]}


def merge_preview(*, target, base_history_id: int, proposed: dict) -> tuple[list, int | None]:
    """What approval would meet if ``proposed`` (written against ``base_history_id``) were
    approved now: (the merge's conflicts, the current version's id). Writes nothing; the
    same merge as ``publish``, so the answer and the later approval cannot disagree."""
    kind = {Book: "book", Chapter: "chapter", ComparisonTable: "table"}[type(target)]
    current_history_id = latest_history_id(type(target), target.pk)
    if base_history_id == current_history_id:
        return [], current_history_id
    base_row = type(target).history.get(history_id=base_history_id)
    _merged, conflicts = merge(snapshot(kind, base_row), snapshot(kind, target), proposed)
    return conflicts, current_history_id


def chapter_rendered_ahead(change_request: ChangeRequest) -> ChapterRendering | None:
    """The chapter a chapter or table request publishes, rendered as it will most likely
    be published (as proposed, with the tables as they are now), for the caller to make
    before it locks anything and to hand to ``publish``. None for a book's request."""
    kind = change_request.kind
    if kind == Kind.CHAPTER_NEW:
        chapter = Chapter(number=change_request.number, body=change_request.body)
        return chapter_render(chapter, tables=[])
    if change_request.target_kind == "book" or change_request.chapter_id is None:
        return None
    chapter = Chapter.objects.filter(pk=change_request.chapter_id).first()
    if chapter is None:
        return None
    tables = list(chapter.tables.all())
    if change_request.target_kind == "chapter":
        chapter.body = change_request.body
    else:
        proposed = ComparisonTable(
            chapter=chapter,
            slug=change_request.slug or (change_request.table.slug if change_request.table else ""),
            title=change_request.title,
            headers=change_request.headers,
            rows=change_request.rows,
        )
        if kind == Kind.TABLE_NEW:
            tables.append(proposed)
        else:
            tables = [
                ComparisonTable(
                    slug=table.slug,
                    title=proposed.title,
                    headers=proposed.headers,
                    rows=proposed.rows,
                    alignments=table.alignments,
                )
                if table.pk == change_request.table_id
                else table
                for table in tables
            ]
    return chapter_render(chapter, tables=tables)


def publish(
    change_request: ChangeRequest,
    *,
    approver,
    ahead: ChapterRendering | None = None,
    part: dict | None = None,
    counted: tuple[int, int] | None = None,
) -> PublishOutcome:
    """Lock the target, merge if it moved on, write one version. Called inside a transaction.

    ``ahead``: the chapter as ``chapter_rendered_ahead`` rendered it before any lock; used
    if what is published turns out the same (no merge, no table changed meanwhile).

    ``part``: publish this content (the base version plus the changes a reviewer accepted)
    instead of the whole proposal, recorded on the version as ``counted`` (published, of
    proposed); the request then stays open (the caller rebases it) instead of approved.
    """
    kind = change_request.kind
    if kind == Kind.CHAPTER_NEW:
        return _publish_new_chapter(change_request, approver, ahead)
    if kind == Kind.TABLE_NEW:
        return _publish_new_table(change_request, approver, ahead)
    if kind == Kind.BOOK_FROM_FILE:
        return _publish_book_from_file(change_request, approver=approver)
    if kind == Kind.BOOK_CREATE:
        return _publish_book_create(change_request, approver)

    target_kind = change_request.target_kind
    if target_kind == "table":
        # The chapter first, always: a table change re-renders its chapter, and a chapter
        # edit locks only the chapter, so both orders agree and cannot deadlock.
        chapter = Chapter.objects.select_for_update().get(pk=change_request.chapter_id)
        target = ComparisonTable.objects.select_for_update().get(pk=change_request.table_id)
    else:
        model = change_request.target_model
        target = model.objects.select_for_update().get(pk=change_request.target_pk)

    whole = _proposal(change_request)
    proposed = whole if part is None else part
    current_history_id = latest_history_id(type(target), target.pk)
    merged = False
    if change_request.base_history_id == current_history_id:
        new = proposed
    else:
        base_row = type(target).history.get(history_id=change_request.base_history_id)
        base, current = snapshot(target_kind, base_row), snapshot(target_kind, target)
        new, conflicts = merge(base, current, proposed)
        if conflicts:
            if part is not None:
                # The author resolves the whole request, not the part that was accepted.
                new, conflicts = merge(base, current, whole)
            # The author resolves from the merge: agreed parts merged, conflicting parts as
            # they proposed them (text with markers), against the version merged with.
            resolution = {"base_history_id": current_history_id, "content": {**whole, **new}}
            return _send_back_with_conflicts(change_request, conflicts, resolution)
        merged = True

    if target_kind == "book":
        target.title, target.summary = new["title"], new["body"]
        target.author, target.domains = new["book_author"], new["book_domains"]
        book_render(target)
    elif target_kind == "chapter":
        target.title, target.body = new["title"], new["body"]
        chapter_render(target, ahead=ahead)
    else:
        target.title, target.headers, target.rows = new["title"], new["headers"], new["rows"]
        table_render(target)
    save_version(
        target,
        summary=change_request.summary,
        user=change_request.author,
        change_request=change_request,
        counted=counted,
    )
    if target_kind == "chapter":
        quotes_reanchor(chapter=target)
        book_summary_links_refresh(book_id=target.book_id)
    if target_kind == "table":
        # The chapter shows the table inline: refresh that cache without a chapter version.
        chapter_render(chapter, ahead=ahead)
        save_rendering(chapter, *CHAPTER_RENDERING)
        renderings_expire(chapter_id=chapter.pk)
        quotes_reanchor(chapter=chapter)  # the table's cells are part of the chapter's text
        book_summary_links_refresh(book_id=chapter.book_id)

    note = (
        "The page changed after this request was written; the changes were merged without "
        "conflicts and the merged text was published."
        if merged
        else ""
    )
    if part is not None:
        page = _published_page(change_request, target)
        return PublishOutcome(published=True, page=page, merged=merged, message=note or "Published.")
    page = _mark_published(change_request, target, approver, note)
    return PublishOutcome(published=True, page=page, merged=merged, message=note or "Approved and published.")


def _publish_new_chapter(
    change_request: ChangeRequest, approver, ahead: ChapterRendering | None
) -> PublishOutcome:
    # Locking the book serializes chapter numbering within it.
    book = Book.objects.select_for_update().get(pk=change_request.book_id)
    if Chapter.objects.filter(book=book, number=change_request.number).exists():
        return _send_back_with_conflicts(
            change_request,
            [
                {
                    "field": "number",
                    "message": f"Chapter {change_request.number} was added meanwhile; pick another number.",
                }
            ],
        )
    chapter = Chapter(
        book=book, number=change_request.number, title=change_request.title, body=change_request.body
    )
    chapter_render(chapter, tables=[], ahead=ahead)
    save_version(
        chapter, summary=change_request.summary, user=change_request.author, change_request=change_request
    )
    book_summary_links_refresh(book_id=book.pk)
    change_request.chapter = chapter
    page = _mark_published(change_request, chapter, approver, "")
    return PublishOutcome(published=True, page=page, merged=False, message="Approved and published.")


def _publish_new_table(
    change_request: ChangeRequest, approver, ahead: ChapterRendering | None
) -> PublishOutcome:
    chapter = Chapter.objects.select_for_update().get(pk=change_request.chapter_id)
    if ComparisonTable.objects.filter(chapter=chapter, slug=change_request.slug).exists():
        return _send_back_with_conflicts(
            change_request,
            [
                {
                    "field": "slug",
                    "message": f"A table '{change_request.slug}' was added meanwhile; pick another slug.",
                }
            ],
        )
    position = chapter.tables.aggregate(top=models.Max("position"))["top"]
    table = ComparisonTable(
        chapter=chapter,
        slug=change_request.slug,
        title=change_request.title,
        headers=change_request.headers,
        rows=change_request.rows,
        position=0 if position is None else position + 1,
    )
    table_render(table)
    save_version(
        table, summary=change_request.summary, user=change_request.author, change_request=change_request
    )
    chapter_render(chapter, ahead=ahead)
    save_rendering(chapter, *CHAPTER_RENDERING)
    renderings_expire(chapter_id=chapter.pk)
    quotes_reanchor(chapter=chapter)  # a table placed in the text moves the words after it
    book_summary_links_refresh(book_id=chapter.book_id)
    change_request.table = table
    page = _mark_published(change_request, table, approver, "")
    return PublishOutcome(published=True, page=page, merged=False, message="Approved and published.")


def _publish_book_create(change_request: ChangeRequest, approver) -> PublishOutcome:
    """A book proposed in the browser by its details (``BOOK_CREATE``): the book, no chapters yet."""
    # The unique slug is the lock: a book made meanwhile at the same address is a conflict.
    if Book.objects.filter(slug=change_request.slug).exists():
        return _send_back_with_conflicts(
            change_request,
            [
                {
                    "field": "slug",
                    "message": f"A book at /books/{change_request.slug}/ was added meanwhile; "
                    "pick another address.",
                }
            ],
        )
    book = Book(
        slug=change_request.slug,
        title=change_request.title,
        author=change_request.book_author,
        domains=change_request.book_domains,
        summary=change_request.body,
    )
    book_render(book)
    try:
        with transaction.atomic():  # a savepoint: another new book may take the address first
            save_version(
                book,
                summary=change_request.summary,
                user=change_request.author,
                change_request=change_request,
            )
    except IntegrityError:
        return _send_back_with_conflicts(
            change_request,
            [{"field": "slug", "message": f"A book at /books/{change_request.slug}/ was added meanwhile."}],
        )
    change_request.book = book
    page = _mark_published(change_request, book, approver, "")
    return PublishOutcome(published=True, page=page, merged=False, message="Approved and published.")


def _book_from_file_document(change_request: ChangeRequest) -> BookDoc:
    """The book a ``BOOK_FROM_FILE`` request proposes: its Markdown, with the request's details."""
    document = parse_markdown(change_request.body).book
    document.title = change_request.title
    document.author = change_request.book_author
    document.domains = [domain.strip() for domain in change_request.book_domains.split(",") if domain.strip()]
    return document


def _publish_book_from_file(change_request: ChangeRequest, *, approver) -> PublishOutcome:
    """Create the proposed book, its chapters and tables (history from its changelog), then
    one version of the book carrying the request. Called by :func:`publish` inside its
    transaction; a slug taken meanwhile sends the request back to its author."""
    try:
        with transaction.atomic():
            book = book_import(document=_book_from_file_document(change_request), slug=change_request.slug)
    except (ImportRefused, IntegrityError):
        outcome = _send_back_with_conflicts(
            change_request,
            [
                {
                    "field": "slug",
                    "message": f"A book with the slug '{change_request.slug}' was added meanwhile; "
                    "upload the file on that book's page instead.",
                }
            ],
        )
        return replace(outcome, message="Nothing was published: a book with this slug was added meanwhile.")
    save_version(
        book, summary=change_request.summary, user=change_request.author, change_request=change_request
    )
    change_request.book = book
    page = _mark_published(change_request, book, approver, "")
    return PublishOutcome(published=True, page=page, merged=False, message="Approved: the book is published.")


def _mark_published(change_request: ChangeRequest, target, approver, note: str) -> PublishedPage:
    """Record the approval; returns the pages it changed, for the caller to expire last."""
    page = _published_page(change_request, target)
    change_request.status = Status.APPROVED
    change_request.approved_by = approver
    change_request.published_history_id = latest_history_id(type(target), target.pk)
    change_request.published_at = timezone.now()
    change_request.merge_note = note
    change_request.conflicts = []
    change_request.save()
    return page


def _published_page(change_request: ChangeRequest, target) -> PublishedPage:
    if isinstance(target, ComparisonTable):
        return PublishedPage(book_slug=change_request.book.slug, number=target.chapter.number)
    # The book's details or a chapter (whose title every page of the book lists).
    return PublishedPage(book_slug=change_request.book.slug, number=None)


def _send_back_with_conflicts(
    change_request: ChangeRequest, conflicts: list[dict], resolution: dict | None = None
) -> PublishOutcome:
    change_request.status = Status.CONFLICT
    change_request.conflicts = conflicts
    change_request.resolution = resolution or {}
    change_request.save(update_fields=["status", "conflicts", "resolution", "updated_at"])
    return PublishOutcome(
        published=False,
        merged=False,
        message="Nothing was published: the page changed since this request was written and the "
        "changes conflict. The request went back to its author with the conflicting parts.",
        conflicts=conflicts,
    )
