"""Fixtures shared by the webhook tests: a real HTTP receiver on loopback, and endpoints.

Every test here may send to 127.0.0.1 (the receiver): WEBHOOKS_ALLOW_PRIVATE_URLS is on,
and retries wait no time, unless a test turns them back.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notes.models import WebhookEndpoint
from notes.models.webhooks import WebhookEvent


class Receiver:
    """An HTTP server on 127.0.0.1 that records what it receives and answers as told.

    ``answers`` is a list of (status, body) given in turn; when it runs out, 200 "ok".
    """

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, str]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, text = receiver.answers.pop(0) if receiver.answers else (200, "ok")
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/wiki"


@pytest.fixture
def receiver():
    found = Receiver()
    found.thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    settings.WEBHOOK_RETRY_DELAYS = [0, 0, 0]
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 15
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.WIKI_SITE_URL = "https://wiki.example.org"
    return settings


@pytest.fixture
def endpoint_for(admin_user):
    """``endpoint_for(url, events=..., book=None, format="standard")``: a registered endpoint."""

    def build(url, *, events=None, book=None, format=WebhookEndpoint.Format.STANDARD):
        return WebhookEndpoint.objects.create(
            url=url,
            book=book,
            events=list(events or WebhookEvent.values),
            format=format,
            created_by=admin_user,
        )

    return build
