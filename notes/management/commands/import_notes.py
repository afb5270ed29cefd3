"""python manage.py import_notes PATH [--format text|markdown] [--slug S] [--replace]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notes.formats import FormatError, decode_source, parse
from notes.services.books import ImportRefused, book_import


class Command(BaseCommand):
    help = "Import a book of notes from a text or Markdown file, with its history from the changelog."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format",
            choices=["text", "markdown"],
            default=None,
            help="Defaults to markdown for .md files, text otherwise.",
        )
        parser.add_argument("--slug", help="URL slug of the book; defaults to the slugified title.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the book with the same slug (its old history stays).",
        )

    def handle(
        self, *args, path: Path, format: str | None, slug: str | None, replace: bool, **options
    ) -> None:
        format = format or ("markdown" if path.suffix.lower() in {".md", ".markdown"} else "text")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file: {error.strerror}") from None
        try:
            result = parse(decode_source(data), format)
        except FormatError as error:
            raise CommandError(f"{path}: {error}") from None
        for warning in result.warnings:
            self.stderr.write(f"{path}: warning: {warning}")
        try:
            book = book_import(document=result.book, slug=slug, replace=replace)
        except ImportRefused as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(
            f"Imported '{book.title}' ({book.slug}): {len(result.book.chapters)} chapters, "
            f"{sum(len(c.tables) for c in result.book.chapters)} tables, "
            f"{len(result.book.changelog)} changelog lines."
        )
