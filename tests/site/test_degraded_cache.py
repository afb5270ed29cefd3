"""A cache that is down costs speed, never a page: with REDIS_URL pointing at a Redis that
does not answer, every kind of page and the login answer 200, sessions live in the database,
the search limit lets searches through, the outage is logged once, and /healthz/ says
"degraded" (200); it says "down" (503) only for the database, and always within 2 s."""

import logging
import threading
import time

import pytest
from django.test import Client, override_settings

from notes.services import watching
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "wiki.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
dead_redis = override_settings(
    CACHES=DEAD_REDIS,
    SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    WIKI_PAGE_CACHE=True,
    SEARCH_ANONYMOUS_PER_MINUTE=1,
)


@pytest.fixture(autouse=True)
def empty_cache():
    """Replaces the suite's own (which would clear the dead cache); each test starts with
    the process unaware of any outage."""
    from wiki import cache

    cache._OUTAGES.clear()
    yield


@pytest.fixture
def pages(chapter, reader):
    thread = make_thread(chapter=chapter, author=reader, title="Why columns?")
    watching.watch_add(user=reader, target=chapter)
    base = "/books/test-book/"
    return [
        "/",
        base,
        f"{base}changelog/",
        f"{base}chapters/1/",
        f"{base}chapters/1/history/",
        f"{base}chapters/1/discussion/",
        f"{base}chapters/1/discussion/{thread.pk}/",
        "/recent/",
        "/search/?q=chapter",
        "/accounts/login/",
    ]


@dead_redis
def test_with_redis_down_every_page_answers_to_a_visitor_and_to_a_reader_who_logs_in(pages, reader, caplog):
    caplog.set_level(logging.ERROR, logger="wiki.cache")
    visitor = Client()
    for url in pages + pages:  # twice: the second round would be served from the cache
        assert visitor.get(url).status_code == 200, url
    client = Client()
    response = client.post("/accounts/login/", {"username": "reader", "password": "pw"})
    assert response.status_code == 302, response.content[:500]
    # The session was saved in the database alone, and is read back from it.
    for url in pages[:-1] + ["/notifications/", "/notifications/settings/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.wsgi_request.user == reader, url
    # Another thread (gunicorn's threads, runserver's) has a cache object of its own, and the
    # process still says it once.
    from django.core.cache import caches

    answers = []
    other = threading.Thread(target=lambda: answers.append(caches["default"].get("anything", "missed")))
    other.start()
    other.join()
    assert answers == ["missed"]
    outage_lines = [record for record in caplog.records if record.name == "wiki.cache"]
    assert len(outage_lines) == 1, [record.getMessage() for record in outage_lines]
    assert "The cache is unavailable (ConnectionError" in outage_lines[0].getMessage()


@dead_redis
def test_with_redis_down_the_anonymous_search_limit_lets_searches_through(book):
    visitor = Client()
    for _ in range(3):  # over the limit of 1 a minute, had it counted
        assert visitor.get("/search/?q=notes").status_code == 200


@dead_redis
def test_with_redis_down_the_health_check_says_degraded_with_200():
    started = time.monotonic()
    response = Client().get("/healthz/")
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert response.content == b"degraded: the cache does not answer\n"


def test_the_health_check_says_down_with_503_when_the_database_refuses(monkeypatch):
    from django.db import DatabaseError
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = Client().get("/healthz/")
    assert response.status_code == 503 and response.content == b"down: the database does not answer\n"


def test_the_health_check_answers_within_two_seconds_when_the_database_hangs(monkeypatch):
    from wiki import middleware

    monkeypatch.setattr(middleware, "_database_answers", lambda: time.sleep(5) or True)
    started = time.monotonic()
    response = Client().get("/healthz/")
    assert time.monotonic() - started < 2
    assert response.status_code == 503


# --- The start-up warning about a cache each worker keeps to itself --------------------------------


LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def warnings_about_the_cache() -> list[str]:
    from django.core import checks

    return [message.id for message in checks.run_checks(tags=[checks.Tags.caches])]


@override_settings(DEBUG=False, CACHES=LOCAL_MEMORY, WIKI_PAGE_CACHE=False)
def test_without_redis_and_debug_off_the_check_warns_that_the_cache_is_per_process():
    assert "wiki.W001" in warnings_about_the_cache()


@override_settings(DEBUG=False, CACHES=LOCAL_MEMORY, WIKI_PAGE_CACHE=True)
def test_a_page_cache_forced_on_without_redis_is_warned_about_as_stale_pages():
    assert "wiki.W002" in warnings_about_the_cache()


@pytest.mark.parametrize(
    "overrides",
    [{"DEBUG": True, "CACHES": LOCAL_MEMORY}, {"DEBUG": False, "CACHES": DEAD_REDIS}],
    ids=["debug", "redis"],
)
def test_no_cache_warning_in_development_or_with_redis(overrides):
    with override_settings(**overrides):
        assert not {"wiki.W001", "wiki.W002"} & set(warnings_about_the_cache())
