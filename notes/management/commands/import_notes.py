"""python manage.py import_notes PATH [--format text|markdown] [--slug S] [--replace]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.utils.text import slugify

from notes.formats import FormatError, decode_source, parse
from notes.formats.document import MAX_SLUG
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
            help=(
                "Replace the book with the same slug; refused if it has change requests or "
                "discussion threads. The old book's history rows stay, marked deleted."
            ),
        )

    def handle(
        self, *args, path: Path, format: str | None, slug: str | None, replace: bool, **options
    ) -> None:
        if slug is not None:
            _check_slug(slug, "--slug")
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
        if slug is None and slugify(result.book.title):
            slug = slugify(result.book.title)
            _check_slug(slug, "the slug made from the title", hint="; pass a shorter one with --slug")
        try:
            book = book_import(document=result.book, slug=slug, replace=replace)
        except ImportRefused as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(
            f"Imported '{book.title}' ({book.slug}): {len(result.book.chapters)} chapters, "
            f"{sum(len(c.tables) for c in result.book.chapters)} tables, "
            f"{len(result.book.changelog)} changelog lines."
        )


def _check_slug(slug: str, what: str, hint: str = "") -> None:
    """Refuse a slug that book URLs cannot carry or the database cannot hold."""
    try:
        validate_slug(slug)
    except ValidationError:
        raise CommandError(
            f"{what} '{slug}' is not a URL slug; use only letters, digits, '-' and '_'"
        ) from None
    if len(slug) > MAX_SLUG:
        raise CommandError(f"{what} is {len(slug)} characters long; expected at most {MAX_SLUG}{hint}")
