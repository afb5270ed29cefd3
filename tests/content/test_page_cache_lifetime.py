"""The page cache's limits: off without a shared cache, and a page whose expiry was lost
(the cache failed just then) lives no longer than PAGE_CACHE_SECONDS."""

import time

import pytest
from django.core.cache import cache
from django.test import Client

from notes.services.reviews import change_request_approve
from tests.factories import propose_chapter_edit

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"


def test_a_page_whose_expiry_was_lost_is_fresh_after_page_cache_seconds(
    chapter, editor, reviewer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 1
    assert "Freshly published" not in Client().get(CHAPTER).text

    def lost(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "set_many", lost)
    with django_capture_on_commit_callbacks(execute=True):
        change_request_approve(
            change_request=propose_chapter_edit(editor, chapter, "Freshly published words."),
            reviewer=reviewer,
        )
    monkeypatch.undo()
    assert "Freshly published" not in Client().get(CHAPTER).text  # the expiry was lost
    time.sleep(1.2)
    assert "Freshly published" in Client().get(CHAPTER).text


def test_without_a_shared_cache_every_visit_builds_the_page(chapter, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.WIKI_PAGE_CACHE = False
    Client().get(CHAPTER)
    with CaptureQueriesContext(connection) as second:
        Client().get(CHAPTER)
    assert len(second.captured_queries) > 0  # built again: nothing was kept
    assert not any(key for key in cache._cache if "page:" in key)


def test_postgresql_waits_are_bounded_below_the_worker_timeout(tmp_path):
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wiki.test_settings",
        "DATABASE_URL": "postgres://user@db.invalid:5432/chapterwise",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS'];"
            "print(o['connect_timeout'], o['pool']['timeout'])",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    connect, pool = map(int, result.stdout.split())
    assert 0 < connect + pool < 30  # gunicorn's default worker timeout
