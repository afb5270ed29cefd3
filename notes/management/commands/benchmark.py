"""python manage.py benchmark [--scale team] [--large-scale thousand] [--no-load] [--output docs/PERFORMANCE.md]

Builds a throwaway database (SQLite, or PostgreSQL with DATABASE_URL; Redis with REDIS_URL,
as deployed), and measures every page at two sizes of the wiki: ``--scale`` (the team's,
200 books) and ``--large-scale`` (the same grown to 1,000 books). Each page: its SQL
queries, then its server time through the whole Django stack in interleaved rounds (median,
lowest and highest round). Pages kept in the cache are labelled as hits and also timed cold
(each request after an edit's expiry). Then throughput under gunicorn, every target with the
same load (wrk, 2 threads, 16 connections), in interleaved rounds against the framework's
floor (a minimal Django project served beside it: ``wiki.benchmark_floor``). The load average
is recorded with each. Writes the tables to docs/PERFORMANCE.md.

The run fails when a page's query count differs between the sizes, or when its median time
at the large size is more than ``GROWTH_LIMIT`` times its time at the team's.
"""

import dataclasses
import datetime
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client

from notes.benchmark import data
from notes.benchmark.measure import (
    TRIVIAL_URL,
    Gunicorn,
    Page,
    Spread,
    drained,
    load,
    page_figure,
    page_rounds,
    timed,
)
from notes.formats import parse, write
from notes.lib.diffs import inline_word_diff, side_by_side_diff
from notes.lib.page_cache import page_cache_expire
from notes.models import Book, ChangeRequest, Chapter
from notes.services.books import book_document, book_import
from notes.services.reviews import change_request_approve, change_request_create

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "PERFORMANCE.md"


GROWTH_LIMIT = 1.5  # a page may cost this many times more at the large size, no more


class Command(BaseCommand):
    help = "Measure pages at two sizes, throughput against the framework's floor, import/export and diffs; write docs/PERFORMANCE.md."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=sorted(data.SCALES), default="team")
        parser.add_argument(
            "--large-scale",
            choices=sorted(data.SCALES),
            default="thousand",
            help="The larger wiki every page is timed at again (default: 1,000 books).",
        )
        parser.add_argument("--rounds", type=int, default=5, help="Interleaved rounds (default 5).")
        parser.add_argument("--repeat", type=int, default=10, help="Requests per page a round (default 10).")
        parser.add_argument(
            "--load-seconds", type=int, default=4, help="Seconds of load per target a round (default 4)."
        )
        parser.add_argument("--load-rounds", type=int, default=3, help="Interleaved load rounds (default 3).")
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
        large_scale: str,
        rounds: int,
        repeat: int,
        load_seconds: int,
        load_rounds: int,
        no_load: bool,
        in_place: bool,
        huge_kb: int,
        output: Path,
        **options,
    ):
        if min(rounds, repeat, load_seconds, load_rounds) < 1 or not 1 <= huge_kb <= 1024:
            raise CommandError(
                "--rounds, --repeat, --load-seconds and --load-rounds take a positive number, --huge-kb 1 to 1024."
            )
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
        if throwaway is not None:
            # The throwaway database reuses the ids and addresses of the last run's: pages and
            # users kept from it must not answer this one (run it on a Redis of its own).
            cache.clear()
        report = Report(scales=(scale, large_scale), rounds=rounds, repeat=repeat, vendor=connection.vendor)
        try:
            self.run(
                report,
                load_seconds=0 if no_load else load_seconds,
                load_rounds=load_rounds,
                huge_kb=huge_kb,
            )
        finally:
            if throwaway is not None:
                throwaway.drop()
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report.markdown())
        self.stdout.write(report.text())
        self.stdout.write(f"\nWritten to {output}")
        failures = report.failures()
        if failures:
            raise CommandError("; ".join(failures))

    def run(self, report: "Report", *, load_seconds: int, load_rounds: int, huge_kb: int) -> None:
        report.machine = _machine()  # now: the throwaway database is gone when the report is written
        started = time.perf_counter()
        self.stderr.write(f"Building the 'small' wiki on {connection.vendor} ...")
        objects = data.build(data.SCALES["small"], stream=self.stderr)
        report.small_counts = {
            name: figure[0] for name, figure in page_rounds(_pages(objects), rounds=1, repeat=1).items()
        }
        for scale in report.scales:
            self.stderr.write(f"Building the '{scale}' wiki ...")
            objects = data.build(data.SCALES[scale], stream=self.stderr)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "ANALYZE"
                    )  # as autovacuum would after a bulk load: plans on real statistics
            report.build_seconds[scale] = time.perf_counter() - started
            self.stderr.write(f"Measuring pages at '{scale}' ...")
            report.load_average[scale] = [os.getloadavg()]
            report.pages[scale] = page_rounds(_pages(objects), rounds=report.rounds, repeat=report.repeat)
            if load_seconds:
                self.stderr.write(f"Throughput under gunicorn at '{scale}' ...")
                report.load[scale] = _throughput(objects, seconds=load_seconds, rounds=load_rounds)
            report.load_average[scale].append(os.getloadavg())
            self.stderr.write(report.text())  # what is known so far, should a later step fail
            started = time.perf_counter()
        # Last: it publishes a chapter, which the changelogs above would otherwise show.
        self.stderr.write("Measuring the 1 MB chapter, import and export, diffs ...")
        report.others = _others(objects, repeat=min(report.repeat, 5), huge_kb=huge_kb)


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


