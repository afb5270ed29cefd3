"""Notes files uploaded in the browser become change requests, never direct writes.

A file is read with the same importer as ``import_notes`` (``notes.formats``). For a book
that does not exist yet it becomes one ``BOOK_FROM_FILE`` change request: the whole book as
Markdown in ``body`` (the formats' round trip is lossless, so approval reads it back
exactly), its slug in ``slug``, its details in the request's own fields. A reviewer's
approval publishes it (``notes.services.publishing._publish_book_from_file``). For an existing
book the file becomes one reviewable request per changed thing: the details, each changed
or new chapter, each changed or new table.

A ``.zip`` of per-chapter files (a bundle, :mod:`notes.formats.bundles`) is proposed the
same way once read: its images are stored as the editor's uploads are, when the request is
made, and its references point at them (:mod:`notes.services.bundles`).
"""

import secrets
import time
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from notes import permissions
from notes.formats import FormatError, parse, read_source, write_markdown
from notes.formats.bundles import bundle_from_zip, parse_bundle
from notes.formats.document import BookDoc, ChapterDoc, TableDoc, place_tables, split_lines, table_lines
from notes.formats.reports import ImportReport, import_report
from notes.lib.addresses import AddressRefused, book_address
from notes.lib.limits import (
    MAX_BUNDLE_UPLOAD_BYTES,
    MAX_SUMMARY_LENGTH,
    MAX_UPLOAD_BYTES,
    STAGED_UPLOAD_SECONDS,
    size_text,
)
from notes.models import Book, ChangeRequest
from notes.models.reviews import OPEN_STATUSES
from notes.services.books import book_document
from notes.services.bundles import bundle_images_discard, bundle_images_store
from notes.services.reviews import ReviewError, change_request_create

Kind = ChangeRequest.Kind
Status = ChangeRequest.Status

UPLOAD_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".zip": "bundle"}


class UploadError(Exception):
    """An uploaded file that cannot be proposed; the message says why (and on which line)."""


@dataclass
class UploadOutcome:
    book_title: str
    warnings: list[str]  # the importer's, each "line N: ..."
    requests: list[ChangeRequest]
    notes: list[str] = field(default_factory=list)  # what was left alone, and why
    made: str = ""  # what the file holds: "3 chapters, 2 tables, 4 images, 1 warning"
    alert: str = ""  # a result the uploader must not miss (a book without chapters)


def upload_format(filename: str) -> str:
    """``markdown`` for ``.md``/``.markdown``, ``text`` for ``.txt``, ``bundle`` for a ``.zip``
    of chapter files; UploadError otherwise."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadError(
            f"'{filename}' is not a notes file: upload a Markdown (.md, .markdown) or text (.txt) file, "
            "or a .zip of chapter files."
        )
    return UPLOAD_SUFFIXES[suffix]


def upload_limit(filename: str) -> int:
    """The most bytes an upload of this name may have: a zip holds a whole book and its images."""
    return MAX_BUNDLE_UPLOAD_BYTES if filename.lower().endswith(".zip") else MAX_UPLOAD_BYTES


def notes_upload_read(*, data: bytes, filename: str) -> tuple[BookDoc, list[str]]:
    """Read an uploaded notes file: the book and the importer's warnings."""
    document, warnings, _ = _notes_file_read(data=data, filename=filename)
    return document, warnings


def _notes_file_read(*, data: bytes, filename: str) -> tuple[BookDoc, list[str], list[str]]:
    """The book, the warnings and the file's lines (for the report)."""
    format = upload_format(filename)
    if format == "bundle":
        raise UploadError(f"'{filename}' is a zip: it is read with its images when it is proposed.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {size_text(MAX_UPLOAD_BYTES)}. Split it into several books."
        )
    try:
        source = read_source(data)
        result = parse(source.text, format)
    except FormatError as error:
        raise UploadError(f"{filename}: {error}") from None
    warnings = [source.warning, *result.warnings] if source.warning else result.warnings
    return result.book, warnings, split_lines(source.text)


# --- The preview, before anything is proposed ---------------------------------------------------


