"""Each process's copies of cached pages (wiki.cache), against a real Redis: served without a
round trip, and dropped the moment anyone else writes, deletes or flushes what they copy."""

import os
import time

import pytest

from wiki import cache as wiki_cache
from wiki.cache import _ABSENT, RedisCache, _LocalCopies

URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield client
    client.flushdb()


@pytest.fixture
def cache(redis_client, settings):
    settings.CACHE_LOCAL_COPIES = {"megabytes": 1, "seconds": 60, "keys": ("page",)}
    wiki_cache._COPIES.pop(URL, None)
    backend = RedisCache(URL, {"KEY_PREFIX": f"copies-{os.getpid()}"})
    copies = backend._cache._copies
    assert copies is not None
    eventually(lambda: copies.ready)
    yield backend
    wiki_cache._COPIES.pop(URL, None)


def eventually(condition, seconds: float = 3.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within 3 s"
        time.sleep(0.005)


def raw_key(cache, name: str) -> str:
    return cache.make_key(name)


def copied(cache, name: str) -> bool:
    return cache._cache._copies.read(raw_key(cache, name)) is not _ABSENT


def read_until_copied(cache, name: str):
    """A read racing the invalidation of the write before it is not kept (by design): the
    copy is made by one of the next reads."""
    eventually(lambda: (cache.get(name), copied(cache, name))[1])
    return cache.get(name)


def test_a_value_read_once_is_then_served_from_the_process(cache):
    cache.set("page:a", {"html": "one"}, 30)
    assert not copied(cache, "page:a")  # a write keeps no copy: the next read makes it
    assert read_until_copied(cache, "page:a") == {"html": "one"}
    assert cache.get_many(["page:a", "page:missing"]) == {"page:a": {"html": "one"}}
    assert copied(cache, "page:missing")  # "not there" is kept too, until someone writes it


def test_a_write_by_another_process_is_seen_without_waiting_for_the_copy_to_age(cache, redis_client):
    cache.set("page:a", "old", 30)
    assert read_until_copied(cache, "page:a") == "old"
    # Another process writes straight to Redis; only Redis's message can tell this one.
    redis_client.set(raw_key(cache, "page:a"), cache._cache._serializer.dumps("new"))
    eventually(lambda: cache.get("page:a") == "new")
    assert cache.get_many(["page:gone"]) == {}
    redis_client.set(raw_key(cache, "page:gone"), cache._cache._serializer.dumps("here"))
    eventually(lambda: cache.get_many(["page:gone"]) == {"page:gone": "here"})
    redis_client.delete(raw_key(cache, "page:a"))
    eventually(lambda: cache.get("page:a") is None)


def test_this_process_sees_its_own_writes_at_once(cache):
    for value in range(20):
        cache.set("page:n", value, 30)
        assert cache.get("page:n") == value
    cache.set_many({"page:x": 1, "page:y": 2}, 30)
    assert cache.get_many(["page:x", "page:y"]) == {"page:x": 1, "page:y": 2}
    cache.delete_many(["page:x"])
    assert cache.get("page:x") is None
    assert cache.add("page:z", 0, 30) and cache.get("page:z") == 0
    assert cache.incr("page:z") == 1 and cache.get("page:z") == 1


def test_a_flush_drops_every_copy(cache, redis_client):
    cache.set("page:a", "kept", 30)
    read_until_copied(cache, "page:a")
    redis_client.flushdb()
    eventually(lambda: cache.get("page:a") is None)


def test_keys_outside_the_tracked_prefixes_are_never_copied(cache):
    cache.set("counter:a", 1, 30)
    assert cache.get("counter:a") == 1
    assert not copied(cache, "counter:a")


def test_when_the_listener_loses_redis_copies_stop_until_it_is_back(cache, redis_client):
    copies = cache._cache._copies
    cache.set("page:a", "before", 30)
    read_until_copied(cache, "page:a")
    redis_client.client_kill_filter(_type="pubsub")
    eventually(lambda: not copies.ready)
    assert not copied(cache, "page:a")
    # Meanwhile (and after) every read is Redis's own answer.
    redis_client.set(raw_key(cache, "page:a"), cache._cache._serializer.dumps("after"))
    assert cache.get("page:a") == "after"
    eventually(lambda: copies.ready)
    assert read_until_copied(cache, "page:a") == "after"


def test_a_read_that_raced_an_invalidation_is_not_kept():
    copies = _LocalCopies("redis://unused", (":1:page",), max_bytes=10_000, max_age=60)
    copies.ready = True
    epoch = copies.snapshot()
    copies.forget([":1:page:a"])  # Redis said it changed while the read was on its way
    copies.keep(":1:page:a", b"old", epoch)
    assert copies.read(":1:page:a") is _ABSENT
    copies.keep(":1:page:a", b"new", copies.snapshot())
    assert copies.read(":1:page:a") == b"new"


def test_copies_stay_within_their_memory_and_age():
    copies = _LocalCopies("redis://unused", (":1:page",), max_bytes=10_000, max_age=60)
    copies.ready = True
    for index in range(100):
        copies.keep(f":1:page:{index}", b"x" * 100, copies.snapshot())
    kept = [index for index in range(100) if copies.read(f":1:page:{index}") is not _ABSENT]
    assert kept and kept == list(range(100 - len(kept), 100)) and len(kept) < 60  # the newest
    copies.keep(":1:page:big", b"x" * 2_000, copies.snapshot())  # an eighth of the room at most
    assert copies.read(":1:page:big") is _ABSENT
    aged = _LocalCopies("redis://unused", (":1:page",), max_bytes=1_000, max_age=0)
    aged.ready = True
    aged.keep(":1:page:a", b"x", aged.snapshot())
    assert aged.read(":1:page:a") is _ABSENT
    aged.ready = False
    assert copies.read(":1:page:99") is not _ABSENT
    copies.ready = False  # not listening: nothing is served from the process
    assert copies.read(":1:page:99") is _ABSENT