def _expire(objects: dict, *, number: int | None):
    """What an edit of the chapter (or the book, for None) does to the cache: the next
    request builds its page again."""

    def expire():
        page_cache_expire(book_slug=objects["book"].slug, number=number)

    return expire


# Pages answered from the page cache (their row says so); each is also timed cold.
CACHED = {"book, anonymous", "chapter, anonymous"}


def _pages(objects: dict) -> list[Page]:
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
    chapter = f"{book}chapters/4/"
    thread = objects["thread"]
    return [
        Page("home, anonymous", anonymous, "/"),
        Page("home, signed in", reader, "/"),
        Page("book, anonymous", anonymous, book),
        Page("book, anonymous, cold (after an edit)", anonymous, book, _expire(objects, number=None)),
        Page("book, signed in", reader, book),
        Page("changelog", anonymous, f"{book}changelog/"),
        Page("domain, hundreds of books", anonymous, "/domains/machine-learning/"),
        Page("chapter, anonymous", anonymous, chapter),
        Page("chapter, anonymous, cold (after an edit)", anonymous, chapter, _expire(objects, number=4)),
        Page("chapter, signed in", reader, chapter),
        Page("chapter, signed in, cold (after an edit)", reader, chapter, _expire(objects, number=4)),
        Page("history, long chapter", anonymous, f"{hot.get_absolute_url()}history/"),
        Page("history, 10-version chapter", anonymous, f"{cool.get_absolute_url()}history/"),
        Page(
            "compare first with last, long",
            anonymous,
            f"{hot.get_absolute_url()}history/?from={hot_ids.first()}&to={hot_ids.last()}",
        ),
        Page(
            "compare first with last, 10",
            anonymous,
            f"{cool.get_absolute_url()}history/?from={cool_ids.first()}&to={cool_ids.last()}",
        ),
        Page("review queue", reviewer, "/reviews/"),
        Page("one request", reviewer, objects["request"].get_absolute_url()),
        Page(
            "long thread, anonymous", anonymous, f"{thread.chapter.get_absolute_url()}discussion/{thread.pk}/"
        ),
        Page("search, common words", reader, "/search/?q=replication+lag"),
        Page("search, one book", reader, f"/search/?q=replication&book={objects['book'].slug}"),
        Page("recent changes", anonymous, "/recent/"),
    ]


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


def _throughput(objects: dict, *, seconds: int, rounds: int) -> dict[str, Spread]:
    """Requests per second of each target, the same load for each, in interleaved rounds;
    the floor is a minimal Django project served by its own gunicorn beside the site's."""
    book = objects["book"].get_absolute_url()
    chapter = f"{book}chapters/4/"
    reader = _client(objects["users"]["reader"])
    # What a signed-in browser sends: its session, and the CSRF cookie the first page with a
    # form gave it (without it, every page would make and set a new one).
    reader.get(chapter)
    cookie = "; ".join(
        f"{name}={reader.cookies[name].value}"
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    )
    floor, site = Gunicorn("", floor=True), None
    try:
        site = Gunicorn(_database_url())
        targets = [
            (FLOOR, floor.base, "/", ""),
            ("the site's trivial view", site.base, TRIVIAL_URL, ""),
            ("chapter, anonymous (cache hit)", site.base, chapter, ""),
            ("chapter, signed in", site.base, chapter, cookie),
            ("book, anonymous (cache hit)", site.base, book, ""),
            ("book, signed in", site.base, book, cookie),
            ("home, signed in", site.base, "/", cookie),
            ("search, signed in", site.base, "/search/?q=replication+lag", cookie),
        ]
        for _, base, url, with_cookie in targets:  # warm both workers' caches
            load(base, url, seconds=1, cookie=with_cookie)
        rates: dict[str, list[float]] = {name: [] for name, *_ in targets}
        errors = dict.fromkeys(rates, 0)
        for _ in range(rounds):
            for name, base, url, with_cookie in targets:
                figure = load(base, url, seconds=seconds, cookie=with_cookie)
                rates[name].append(figure.requests_per_second)
                errors[name] += figure.errors
                # A slow page leaves requests queued when wrk stops: the next target must
                # not be timed while the workers still answer them.
                drained(site.base + TRIVIAL_URL)
        memory = site.worker_memory_mb()
    finally:
        floor.stop()
        if site is not None:
            site.stop()
    return {
        "rates": {name: Spread.of(values) for name, values in rates.items()},
        "errors": errors,
        "memory": memory,
    }


