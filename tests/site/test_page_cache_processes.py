"""Two server processes on one database, as gunicorn's workers would be: a change published
through another process is served by both at once. Without Redis a cache in each process's
memory could not be told of it, so no page is kept; with Redis the generations are shared."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "/books/test-book/chapters/1/"

SETUP = """
from tests.factories import make_book, make_user, propose_chapter_edit
book = make_book(slug="test-book", title="Test Book", chapters=1)
make_user("editor", role="Editor")
make_user("reviewer", role="Reviewer")
"""
PUBLISH = """
from django.contrib.auth import get_user_model
from notes.models import Chapter
from notes.services.reviews import change_request_approve
from tests.factories import propose_chapter_edit
users = get_user_model().objects
chapter = Chapter.objects.get(book__slug="test-book", number=1)
request = propose_chapter_edit(users.get(username="editor"), chapter, "Freshly published words.")
change_request_approve(change_request=request, reviewer=users.get(username="reviewer"))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode()


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(params=["without-redis", "with-redis"])
def environment(request, tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "PAGE_CACHE", "DATABASE_URL"}
    }
    # The real settings (no REDIS_URL, so their default for the page cache), with static
    # files that need no collectstatic.
    (tmp_path / "process_settings.py").write_text(
        "from wiki.settings import *  # noqa: F403\n"
        'STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405\n'
        # Keys of this run only, in a Redis other runs may share.
        f'if REDIS_URL: CACHES["default"]["KEY_PREFIX"] = "{uuid.uuid4().hex}"  # noqa: F405\n'
    )
    environment.update(
        DJANGO_SETTINGS_MODULE="process_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        DEBUG="0",
        SECRET_KEY="two-process-test-key",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        TASKS_BACKEND="immediate",
        WIKI_PUBLIC_READ="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    )
    if request.param == "with-redis":
        if not redis_answers():
            pytest.skip("no Redis on 127.0.0.1:6379")
        environment["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    run = {"cwd": ROOT, "env": environment, "check": True, "capture_output": True, "timeout": 300}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], **run)
    return environment


@pytest.fixture
def two_servers(environment):
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                try:
                    fetch(port, "/healthz/")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_a_change_published_elsewhere_is_served_at_once_by_every_process(environment, two_servers):
    first, second = two_servers
    for port in (first, second, first, second):  # twice: a cache would be warm by then
        assert "Freshly published words." not in fetch(port, CHAPTER)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PUBLISH],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for port in (first, second):
        assert "Freshly published words." in fetch(port, CHAPTER), port