@dataclass
class UploadPreview:
    filename: str
    book: Book | None  # the book the file proposes changes to; None for a new book
    slug: str  # the new book's address, or the book's
    report: ImportReport


def notes_upload_preview(*, author, data: bytes, filename: str, book: Book | None = None) -> UploadPreview:
    """Read an upload as proposing it would, without storing or proposing anything: the
    outline the uploader checks before "Propose this book". UploadError for a file that
    could not be proposed (unreadable, or a new book whose address is refused or taken)."""
    if not permissions.can_upload_notes(author):
        raise UploadError("You may not propose changes.")
    if upload_format(filename) == "bundle":
        result = _bundle_read(data, filename)
        report = import_report(
            result.book,
            result.warnings,
            lines=result.lines,
            images=len(result.images),
            chapter_images=result.chapter_images(),
            source=filename,
        )
    else:
        document, warnings, lines = _notes_file_read(data=data, filename=filename)
        report = import_report(document, warnings, lines=lines, source=filename)
    slug = book.slug if book is not None else _new_book_slug(report.title)
    return UploadPreview(filename=filename, book=book, slug=slug, report=report)


def _new_book_slug(title: str) -> str:
    """The address a new book would take; UploadError if refused or already taken."""
    try:
        slug = book_address(title)
    except AddressRefused as error:
        raise UploadError(
            f"{error} The address is made from the book's title: change it in the file."
        ) from None
    if Book.objects.filter(slug=slug).exists():
        raise UploadError(
            f"A book with the slug '{slug}' exists; open that book and upload the file there to propose "
            "changes to it."
        )
    return slug


# Uploads waiting for "Propose this book" are kept in the storage, under a random name that
# only the uploader's session knows, for STAGED_UPLOAD_SECONDS; the browser never sends the
# content back.
STAGING_FOLDER = "upload-staging"


def notes_upload_stage(*, data: bytes) -> str:
    """Keep an upload until it is proposed or discarded; returns its token. Uploads staged
    longer ago than the limit are deleted now."""
    _staged_sweep()
    token = secrets.token_urlsafe(24)
    default_storage.save(f"{STAGING_FOLDER}/{token}", ContentFile(data))
    return token