FLOOR = "framework floor (minimal Django view)"


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
    def __init__(self, *, scales: tuple[str, str], rounds: int, repeat: int, vendor: str):
        self.scales, self.rounds, self.repeat, self.vendor = scales, rounds, repeat, vendor
        self.small_counts: dict[str, int] = {}
        self.pages: dict[str, dict] = {}
        self.load: dict[str, dict] = {}
        self.load_average: dict[str, list] = {}
        self.build_seconds: dict[str, float] = {}
        self.others: list[tuple[str, str]] = []
        self.machine = ""
        self.date = datetime.datetime.now(datetime.UTC)

    def _label(self, scale: str) -> str:
        return f"{data.SCALES[scale].books:,} books"

    def growth(self) -> dict[str, float]:
        small, large = (self.pages.get(scale, {}) for scale in self.scales)
        return {
            name: large[name][2].median / figure[2].median
            for name, figure in small.items()
            if name in large and figure[2].median
        }

    def failures(self) -> list[str]:
        failures = []
        for scale in self.scales:
            for name, (queries, *_) in self.pages.get(scale, {}).items():
                if name in self.small_counts and self.small_counts[name] != queries:
                    failures.append(
                        f"{name}: {self.small_counts[name]} queries at small, {queries} at {scale}"
                    )
        if self.scales[0] != self.scales[1]:
            failures += [
                f"{name}: {ratio:.2f}x slower at {self._label(self.scales[1])} than at {self._label(self.scales[0])}"
                for name, ratio in self.growth().items()
                if ratio > GROWTH_LIMIT
            ]
        return failures

    def page_rows(self) -> list[tuple[str, ...]]:
        small, large = (self.pages.get(scale, {}) for scale in self.scales)
        growth = self.growth()
        rows = []
        for name, (queries, size, spread) in small.items():
            label = f"{name} (cache hit)" if name in CACHED else name
            other = large.get(name)
            rows.append(
                (
                    label,
                    str(queries),
                    spread.ms(),
                    other[2].ms() if other else "",
                    f"{growth[name]:.2f}x" if name in growth else "",
                    f"{size:.0f}",
                )
            )
        return rows

    def load_rows(self) -> list[tuple[str, ...]]:
        rows = []
        first = self.load.get(self.scales[0])
        if not first:
            return rows
        for name in first["rates"]:
            cells = [name]
            for scale in self.scales:
                figures = self.load.get(scale)
                if not figures:
                    cells += ["", ""]
                    continue
                spread, floor = figures["rates"][name], figures["rates"][FLOOR].median
                errors = figures["errors"][name]
                cells += [
                    spread.rate() + (f", {errors} errors" if errors else ""),
                    f"{spread.median / floor:.2f}x",
                ]
            rows.append(tuple(cells))
        return rows

    def _swing(self) -> list[str]:
        """How far apart the rounds of one figure were, in this run: what a reader should
        allow before calling two figures different."""
        spreads = [
            (spread.high / spread.low, f"{name} at {self._label(scale)}")
            for scale, pages in self.pages.items()
            for name, (_, _, spread) in pages.items()
            if spread.low
        ]
        rates = [
            (spread.high / spread.low, f"{name} at {self._label(scale)}")
            for scale, figures in self.load.items()
            for name, spread in figures["rates"].items()
            if spread.low
        ]
        lines = [
            "The machine is shared (2 cores, other work running: see the load averages above), so one "
            "figure moves between rounds of the same run, and more between runs. Compare figures of the "
            "same run only, and treat a difference smaller than the spread below as noise."
        ]
        for label, figures in (("page times", spreads), ("throughput", rates)):
            if figures:
                figures.sort()
                median = statistics.median(ratio for ratio, _ in figures)
                ratio, name = figures[-1]
                lines += [
                    "",
                    f"- {label}: the highest round over the lowest is {median:.2f}x for the median figure, "
                    f"{ratio:.2f}x at worst ({name}).",
                ]
        return lines

    def _load_averages(self) -> str:
        return "; ".join(
            f"{self._label(scale)}: " + " -> ".join(f"{a:.2f} {b:.2f} {c:.2f}" for a, b, c in averages)
            for scale, averages in self.load_average.items()
        )

    def _page_header(self) -> tuple[str, ...]:
        first, second = (self._label(scale) for scale in self.scales)
        return ("page", "queries", f"ms at {first}", f"ms at {second}", "growth", "KB")

    def _load_header(self) -> tuple[str, ...]:
        first, second = (self._label(scale) for scale in self.scales)
        return ("target", f"req/s at {first}", "x floor", f"req/s at {second}", "x floor")

    def text(self) -> str:
        lines = [
            f"\nChapterwise benchmark, {self.scales[0]} and {self.scales[1]}, {self.vendor}, "
            f"{self.rounds} rounds of {self.repeat} requests a page; load average {self._load_averages()}\n"
        ]
        for header, rows in (
            (self._page_header(), self.page_rows()),
            (self._load_header(), self.load_rows()),
        ):
            if not rows:
                continue
            widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]
            for row in [header, *rows]:
                lines.append(
                    "  ".join(
                        cell.ljust(widths[0]) if index == 0 else cell.rjust(widths[index])
                        for index, cell in enumerate(row)
                    )
                )
            lines.append("")
        for name, value in self.others:
            lines.append(f"{name}: {value}")
        for failure in self.failures():
            lines.append(f"FAILED: {failure}")
        return "\n".join(lines)

    def markdown(self) -> str:
        def table(header, rows):
            return [
                "| " + " | ".join(header) + " |",
                "|---|" + "---:|" * (len(header) - 1),
                *[f"| {' | '.join(row)} |" for row in rows],
            ]

        memory = ", ".join(
            f"{self._label(scale)}: " + ", ".join(f"{size:.0f} MB" for size in figures["memory"])
            for scale, figures in self.load.items()
        )
        lines = [
            "# Performance",
            "",
            f"Measured {self.date:%Y-%m-%d %H:%M} UTC by `python manage.py benchmark --scale {self.scales[0]} "
            f"--large-scale {self.scales[1]}` on {self.machine}. Built in "
            + ", ".join(f"{seconds:.0f} s ({scale})" for scale, seconds in self.build_seconds.items())
            + f". Load average (1, 5, 15 min) before and after each size: {self._load_averages()}.",
            "",
            "## Pages at two sizes",
            "",
            f"Each page: its SQL queries, then its time through Django's whole stack (test client, every "
            f"middleware): the median of {self.rounds} interleaved rounds (each round's figure the median of "
            f"{self.repeat} requests), with the lowest and highest round. Pages marked *cache hit* are answered "
            "from the page cache; their *cold* rows time each request right after the expiry an edit makes. "
            f"Growth: the time at {self._label(self.scales[1])} over the time at {self._label(self.scales[0])}; "
            f"the run fails past {GROWTH_LIMIT}x, or when a query count differs between sizes.",
            "",
            *table(self._page_header(), self.page_rows()),
            "",
        ]
        if self.load:
            lines += [
                "## Throughput against the framework's floor",
                "",
                "gunicorn, 2 sync workers on loopback, every target under the same load (wrk, 2 threads, "
                "16 connections), in interleaved rounds: the median requests per second, with the lowest and "
                "highest round; errors are wrk's (a non-2xx answer, or a socket error or timeout). *x floor* "
                "divides by the floor of the same round set: a minimal Django project "
                "(`wiki.benchmark_floor`: no app, no middleware, no database, one view rendering a one-line "
                "template) served by its own gunicorn on the same machine in the same run.",
                "",
                *table(self._load_header(), self.load_rows()),
                "",
                f"gunicorn worker memory after the load: {memory or 'unknown'}.",
                "",
            ]
        lines += ["## How much the figures swing", "", *self._swing(), ""]
        lines += ["## Other figures", "", "| figure | value |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in self.others]
        lines.append("")
        failures = self.failures()
        if failures:
            lines += ["**Failed:**", "", *[f"- {failure}" for failure in failures], ""]
        lines += REPRODUCE
        return "\n".join(lines)


REPRODUCE = [
    "## Reproduce",
    "",
    "```sh",
    "apt-get install -y wrk redis-server         # the load generator and the cache (Debian)",
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/chapterwise REDIS_URL=redis://127.0.0.1:6379/15 make bench",
    ".venv/bin/python manage.py benchmark --scale small --large-scale small --no-load   # a quick look",
    "```",
    "",
    "The run builds a throwaway database (`test_<name>` on PostgreSQL, a temporary file on SQLite) and "
    "drops it at the end; it empties the cache first, so give it a Redis database of its own. The `team` "
    "scale is 200 books x 20 chapters of about 5 KB with 2 comparison tables each, one chapter with 10,000 "
    "published versions, 2,000 change requests in every state, one thread of 1,000 comments and 50 users; "
    "`thousand` is the same wiki grown to 1,000 books. Query counts are taken at `small` first; a page whose "
    "count differs at either size fails the run.",
    "",
]
