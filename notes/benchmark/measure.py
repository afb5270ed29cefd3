"""Measuring the benchmark's pages: queries and server time through the whole Django stack,
in interleaved rounds, and throughput under gunicorn against the framework's floor (a minimal
Django project, ``wiki.benchmark_floor``, served by the same server in the same run)."""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

TRIVIAL_URL = "/__benchmark__/trivial/"


@dataclass(frozen=True)
class PageFigure:
    page: str
    url: str
    queries: int
    median_ms: float
    p95_ms: float
    size_kb: float


def page_figure(page: str, client: Client, url: str, *, repeat: int) -> PageFigure:
    """Queries of one request (after a warm-up), then the median and p95 of ``repeat`` requests."""
    response = client.get(url)  # warm-up: caches, the first-compare diff, connections
    if response.status_code != 200:
        raise RuntimeError(f"{page}: {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    queries = len(context.captured_queries)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return PageFigure(page, url, queries, statistics.median(timings), p95, len(response.content) / 1024)


def timed(function, *, repeat: int = 5) -> float:
    """Median milliseconds of ``function()``."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


@dataclass(frozen=True)
class LoadFigure:
    url: str
    requests_per_second: float
    errors: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Spread:
    """The median of several rounds' figures, with the lowest and the highest."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> "Spread":
        return cls(statistics.median(values), min(values), max(values))

    def ms(self) -> str:
        return f"{self.median:.2f} ({self.low:.2f}-{self.high:.2f})"

    def rate(self) -> str:
        return f"{self.median:.0f} ({self.low:.0f}-{self.high:.0f})"


@dataclass(frozen=True)
class Page:
    """A page to time: ``prepare`` runs before each request, untimed (a cold page's expiry)."""

    name: str
    client: Client
    url: str
    prepare: object = None


def page_rounds(pages: list[Page], *, rounds: int, repeat: int) -> dict[str, tuple[int, float, Spread]]:
    """Each page's queries (one request after a warm-up), size in KB and milliseconds: the
    median of ``repeat`` requests in each of ``rounds`` rounds, the pages interleaved in each
    round so a moment of load elsewhere on the machine touches them all alike."""
    counts, sizes = {}, {}
    for page in pages:
        if page.prepare:
            page.prepare()
        response = page.client.get(page.url)  # warm-up: caches, connections
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: {page.url} answered {response.status_code}")
        if page.prepare:
            page.prepare()
        with CaptureQueriesContext(connection) as context:
            response = page.client.get(page.url)
        counts[page.name] = len(context.captured_queries)
        sizes[page.name] = len(response.content) / 1024
    medians: dict[str, list[float]] = {page.name: [] for page in pages}
    for _ in range(rounds):
        for page in pages:
            timings = []
            for _ in range(repeat):
                if page.prepare:
                    page.prepare()
                start = time.perf_counter()
                page.client.get(page.url)
                timings.append((time.perf_counter() - start) * 1000)
            medians[page.name].append(statistics.median(timings))
    return {page.name: (counts[page.name], sizes[page.name], Spread.of(medians[page.name])) for page in pages}


class Gunicorn:
    """Gunicorn with 2 sync workers on loopback, serving the benchmark's database, or (with
    ``floor``) the framework's floor: a minimal Django project with no database."""

    def __init__(self, database_url: str, *, workers: int = 2, floor: bool = False):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "wiki.benchmark_floor" if floor else "wiki.benchmark_settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "benchmark-only-key-" + "x" * 40,
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
            [
                str(gunicorn),
                "wiki.benchmark_floor:application" if floor else "wiki.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.process.stderr.read().decode()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 30 s")

    def worker_memory_mb(self) -> list[float]:
        """Resident memory of each worker (the master's children), from /proc."""
        sizes = []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split() if children.exists() else []:
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


LOAD_THREADS, LOAD_CONNECTIONS = 2, 16  # the same load for every target


def drained(url: str, *, within: float = 30.0) -> None:
    """Wait until ``url`` answers a lone request quickly: the server's queue is empty."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=within) as response:  # noqa: S310 - our own loopback server
                response.read()
        except OSError:
            time.sleep(0.2)
            continue
        if time.monotonic() - start < 0.25:
            return


def load(
    base: str, url: str, *, seconds: int, connections: int = LOAD_CONNECTIONS, cookie: str = ""
) -> LoadFigure:
    """Requests per second from ``wrk`` (Debian's) for ``seconds``, with ``connections`` at once."""
    if shutil.which("wrk") is None:
        raise RuntimeError(
            "wrk is not installed (apt-get install wrk); run with --no-load to skip throughput"
        )
    command = ["wrk", f"-t{LOAD_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 - fixed arguments
        [*command, base + url], capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(value) for value in socket_errors.groups())
    if rate is None:
        raise RuntimeError(f"wrk printed no rate:\n{output}")
    return LoadFigure(url, float(rate.group(1)), failed)
