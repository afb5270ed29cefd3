"""Operations: an ordinary 403 is logged once, in one line; `make run` tells the site the
address it serves on, so links in e-mails lead back to it."""

import io
import logging
import os
import shutil
import subprocess

import pytest
from django.conf import settings


@pytest.fixture
def console():
    """What the site's one console handler prints during the test."""
    handler = next(
        handler
        for handler in logging.getLogger("django").handlers
        if isinstance(handler, logging.StreamHandler)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_reader_refused_the_editor_is_logged_in_one_line(client_for, book, reader, console):
    assert client_for(reader).get("/books/test-book/chapters/1/edit/").status_code == 403
    lines = console.getvalue().splitlines()
    assert lines == ["Forbidden (Permission denied): /books/test-book/chapters/1/edit/"]


def test_a_server_error_keeps_its_traceback(console):
    logger = logging.getLogger("django.request")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.error("Internal Server Error: /x/", exc_info=True, extra={"status_code": 500})
    output = console.getvalue()
    assert "Traceback" in output and "ValueError: boom" in output
    assert output.count("Internal Server Error: /x/") == 1


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(
    ("arguments", "address"),
    [
        ([], "http://127.0.0.1:8000"),
        (["PORT=8001"], "http://127.0.0.1:8001"),
        (["HOST=0.0.0.0", "PORT=8002"], "http://localhost:8002"),
        (["WIKI_SITE_URL=https://wiki.example.com"], "https://wiki.example.com"),
    ],
)
def test_make_run_gives_the_site_the_address_it_serves_on(arguments, address):
    printed = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={name: value for name, value in os.environ.items() if name != "WIKI_SITE_URL"},
    ).stdout
    (runserver,) = [line for line in printed.splitlines() if "runserver" in line]
    assert f"WIKI_SITE_URL={address} " in runserver
