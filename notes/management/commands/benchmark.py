"""python manage.py benchmark [--scale small|team|large] [--no-load] [--output docs/PERFORMANCE.md]

Builds a throwaway database of the chosen size (SQLite, or PostgreSQL with DATABASE_URL),
measures each page's SQL queries and server time (median and p95 through the whole Django
stack), then the chapter page's throughput under gunicorn against a trivial view served by
the same server in the same run, and writes the table to docs/PERFORMANCE.md. Pages are
counted at ``small`` first and again at the chosen scale: a page whose query count grows
with the data fails the run.
"""

import dataclasses
import datetime
import os
import platform
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client

from notes.benchmark import data
from notes.benchmark.measure import TRIVIAL_URL, Gunicorn, load, page_figure, timed
from notes.formats import parse, write
from notes.lib.diffs import inline_word_diff, side_by_side_diff
from notes.models import Book, ChangeRequest, Chapter
from notes.services.books import book_document, book_import
from notes.services.reviews import change_request_approve, change_request_create

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "PERFORMANCE.md"


class Command(BaseCommand):
    help = "Measure pages, throughput, import/export and diffs on a throwaway database; write docs/PERFORMANCE.md."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=sorted(data.SCALES), default="team")
        parser.add_argument("--repeat", type=int, default=20, help="Requests per page (default 20).")
        parser.add_argument(
            "--load-seconds", type=int, default=10, help="Seconds of load per URL (default 10)."
        )
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn throughput run.")
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="Use the configured database as it is instead of a throwaway one (the test suite does).",
        )
        parser.add_argument(
            "--huge-kb", type=int, default=1024, help="Size of the chapter of short lines (default 1024 KB)."
        )
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(
        self,
        *,
        scale: str,
        repeat: int,
        load_seconds: int,
        no_load: bool,
        in_place: bool,
        huge_kb: int,
        output: Path,
        **options,
    ):
        if repeat < 1 or load_seconds < 1 or not 1 <= huge_kb <= 1024:
            raise CommandError("--repeat and --load-seconds take a positive number, --huge-kb 1 to 1024.")
        if in_place and not no_load:
            raise CommandError(
                "--in-place needs --no-load: gunicorn cannot see an uncommitted test database."
            )
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # mentions mail no one
        if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
            # Production settings serve hashed static files: the pages need their manifest.
            call_command("collectstatic", interactive=False, verbosity=0)
        throwaway = None if in_place else _Throwaway()
        try:
            report = self.run(
                scale, repeat=repeat, load_seconds=0 if no_load else load_seconds, huge_kb=huge_kb
            )
        finally:
            if throwaway is not None:
                throwaway.drop()
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report.markdown())
        self.stdout.write(report.text())
        self.stdout.write(f"\nWritten to {output}")
        if report.query_growth:
            raise CommandError(
                "Query counts grew with the data (small -> "
                f"{scale}): "
                + "; ".join(f"{page} {small} -> {large}" for page, small, large in report.query_growth)
            )

    def run(self, scale: str, *, repeat: int, load_seconds: int, huge_kb: int) -> "Report":
        report = Report(scale=scale, repeat=repeat, vendor=connection.vendor)
        report.machine = _machine()  # now: the throwaway database is gone when the report is written
        self.stderr.write(f"Building the '{scale}' wiki on {connection.vendor} ...")
        started = time.perf_counter()
        objects = data.build(data.SCALES["small"], stream=self.stderr)
        small_counts = {figure.page: figure.queries for figure in _pages(objects, repeat=1)}
        if scale != "small":
            objects = data.build(data.SCALES[scale], stream=self.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a bulk load: plans on real statistics
        report.build_seconds = time.perf_counter() - started
        self.stderr.write("Measuring pages ...")
        report.pages = _pages(objects, repeat=repeat)
        self.stderr.write(report.text())  # what is known so far, should a later step fail
        report.query_growth = [
            (figure.page, small_counts[figure.page], figure.queries)
            for figure in report.pages
            if small_counts.get(figure.page) != figure.queries
        ]
        self.stderr.write("Measuring the 1 MB chapter, import and export, diffs ...")
        report.others = _others(objects, repeat=min(repeat, 5), huge_kb=huge_kb)
        if load_seconds:
            self.stderr.write(f"Throughput under gunicorn ({load_seconds} s per URL) ...")
            report.load = _throughput(objects, seconds=load_seconds)
        return report


class _Throwaway:
    """A fresh database beside the configured one, migrated, dropped at the end."""

    def __init__(self):
        if connection.vendor == "sqlite":
            # A file, not memory: gunicorn's workers open it too.
            handle, path = tempfile.mkstemp(prefix="chapterwise-benchmark-", suffix=".sqlite3")
            os.close(handle)
            connection.settings_dict["TEST"]["NAME"] = path
        self.old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    def drop(self) -> None:
        connection.creation.destroy_test_db(self.old_name, verbosity=0)


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
    return f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pages(objects: dict, *, repeat: int) -> list:
    anonymous, reader, reviewer = (
        _client(),
        _client(objects["users"]["reader"]),
        _client(objects["users"]["reviewer"]),
    )
    hot, cool = objects["hot"], objects["cool"]
    History = Chapter.history.model
    hot_ids = History.objects.filter(id=hot.pk).order_by("history_id").values_list("history_id", flat=True)
    cool_ids = History.objects.filter(id=cool.pk).order_by("history_id").values_list("history_id", flat=True)
    book = objects["book"].get_absolute_url()
    thread = objects["thread"]
    pages = [
        ("home", anonymous, "/"),
        ("book", anonymous, book),
        ("changelog", anonymous, f"{book}changelog/"),
        ("chapter, anonymous", anonymous, f"{book}chapters/4/"),
        ("chapter, signed in", reader, f"{book}chapters/4/"),
        ("history, long chapter", anonymous, f"{hot.get_absolute_url()}history/"),
        ("history, 10-version chapter", anonymous, f"{cool.get_absolute_url()}history/"),
        (
            "compare first with last, long",
            anonymous,
            f"{hot.get_absolute_url()}history/?from={hot_ids.first()}&to={hot_ids.last()}",
        ),
        (
            "compare first with last, 10",
            anonymous,
            f"{cool.get_absolute_url()}history/?from={cool_ids.first()}&to={cool_ids.last()}",
        ),
        ("review queue", reviewer, "/reviews/"),
        ("one request", reviewer, objects["request"].get_absolute_url()),
        ("long thread, anonymous", anonymous, f"{thread.chapter.get_absolute_url()}discussion/{thread.pk}/"),
        ("search", anonymous, "/search/?q=replication+lag"),
    ]
    return [page_figure(name, client, url, repeat=repeat) for name, client, url in pages]


def _others(objects: dict, *, repeat: int, huge_kb: int) -> list[tuple[str, str]]:
    """Figures that are not one page: the 1 MB chapter's pages, import/export, a diff."""
    figures = []
    editor, reviewer = objects["users"]["editor"], objects["users"]["reviewer"]
    label = f"{huge_kb} KB chapter" if huge_kb != 1024 else "1 MB chapter"
    huge = Chapter.objects.filter(book=objects["book"], title="A chapter of short lines").first()
    body = "".join(f"line {number}\n" for number in range(110_000))[: huge_kb * 1024 - 1]
    if huge is None:
        number = Chapter.objects.filter(book=objects["book"]).order_by("-number").first().number + 1
        request = change_request_create(
            author=editor,
            book=objects["book"],
            kind=ChangeRequest.Kind.CHAPTER_NEW,
            summary=f"A {label}",
            content={"number": number, "title": "A chapter of short lines", "body": body},
            submit=True,
        )
        with transaction.atomic():
            change_request_approve(change_request=request, reviewer=reviewer)
        huge = Chapter.objects.get(book=objects["book"], number=number)
    edit = change_request_create(
        author=editor,
        book=huge.book,
        chapter=huge,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        summary=f"Every line of the {label} changed",
        content={"title": huge.title, "body": body.replace("line", "lane")},
        submit=True,
    )
    version = Chapter.history.filter(id=huge.pk).latest("history_id")
    client = _client(reviewer)
    for name, url in (
        (f"{label}: version page", f"{huge.get_absolute_url()}history/?version={version.history_id}"),
        (f"{label}: review page", edit.get_absolute_url()),
    ):
        figure = page_figure(name, client, url, repeat=repeat)
        figures.append((name, f"{figure.median_ms:.0f} ms median, {figure.size_kb / 1024:.2f} MB of HTML"))
    preview = timed(lambda: _client(editor).post("/preview/markdown/", {"content": body}), repeat=repeat)
    figures.append((f"{label}: live preview (refused past its bound)", f"{preview:.0f} ms"))

    # The second book: the first carries the long history, whose 10,000-line changelog
    # would make the file a changelog rather than notes.
    other = Book.objects.get(slug="bench-book-2")
    document = book_document(book=other)
    text = write(document, "markdown")
    while len(text.encode()) < 150 * 1024:  # grow to 150 KB with more chapters of the same shape
        extra = document.chapters[len(document.chapters) % len(document.chapters)]
        document.chapters.append(dataclasses.replace(extra, number=document.chapters[-1].number + 1))
        text = write(document, "markdown")
    imports = []
    for index in range(repeat):
        start = time.perf_counter()
        with transaction.atomic():
            book_import(document=parse(text, "markdown").book, slug=f"bench-import-{index}-{time.time_ns()}")
        imports.append((time.perf_counter() - start) * 1000)
    imports.sort()
    figures.append(
        (f"import of a {len(text.encode()) // 1024} KB Markdown file", f"{imports[len(imports) // 2]:.0f} ms")
    )
    export = timed(lambda: write(book_document(book=other), "markdown"), repeat=repeat)
    figures.append((f"export of a book of {len(document.chapters)} chapters as Markdown", f"{export:.0f} ms"))

    old = "".join(f"Paragraph {number} of the notes, with a few words in it.\n" for number in range(1_700))[
        : 100 * 1024
    ]
    new = "".join(
        line if number % 50 else line.replace("words", "other words")
        for number, line in enumerate(old.splitlines(True))
    )
    diff = timed(
        lambda: (inline_word_diff(old, new), side_by_side_diff(old, new, old_label="a", new_label="b")),
        repeat=repeat,
    )
    figures.append(("diff of two 100 KB versions (inline + side by side)", f"{diff:.0f} ms"))
    return figures


def _throughput(objects: dict, *, seconds: int) -> dict:
    chapter_url = f"{objects['book'].get_absolute_url()}chapters/4/"
    reader = _client(objects["users"]["reader"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={reader.cookies[settings.SESSION_COOKIE_NAME].value}"
    server = Gunicorn(_database_url())
    try:
        for url in (TRIVIAL_URL, chapter_url):  # warm both workers' caches
            load(server.base, url, seconds=1)
        trivial = load(server.base, TRIVIAL_URL, seconds=seconds)
        anonymous = load(server.base, chapter_url, seconds=seconds)
        signed_in = load(server.base, chapter_url, seconds=seconds, cookie=cookie)
        memory = server.worker_memory_mb()
    finally:
        server.stop()
    return {"trivial": trivial, "anonymous": anonymous, "signed_in": signed_in, "memory": memory}


def _machine() -> str:
    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("show server_version")
            database += " " + cursor.fetchone()[0]
    else:
        import sqlite3

        database += " " + sqlite3.sqlite_version
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]  # Redis with REDIS_URL, as deployed
    sessions = settings.SESSION_ENGINE.rsplit(".", 1)[-1]
    return (
        f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {database}; cache {cache}, sessions {sessions}"
    )


class Report:
    def __init__(self, *, scale: str, repeat: int, vendor: str):
        self.scale, self.repeat, self.vendor = scale, repeat, vendor
        self.pages, self.others, self.load, self.query_growth = [], [], None, []
        self.build_seconds = 0.0
        self.machine = ""
        self.date = datetime.datetime.now(datetime.UTC)

    def _page(self, name: str):
        return next((figure for figure in self.pages if figure.page == name), None)

    def rows(self) -> list[tuple[str, ...]]:
        rows = [
            (
                figure.page,
                str(figure.queries),
                f"{figure.median_ms:.1f}",
                f"{figure.p95_ms:.1f}",
                f"{figure.size_kb:.0f}",
            )
            for figure in self.pages
        ]
        return rows

    def ratios(self) -> list[tuple[str, str]]:
        lines = []
        for long, short in (
            ("history, long chapter", "history, 10-version chapter"),
            ("compare first with last, long", "compare first with last, 10"),
        ):
            a, b = self._page(long), self._page(short)
            if a and b:
                lines.append((f"{long} / {short}", f"{a.median_ms / b.median_ms:.2f}x"))
        if self.load:
            trivial = self.load["trivial"].requests_per_second
            for key, label in (
                ("anonymous", "chapter page, anonymous"),
                ("signed_in", "chapter page, signed in"),
            ):
                figure = self.load[key]
                lines.append(
                    (
                        f"{label}: requests/s (trivial view {trivial:.0f})",
                        f"{figure.requests_per_second:.0f} = {figure.requests_per_second / trivial:.2f}x, {figure.errors} errors",
                    )
                )
            lines.append(
                (
                    "gunicorn worker memory after the load",
                    ", ".join(f"{size:.0f} MB" for size in self.load["memory"]) or "unknown",
                )
            )
        return lines

    def text(self) -> str:
        header = ("page", "queries", "median ms", "p95 ms", "KB")
        rows = self.rows()
        widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]
        lines = [
            f"\nChapterwise benchmark, scale '{self.scale}', {self.vendor}, {self.repeat} requests a page\n"
        ]
        for row in [header, *rows]:
            lines.append(
                "  ".join(
                    cell.ljust(widths[0]) if index == 0 else cell.rjust(widths[index])
                    for index, cell in enumerate(row)
                )
            )
        lines.append("")
        for name, value in [*self.others, *self.ratios()]:
            lines.append(f"{name}: {value}")
        for page, small, large in self.query_growth:
            lines.append(f"QUERY COUNT GREW: {page}: {small} at small, {large} at {self.scale}")
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [
            "# Performance",
            "",
            f"Measured {self.date:%Y-%m-%d %H:%M} UTC by `python manage.py benchmark --scale {self.scale}` "
            f"on {self.machine}. Built in {self.build_seconds:.0f} s.",
            "",
            "Each page: SQL queries of one request, then the median and 95th percentile of "
            f"{self.repeat} requests through Django's whole stack (test client, every middleware), after one "
            "warm-up request. Throughput: gunicorn with 2 sync workers on loopback, loaded by wrk "
            "(2 threads, 8 connections), the chapter page against a trivial view of the same server.",
            "",
            "| page | queries | median ms | p95 ms | KB |",
            "|---|---:|---:|---:|---:|",
            *[f"| {' | '.join(row)} |" for row in self.rows()],
            "",
            "| figure | value |",
            "|---|---|",
            *[f"| {name} | {value} |" for name, value in [*self.others, *self.ratios()]],
            "",
        ]
        if self.query_growth:
            lines += ["**Query counts that grew with the data:**", ""]
            lines += [
                f"- {page}: {small} at small, {large} at {self.scale}"
                for page, small, large in self.query_growth
            ]
            lines.append("")
        lines += [
            "## Reproduce",
            "",
            "```sh",
            "apt-get install -y wrk                     # the load generator (Debian)",
            "make bench                                 # SQLite, team scale",
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/chapterwise make bench   # PostgreSQL",
            ".venv/bin/python manage.py benchmark --scale small --no-load             # a quick look",
            "```",
            "",
            "The run builds a throwaway database (`test_<name>` on PostgreSQL, a temporary file on SQLite) "
            "and drops it at the end. The `team` scale is 200 books x 20 chapters of about 5 KB with 2 "
            "comparison tables each, one chapter with 10,000 published versions, 2,000 change requests in "
            "every state, one thread of 1,000 comments and 50 users. Query counts are taken at `small` "
            "first; a page whose count differs at the chosen scale fails the run.",
            "",
        ]
        return "\n".join(lines)
