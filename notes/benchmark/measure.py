"""Measuring the benchmark's pages: queries and server time through the whole Django stack,
and throughput under gunicorn against a trivial view served by the same server."""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
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


class Gunicorn:
    """Gunicorn with 2 sync workers on loopback, serving the benchmark's database."""

    def __init__(self, database_url: str, *, workers: int = 2):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "wiki.benchmark_settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "benchmark-only-key-" + "x" * 40,
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
            [
                str(gunicorn),
                "wiki.wsgi",
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


def load(base: str, url: str, *, seconds: int, connections: int = 8, cookie: str = "") -> LoadFigure:
    """Requests per second from ``wrk`` (Debian's) for ``seconds``, with ``connections`` at once."""
    if shutil.which("wrk") is None:
        raise RuntimeError(
            "wrk is not installed (apt-get install wrk); run with --no-load to skip throughput"
        )
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
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
