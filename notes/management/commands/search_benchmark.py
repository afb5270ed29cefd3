"""python manage.py search_benchmark --chapters 100,4000: time the search at several sizes.

Inside one transaction that is rolled back at the end (nothing stays in the database),
it grows a book to each number of chapters in turn (about 8 KB of notes each, in four
sections, indexed through the same service the site uses), refreshes the planner's
statistics, then times ``search_page`` (every query of the search page) for a few kinds
of query and prints the median of each, with the plan line that shows how PostgreSQL
found the rows. A benchmark, not a test: it measures and does not judge.
"""

import random
import statistics
import time

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from notes.lib.markup import render_markdown
from notes.models import Book, Chapter, SearchDocument
from notes.selectors.search import search_page
from notes.selectors.search_engine import Filters, engine, parse
from notes.services.search import search_document_refresh

QUERIES = {
    "word in every chapter": "notes",
    "word in 1 chapter in 10": "columnar storage",
    "word in one chapter": "zanzibarish",
    "phrase": '"row oriented"',
    "no match": "blockchain",
}


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the search page at several numbers of chapters (in a rolled-back transaction)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--chapters", default="100,4000", help="Comma-separated sizes, ascending.")
        parser.add_argument("--repeat", type=int, default=15, help="Searches per query and size.")

    def handle(self, *args, chapters: str, repeat: int, **options) -> None:
        try:
            sizes = sorted({int(size) for size in chapters.split(",") if size.strip()})
        except ValueError:
            raise CommandError("--chapters takes whole numbers, like 100,4000") from None
        if not sizes or sizes[0] < 1:
            raise CommandError("--chapters takes numbers of at least 1")
        self.stdout.write(f"Database: {connection.vendor}; {repeat} searches per figure.")
        rows = []
        try:
            with transaction.atomic():
                book = Book.objects.create(slug="search-benchmark", title="Search benchmark", author="Bench")
                search_document_refresh(obj=book)
                made = 0
                randomness = random.Random(12)  # noqa: S311 (test data, not secrets)
                vocabulary = [_word(randomness) for _ in range(4000)]
                for size in sizes:
                    started = time.perf_counter()
                    for number in range(made + 1, size + 1):
                        chapter = Chapter(
                            book=book, number=number, title=f"Chapter about {randomness.choice(vocabulary)}"
                        )
                        chapter.body = _notes(randomness, vocabulary, number, size_hint=sizes[-1])
                        chapter.body_html = render_markdown(chapter.body)
                        chapter.save_without_historical_record()
                        search_document_refresh(obj=chapter)
                    made = size
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE notes_searchdocument")
                    self.stdout.write(f"{size} chapters ready in {time.perf_counter() - started:.1f} s.")
                    for label, text in QUERIES.items():
                        timings = []
                        for _ in range(repeat):
                            start = time.perf_counter()
                            result = search_page(user=AnonymousUser(), text=text)
                            timings.append((time.perf_counter() - start) * 1000)
                        rows.append((size, label, text, result.total, statistics.median(timings)))
                        self.stdout.write(
                            f"  {size:>5} chapters  {label:<24} {result.total:>6} found  "
                            f"median {statistics.median(timings):7.1f} ms"
                        )
                    self.stdout.write(f"  plan: {self._plan_line()}")
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write("Rolled back: nothing was kept.")

    def _plan_line(self) -> str:
        query = parse(QUERIES["word in one chapter"])
        sql, params = engine().page_sql(query, Filters(kind=SearchDocument.Kind.CHAPTER), offset=0, limit=20)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
                lines = [row[0].strip() for row in cursor.fetchall()]
                return next((line for line in lines if "Index" in line), lines[0])
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " / ".join(str(row[-1]) for row in cursor.fetchall())


def _word(randomness: random.Random) -> str:
    return "".join(randomness.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(randomness.randint(3, 10)))


def _notes(randomness: random.Random, vocabulary: list[str], number: int, size_hint: int) -> str:
    """About 8 KB of Markdown in four sections; some chapters carry the benchmark's marker words."""
    sections = []
    for index in range(4):
        words = [randomness.choice(vocabulary) for _ in range(220)]
        if index == 0:
            words += ["notes"]
        if number % 10 == 0 and index == 1:
            words += ["columnar", "storage", "is", "row", "oriented", "elsewhere"]
        if number == size_hint // 2 and index == 2:
            words += ["zanzibarish"]
        sections.append(f"## Section {index + 1}\n\n" + " ".join(words) + ".")
    return "\n\n".join(sections)
