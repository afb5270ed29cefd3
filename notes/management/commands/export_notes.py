"""python manage.py export_notes BOOK_SLUG [--format text|markdown]  (to stdout)"""

from django.core.management.base import BaseCommand, CommandError

from notes.formats import write
from notes.models import Book
from notes.services.books import book_document


class Command(BaseCommand):
    help = "Write a book's notes to stdout in the text or Markdown format."

    def add_arguments(self, parser) -> None:
        parser.add_argument("book_slug")
        parser.add_argument("--format", choices=["text", "markdown"], default="text")

    def handle(self, *args, book_slug: str, format: str, **options) -> None:
        book = Book.objects.filter(slug=book_slug).first()
        if book is None:
            raise CommandError(f"no book with the slug '{book_slug}'")
        self.stdout.write(write(book_document(book=book), format), ending="")