def notes_upload_staged(*, token: str, staged_at: float) -> bytes | None:
    """The bytes staged under ``token``; None if gone or older than the limit."""
    if (
        not token.replace("-", "").replace("_", "").isalnum()
        or time.time() - staged_at > STAGED_UPLOAD_SECONDS
    ):
        return None
    try:
        with default_storage.open(f"{STAGING_FOLDER}/{token}", "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def notes_upload_unstage(*, token: str) -> None:
    if token.replace("-", "").replace("_", "").isalnum():
        default_storage.delete(f"{STAGING_FOLDER}/{token}")


def _staged_sweep() -> None:
    try:
        _, names = default_storage.listdir(STAGING_FOLDER)
    except (FileNotFoundError, OSError, NotImplementedError):
        return
    for name in names:
        path = f"{STAGING_FOLDER}/{name}"
        try:
            age = time.time() - default_storage.get_modified_time(path).timestamp()
        except (FileNotFoundError, OSError, NotImplementedError):
            continue
        if age > STAGED_UPLOAD_SECONDS:
            default_storage.delete(path)


@transaction.atomic
def notes_upload_propose(*, author, data: bytes, filename: str, book: Book | None = None) -> UploadOutcome:
    """Turn an uploaded notes file into change requests submitted for review.

    Without ``book`` the file proposes a new book; with it, the changes to that book.
    Nothing is published here: only a reviewer's approval publishes.
    """
    if not permissions.can_upload_notes(author):
        raise UploadError("You may not propose changes.")
    if upload_format(filename) == "bundle":
        return _bundle_upload_propose(author=author, data=data, filename=filename, book=book)
    document, warnings, lines = _notes_file_read(data=data, filename=filename)
    report = import_report(document, warnings, lines=lines, source=filename)
    summary = _summary(f"Uploaded {filename}")
    try:
        if book is None:
            requests, notes = [new_book_propose(author=author, document=document, summary=summary)], []
        else:
            requests, notes = _book_update_propose(
                author=author,
                book=book,
                document=document,
                filename=filename,
                # A text file without a Summary section leaves the summary as it is.
                keep_summary=upload_format(filename) == "text" and not document.summary,
            )
    except ReviewError as error:
        raise UploadError(str(error)) from None
    return UploadOutcome(
        book_title=document.title,
        warnings=warnings,
        requests=requests,
        notes=notes,
        made=report.made,
        alert=report.alert,
    )


def _bundle_read(data: bytes, filename: str):
    """A zip upload read as a bundle, or an UploadError that names the file."""
    if len(data) > MAX_BUNDLE_UPLOAD_BYTES:
        raise UploadError(
            f"The zip is {len(data) / 1024 / 1024:.1f} MB; the limit is {size_text(MAX_BUNDLE_UPLOAD_BYTES)}."
        )
    try:
        return parse_bundle(bundle_from_zip(data, name=filename))
    except FormatError as error:
        raise UploadError(f"{filename}: {error}") from None


def _bundle_upload_propose(*, author, data: bytes, filename: str, book: Book | None) -> UploadOutcome:
    """A zip of chapter files: read, its images stored, then proposed as a notes file is.
    The stored images are deleted again if nothing is proposed."""
    result = _bundle_read(data, filename)
    if book is not None:
        slug = book.slug
    else:
        try:
            slug = book_address(result.book.title)
        except AddressRefused as error:
            raise UploadError(
                f"{error} The address is made from the book's title: change it in the README."
            ) from None
    ready = bundle_images_store(result=result, book_slug=slug)
    try:
        summary = _summary(f"Uploaded {filename}")
        if book is None:
            requests, notes = [new_book_propose(author=author, document=ready.document, summary=summary)], []
        else:
            requests, notes = _book_update_propose(
                author=author, book=book, document=ready.document, filename=filename, keep_summary=False
            )
    except ReviewError as error:
        bundle_images_discard(names=ready.image_names)
        raise UploadError(str(error)) from None
    except Exception:
        bundle_images_discard(names=ready.image_names)
        raise
    report = ready.report(filename)
    return UploadOutcome(
        book_title=ready.document.title,
        warnings=ready.warnings,
        requests=requests,
        notes=notes,
        made=report.made,
        alert=report.alert,
    )


# --- A new book ------------------------------------------------------------------------------


@transaction.atomic
def new_book_propose(*, author, document: BookDoc, summary: str, slug: str | None = None) -> ChangeRequest:
    """Propose ``document`` as a new book: one ``BOOK_FROM_FILE`` request, submitted for review."""
    if not permissions.can_propose(author):
        raise ReviewError("You may not propose changes.")
    try:
        slug = book_address(slug or document.title)
    except AddressRefused as error:
        raise ReviewError(
            f"{error} The address is made from the book's title: change the title in the file."
        ) from None
    if Book.objects.filter(slug=slug).exists():
        raise ReviewError(
            f"A book with the slug '{slug}' exists; open that book and upload the file there to propose "
            "changes to it."
        )
    pending = ChangeRequest.objects.filter(
        kind=Kind.BOOK_FROM_FILE, slug=slug, status__in=OPEN_STATUSES
    ).first()
    if pending is not None:
        raise ReviewError(f"Request #{pending.pk} already proposes a book with the slug '{slug}'.")
    return change_request_create(
        author=author,
        book=None,
        kind=Kind.BOOK_FROM_FILE,
        summary=summary,
        content={
            "title": document.title,
            "body": write_markdown(document),
            "book_author": document.author,
            "book_domains": ", ".join(document.domains),
            "slug": slug,
        },
        submit=True,
    )


# --- Changes to an existing book -------------------------------------------------------------


def _book_update_propose(
    *, author, book: Book, document: BookDoc, filename: str, keep_summary: bool
) -> tuple[list[ChangeRequest], list[str]]:
    current = book_document(book=book)
    chapters = {chapter.number: chapter for chapter in book.chapters.prefetch_related("tables")}
    requests: list[ChangeRequest] = []
    notes: list[str] = []
    summary = current.summary if keep_summary else document.summary
    if (document.title, document.author, document.domains, summary) != (
        current.title,
        current.author,
        current.domains,
        current.summary,
    ):
        requests.append(
            change_request_create(
                author=author,
                book=book,
                kind=Kind.BOOK_EDIT,
                summary=_summary(f"Uploaded {filename}: book details"),
                content={
                    "title": document.title,
                    "body": summary,
                    "book_author": document.author,
                    "book_domains": ", ".join(document.domains),
                },
                submit=True,
            )
        )
    if keep_summary:
        notes.append("The text file has no Summary section: the book's summary was left as it is.")
    current_chapters = {chapter.number: chapter for chapter in current.chapters}
    for chapter_doc in document.chapters:
        label = f"Chapter {chapter_doc.number} - {chapter_doc.title}"
        existing = current_chapters.get(chapter_doc.number)
        if existing is None:
            requests.append(
                change_request_create(
                    author=author,
                    book=book,
                    kind=Kind.CHAPTER_NEW,
                    summary=_summary(f"Uploaded {filename}: {label}"),
                    content={
                        "number": chapter_doc.number,
                        "title": chapter_doc.title,
                        "body": _inline_tables(chapter_doc),
                    },
                    submit=True,
                )
            )
            if chapter_doc.tables:
                notes.append(
                    f"Chapter {chapter_doc.number} is new: its tables are proposed inside its text, "
                    "as Markdown tables."
                )
            continue
        chapter = chapters[chapter_doc.number]
        if (chapter_doc.title, chapter_doc.body) != (existing.title, existing.body):
            requests.append(
                change_request_create(
                    author=author,
                    book=book,
                    kind=Kind.CHAPTER_EDIT,
                    chapter=chapter,
                    summary=_summary(f"Uploaded {filename}: {label}"),
                    content={"title": chapter_doc.title, "body": chapter_doc.body},
                    submit=True,
                )
            )
        tables = {table.slug: table for table in chapter.tables.all()}
        current_tables = {table.slug: table for table in existing.tables}
        for table_doc in chapter_doc.tables:
            content = {"title": table_doc.title, "headers": table_doc.headers, "rows": table_doc.rows}
            table_label = f"Chapter {chapter_doc.number}, table '{table_doc.title or table_doc.slug}'"
            before = current_tables.get(table_doc.slug)
            if before is None:
                requests.append(
                    change_request_create(
                        author=author,
                        book=book,
                        kind=Kind.TABLE_NEW,
                        chapter=chapter,
                        summary=_summary(f"Uploaded {filename}: {table_label}"),
                        content={**content, "slug": table_doc.slug},
                        submit=True,
                    )
                )
            elif (before.title, before.headers, before.rows) != (
                table_doc.title,
                table_doc.headers,
                table_doc.rows,
            ):
                requests.append(
                    change_request_create(
                        author=author,
                        book=book,
                        kind=Kind.TABLE_EDIT,
                        table=tables[table_doc.slug],
                        summary=_summary(f"Uploaded {filename}: {table_label}"),
                        content=content,
                        submit=True,
                    )
                )
    missing = sorted(set(current_chapters) - {chapter.number for chapter in document.chapters})
    if missing:
        notes.append(
            f"Chapter{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))} "
            f"{'are' if len(missing) > 1 else 'is'} not in the file and "
            f"{'stay as they are' if len(missing) > 1 else 'stays as it is'}: an upload never deletes."
        )
    if not requests:
        notes.append("The file holds nothing that differs from the book: no request was made.")
    return requests, notes


def _inline_tables(chapter: ChapterDoc) -> str:
    """A new chapter's body with its tables written in place as Markdown pipe tables (its
    comparison tables can only be proposed once the chapter exists)."""

    def block(table: TableDoc) -> list[str]:
        title = [f"**{table.title}**", ""] if table.title else []
        return [*title, *table_lines(table.headers, table.rows, table.alignments)]

    return "\n".join(place_tables(chapter, block))


def _summary(text: str) -> str:
    """A change request's one-line summary, cut to the length a summary may have."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_SUMMARY_LENGTH else text[: MAX_SUMMARY_LENGTH - 1] + "\u2026"
