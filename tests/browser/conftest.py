"""Browser tests: real Debian Chromium driven by Playwright against Django's live server.

Skipped, with the reason printed, only where no Chromium is installed. CI installs it.
"""

import os
import shutil
import threading
import time

import pytest
from django.core.signals import request_finished, request_started

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = os.path.exists(CHROMIUM)

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by
# the test itself (creating users, checking rows) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if HAS_CHROMIUM:
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install -y chromium (CI does)")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page()``: a fresh page in its own browser context (its own cookies)."""
    contexts = []

    def build():
        context = browser.new_context()
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield build
    for context in contexts:
        # A page closing may still send a request (the editor saves unsaved text on
        # pagehide): refuse it in the browser, so it never reaches the live server while the
        # test database is being emptied.
        context.route("**/*", lambda route: route.abort())
        context.close()


class _RequestsInFlight:
    """Counts the requests the live server is answering, from Django's own request signals.

    Only the server's threads count: the test client and schemathesis answer in the test's own
    thread, and a request of theirs that never closed must not hold every later test up."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()
        request_started.connect(self.started, weak=False)
        request_finished.connect(self.finished, weak=False)

    def started(self, **kwargs):
        if threading.current_thread() is threading.main_thread():
            return
        with self.lock:
            self.count += 1

    def finished(self, **kwargs):
        if threading.current_thread() is threading.main_thread():
            return
        with self.lock:
            self.count = max(0, self.count - 1)


_in_flight = _RequestsInFlight()


@pytest.fixture(autouse=True)
def _live_server_settles(request):
    """After a browser test, and before its database is emptied and locked again, let the
    live server finish what a page sent just before it closed (an autosave on pagehide, an
    upload, a timer's save): answered later, it would meet a database that is gone ("Database
    access not allowed") or, on PostgreSQL, hold a lock the flush (TRUNCATE) waits on."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")  # torn down after this fixture, not before
    yield
    _wait_for_requests_in_flight()


def _wait_for_requests_in_flight(seconds: float = 10.0) -> None:
    from django.db import connection

    deadline = time.monotonic() + seconds
    time.sleep(0.05)  # a request the browser sent as its page closed reaches the server
    while time.monotonic() < deadline and _in_flight.count:
        time.sleep(0.05)
    if connection.vendor != "postgresql":
        return
    while time.monotonic() < deadline:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
                )
                busy = cursor.fetchone()[0]
        except RuntimeError:  # a test without database access has nothing to flush
            return
        if not busy:
            return
        time.sleep(0.05)


@pytest.fixture
def log_in(live_server):
    """``log_in(page, username, password='pw')``: log in through the login form."""

    def run(page, username: str, password: str = "pw"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return run
