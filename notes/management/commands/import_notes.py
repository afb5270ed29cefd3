"""python manage.py import_notes PATH [PATH ...] [--format text|markdown] [--slug S] [--replace]

Each PATH is a notes file, a folder of them (``*.md``, ``*.markdown``, ``*.txt``, read in
name order, not descending into subfolders), or a bundle: a ``.zip`` or a folder of
per-chapter Markdown files that make one book (a folder with a README.md or index.md, or
whose files start with chapter headings; see :mod:`notes.formats.bundles`). One book per
file or bundle, each imported in its own transaction: a bad one is reported and skipped,
the others are imported. A progress bar goes to stderr, a summary line to stdout at the
end; the command fails (exit status 1) naming every file that was not imported.
"""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from notes.formats import FormatError, parse, read_source
from notes.formats.bundles import bundle_from_folder, bundle_from_zip, is_bundle_folder, parse_bundle
from notes.formats.document import split_lines
from notes.formats.reports import import_report
from notes.lib.addresses import AddressRefused, book_address, book_address_checked
from notes.lib.limits import MAX_BUNDLE_BYTES, size_text
from notes.services.books import ImportRefused, book_import
from notes.services.bundles import bundle_images_discard, bundle_images_store

NOTES_SUFFIXES = {".md", ".markdown", ".txt"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}


class FileRefused(Exception):
    """One file that was not imported; the message names the file."""


@dataclass
class Imported:
    chapters: int
    tables: int


class Command(BaseCommand):
    help = (
        "Import books of notes from text or Markdown files (or folders of them), one book per "
        "file, with each book's history from its changelog."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="path", help="A notes file or a folder.")
        parser.add_argument(
            "--format",
            choices=["text", "markdown"],
            default=None,
            help="Defaults to markdown for .md files, text otherwise.",
        )
        parser.add_argument(
            "--slug", help="URL slug of the book (one file only); defaults to the slugified title."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Replace the book with the same slug; refused if it has change requests or "
                "discussion threads. The old book's history rows stay, marked deleted."
            ),
        )

    def handle(
        self, *args, paths: list[Path], format: str | None, slug: str | None, replace: bool, **options
    ) -> None:
        if slug is not None:
            _check_slug(slug)
        files = _notes_files(paths)
        if slug is not None and len(files) != 1:
            raise CommandError(f"--slug names one book; {len(files)} files were given")
        failures: list[str] = []
        totals = Imported(chapters=0, tables=0)
        for position, path in enumerate(files, start=1):
            self._progress(position - 1, len(files), path)
            try:
                imported = self._import_one(path, format=format, slug=slug, replace=replace)
            except FileRefused as error:
                failures.append(str(error))
                self.stderr.write(f"{error}")
            else:
                totals.chapters += imported.chapters
                totals.tables += imported.tables
        self._progress(len(files), len(files), None)
        if len(files) > 1:
            books = len(files) - len(failures)
            self.stdout.write(
                f"Imported {books} of {len(files)} files: {books} books, {totals.chapters} chapters, "
                f"{totals.tables} tables; {len(failures)} failed."
            )
        if failures:
            raise CommandError(
                "\n".join(failures) if len(files) == 1 else "not imported:\n" + "\n".join(failures)
            )

    def _import_one(self, path: Path, *, format: str | None, slug: str | None, replace: bool) -> Imported:
        if _is_bundle(path):
            return self._import_bundle(path, slug=slug, replace=replace)
        format = format or ("markdown" if path.suffix.lower() in MARKDOWN_SUFFIXES else "text")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise FileRefused(f"{path}: cannot read the file: {error.strerror}") from None
        try:
            source = read_source(data)
            result = parse(source.text, format)
        except FormatError as error:
            raise FileRefused(f"{path}: {error}") from None
        warnings = [source.warning, *result.warnings] if source.warning else result.warnings
        for warning in warnings:
            self.stderr.write(f"{path}: warning: {warning}")
        report = import_report(result.book, warnings, lines=split_lines(source.text), source=path.name)
        self._alert(path, report.alert)
        try:
            book = book_import(document=result.book, slug=slug, replace=replace)
        except ImportRefused as error:
            raise FileRefused(f"{path}: {error}") from None
        imported = Imported(
            chapters=len(result.book.chapters), tables=sum(len(c.tables) for c in result.book.chapters)
        )
        self.stdout.write(
            f"Imported '{book.title}' ({book.slug}): {report.made}; "
            f"{len(result.book.changelog)} changelog lines."
        )
        return imported

    def _import_bundle(self, path: Path, *, slug: str | None, replace: bool) -> Imported:
        """A zip or a folder of chapter files as one book, its images stored as uploads are."""
        try:
            if path.is_dir():
                bundle = bundle_from_folder(path)
            elif path.stat().st_size > MAX_BUNDLE_BYTES:
                raise FileRefused(
                    f"{path}: the zip is larger than {size_text(MAX_BUNDLE_BYTES)}, the most a bundle may hold"
                )
            else:
                bundle = bundle_from_zip(path.read_bytes(), name=path.name)
            result = parse_bundle(bundle)
        except OSError as error:
            raise FileRefused(f"{path}: cannot read it: {error.strerror}") from None
        except FormatError as error:
            raise FileRefused(f"{path}: {error}") from None
        try:
            book_slug = book_address_checked(slug) if slug else book_address(result.book.title)
        except AddressRefused as error:
            raise FileRefused(f"{path}: {error} Pass another with --slug.") from None
        ready = bundle_images_store(result=result, book_slug=book_slug)
        for warning in ready.warnings:
            self.stderr.write(f"{path}: warning: {warning}")
        report = ready.report(path.name)
        self._alert(path, report.alert)
        try:
            book = book_import(document=ready.document, slug=book_slug, replace=replace)
        except ImportRefused as error:
            bundle_images_discard(names=ready.image_names)
            raise FileRefused(f"{path}: {error}") from None
        except Exception:
            bundle_images_discard(names=ready.image_names)
            raise
        self.stdout.write(f"Imported '{book.title}' ({book.slug}) from {path.name}: {report.made}.")
        document = ready.document
        return Imported(chapters=len(document.chapters), tables=sum(len(c.tables) for c in document.chapters))

    def _alert(self, path: Path, alert: str) -> None:
        """The loud warning of an import that made a book without chapters."""
        if alert:
            self.stderr.write(self.style.WARNING(f"{path}: WARNING: {alert}"))

    def _progress(self, done: int, total: int, path: Path | None) -> None:
        """A progress bar on stderr: redrawn in place on a terminal, one line a file otherwise."""
        if total < 2:
            return
        width = 30
        filled = width * done // total
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        line = f"{bar} {path}" if path is not None else f"{bar} done"
        if self.stderr.isatty():
            self.stderr.write(f"\r\x1b[K{line}", ending="\n" if path is None else "")
        else:
            self.stderr.write(line)


def _notes_files(paths: list[Path]) -> list[Path]:
    """The files named, with each folder replaced by its notes files in name order."""
    files: list[Path] = []
    for path in paths:
        if _is_bundle(path):
            files.append(path)
        elif path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in NOTES_SUFFIXES)
            if not found:
                raise CommandError(f"{path}: the folder holds no notes files (*.md, *.markdown, *.txt)")
            files.extend(found)
        else:
            files.append(path)
    return files


def _is_bundle(path: Path) -> bool:
    """A ``.zip``, or a folder that holds one book in files (see ``is_bundle_folder``)."""
    if path.suffix.lower() == ".zip":
        return True
    return path.is_dir() and is_bundle_folder(path)


def _check_slug(slug: str) -> None:
    """Refuse a --slug that book URLs cannot carry, or that the book-address rule refuses."""
    try:
        validate_slug(slug)
    except ValidationError:
        raise CommandError(
            f"--slug '{slug}' is not a URL slug; use only letters, digits, '-' and '_'"
        ) from None
    try:
        book_address_checked(slug)
    except AddressRefused as error:
        raise CommandError(f"--slug: {error}") from None
