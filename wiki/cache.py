"""Django's Redis cache, made to degrade instead of fail, and the facts the site needs about it.

Two changes to Django's ``RedisCache``:

- One Redis client per connection pool instead of one per call. Django's
  ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache operation;
  building one costs about as much as the round trip itself (redis-py sets up its response
  callbacks each time), and a cached anonymous page makes two operations. The pools were
  always shared; now the clients on them are too (redis-py clients are thread-safe).
- Redis being down is not an error of the page. Everything we keep in the cache can be
  rebuilt or read elsewhere: pages and chapter parts are rebuilt, sessions are read from the
  database (``cached_db``), the anonymous search limit lets the search through. So a failed
  read answers "not cached", a failed write is dropped, and each kind of failure is logged
  once (again only after Redis has answered in between), not on every request. Short
  socket timeouts (``REDIS_TIMEOUT_MS``) keep a Redis that hangs from holding the page.

And one addition: each process keeps its own copy of the keys it reads most (cached pages,
chapter parts, their generations, signed-in users' snapshots and sessions:
``CACHE_LOCAL_COPIES``), kept exact by Redis itself. A listener thread asks Redis to track
those keys (``CLIENT TRACKING ... BCAST PREFIX``, Redis 6 or later) and drops a copy as soon
as Redis reports the key written, deleted, expired or evicted by anyone. Reading a page from
the process's memory instead of Redis saves the round trip that was half of an anonymous
page's time. See ``_LocalCopies`` for why a copy is never older than what Redis holds.
"""

import logging
import os
import threading
import time
from collections import OrderedDict
from functools import cached_property, wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger("wiki.cache")


_ABSENT = object()  # no copy here: ask Redis


class _LocalCopies:
    """This process's copies of the tracked keys of one Redis server, dropped when Redis says.

    Why a copy is never older than Redis's value:
    - Copies are served only while the listener is subscribed to Redis's invalidation
      messages; when its connection fails, every copy is dropped and reads go to Redis until
      it is subscribed again (Redis may have restarted empty meanwhile).
    - A value read from Redis is kept only if no invalidation arrived between the moment the
      read was sent and the moment it is kept (``epoch``): a write racing the read cannot
      leave its old value here.
    - This process's own writes drop their copies at once, before Redis's message comes back:
      a request that writes and then reads sees its write.
    Another process sees a write when Redis's message reaches its listener, a fraction of a
    millisecond on one machine; copies also live ``max_age`` seconds at most.
    """

    HEARTBEAT_SECONDS = 5.0

    def __init__(self, location: str, prefixes: tuple[str, ...], *, max_bytes: int, max_age: float):
        self.location = location
        self.prefixes = prefixes
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[bytes | None, float, int]] = OrderedDict()
        self._bytes = 0
        self.epoch = 0
        self.ready = False
        self._started = False

    def tracks(self, key: str) -> bool:
        return key.startswith(self.prefixes)

    def start(self) -> None:
        if self._started:
            return
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._listen, name="cache-invalidations", daemon=True).start()

    def read(self, key: str):
        """The kept raw value (None: Redis has no such key), or ``_ABSENT``."""
        if not self.ready:
            return _ABSENT
        entry = self._entries.get(key)
        if entry is None or entry[1] < time.monotonic():
            return _ABSENT
        return entry[0]

    def keep(self, key: str, raw: bytes | None, epoch: int | None) -> None:
        size = len(key) + (len(raw) if raw else 0) + 64
        if epoch is None or size > self.max_bytes // 8:
            return
        with self._lock:
            if not self.ready or epoch != self.epoch:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._entries[key] = (raw, time.monotonic() + self.max_age, size)
            self._bytes += size
            # The oldest copies go first: a reading page is read again soon or not at all.
            while self._bytes > self.max_bytes:
                _, (_, _, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def snapshot(self) -> int | None:
        """Taken before a read from Redis; ``keep`` compares it."""
        return self.epoch if self.ready else None

    def forget(self, keys) -> None:
        with self._lock:
            self.epoch += 1
            for key in keys:
                old = self._entries.pop(key, None)
                if old is not None:
                    self._bytes -= old[2]

    def forget_all(self) -> None:
        with self._lock:
            self.epoch += 1
            self._entries.clear()
            self._bytes = 0

    def _listen(self) -> None:
        import redis

        pause = 0.1
        logged = False
        while True:
            connection = None
            try:
                # RESP2 and a subscription: the invalidations are redirected to this same
                # connection, which is in subscribed mode (Redis 6 and later).
                client = redis.Redis.from_url(
                    self.location, protocol=2, socket_connect_timeout=2, socket_timeout=2
                )
                connection = client.connection_pool.get_connection()
                connection.send_command("CLIENT", "ID")
                own_id = connection.read_response()
                prefixes = [part for prefix in self.prefixes for part in ("PREFIX", prefix)]
                connection.send_command("CLIENT", "TRACKING", "on", "REDIRECT", own_id, "BCAST", *prefixes)
                connection.read_response()
                connection.send_command("SUBSCRIBE", "__redis__:invalidate")
                connection.read_response()
                self.forget_all()
                self.ready = True
                if logged:
                    logger.warning("Local copies of cached pages are kept again")
                    logged = False
                pause = 0.1
                heard = time.monotonic()
                while True:
                    if connection.can_read(timeout=self.HEARTBEAT_SECONDS):
                        message = connection.read_response()
                        heard = time.monotonic()
                        if message and message[0] == b"message":
                            keys = message[2]
                            if keys is None:  # FLUSHDB or FLUSHALL
                                self.forget_all()
                            else:
                                self.forget([key.decode("utf-8", "surrogateescape") for key in keys])
                    elif time.monotonic() - heard > 3 * self.HEARTBEAT_SECONDS:
                        raise redis.exceptions.TimeoutError("no answer to the heartbeat")
                    else:
                        connection.send_command("PING")
            except Exception as error:  # noqa: BLE001 (any failure: stop serving copies, retry)
                self.ready = False
                self.forget_all()
                if not logged:
                    logger.warning("Local copies of cached pages are off until Redis answers (%s)", error)
                    logged = True
                time.sleep(pause)
                pause = min(pause * 2, 5.0)
            finally:
                if connection is not None:
                    connection.disconnect()


_COPIES: dict[str, _LocalCopies] = {}
_COPIES_LOCK = threading.Lock()


def _local_copies(location: str, prefixes: tuple[str, ...]) -> _LocalCopies | None:
    config = settings.CACHE_LOCAL_COPIES
    if not config.get("megabytes") or not prefixes:
        return None
    copies = _COPIES.get(location)
    if copies is None or copies.pid != os.getpid():  # a forked worker starts its own
        with _COPIES_LOCK:
            copies = _COPIES.get(location)
            if copies is None or copies.pid != os.getpid():
                copies = _COPIES[location] = _LocalCopies(
                    location,
                    prefixes,
                    max_bytes=int(config["megabytes"] * 1024 * 1024),
                    max_age=float(config.get("seconds", 60)),
                )
    copies.start()
    return copies


def _forgetting(keys_of):
    """A write that drops this process's copies of what it wrote once Redis has it: this
    process's next read sees the write without waiting for Redis's message, and a read of the
    old value racing it is not kept (``forget`` moves the epoch on)."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            finally:
                if self._copies is not None:
                    self._copies.forget(keys_of(*args))

        return wrapper

    return decorate


class _ReusedClients(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._copies: _LocalCopies | None = None

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    def _tracked(self, key) -> "_LocalCopies | None":
        copies = self._copies
        return copies if copies is not None and copies.tracks(key) else None

    def get(self, key, default):
        copies = self._tracked(key)
        if copies is None:
            return super().get(key, default)
        raw = copies.read(key)
        if raw is _ABSENT:
            epoch = copies.snapshot()
            raw = self.get_client(key).get(key)
            copies.keep(key, raw, epoch)
        return default if raw is None else self._serializer.loads(raw)

    def get_many(self, keys):
        keys = list(keys)
        copies = self._copies
        if copies is None:
            return super().get_many(keys)
        found, missing = {}, []
        for key in keys:
            raw = copies.read(key) if copies.tracks(key) else _ABSENT
            if raw is _ABSENT:
                missing.append(key)
            else:
                found[key] = raw
        if missing:
            epoch = copies.snapshot()
            for key, raw in zip(missing, self.get_client(None).mget(missing), strict=True):
                found[key] = raw
                if copies.tracks(key):
                    copies.keep(key, raw, epoch)
        return {key: self._serializer.loads(found[key]) for key in keys if found[key] is not None}

    add = _forgetting(lambda key, *rest: [key])(django_redis.RedisCacheClient.add)
    set = _forgetting(lambda key, *rest: [key])(django_redis.RedisCacheClient.set)
    touch = _forgetting(lambda key, *rest: [key])(django_redis.RedisCacheClient.touch)
    delete = _forgetting(lambda key, *rest: [key])(django_redis.RedisCacheClient.delete)
    incr = _forgetting(lambda key, *rest: [key])(django_redis.RedisCacheClient.incr)
    set_many = _forgetting(lambda data, *rest: list(data))(django_redis.RedisCacheClient.set_many)
    delete_many = _forgetting(lambda keys, *rest: list(keys))(django_redis.RedisCacheClient.delete_many)

    def clear(self):
        try:
            return super().clear()
        finally:
            if self._copies is not None:
                self._copies.forget_all()


class _Outage:
    """Which kinds of failure this process has logged since Redis last answered."""

    def __init__(self):
        self._lock = threading.Lock()
        self.kinds: set[str] = set()

    def failed(self, operation: str, error: Exception) -> None:
        kind = type(error).__name__
        with self._lock:
            if kind in self.kinds:
                return
            self.kinds.add(kind)
        # The error names the host and port, never the password of the URL.
        logger.error(
            "The cache is unavailable (%s on %s: %s); pages are served without it until it answers",
            kind,
            operation,
            error,
        )

    def answered(self) -> None:
        if self.kinds:
            with self._lock:
                self.kinds.clear()
            logger.warning("The cache answers again")


_OUTAGES: dict[str, _Outage] = {}


def _degrading(operation: str, fallback):
    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                result = method(self, *args, **kwargs)
            except (self._redis_errors, OSError) as error:
                self.outage.failed(operation, error)
                return fallback(*args, **kwargs) if callable(fallback) else fallback
            self.outage.answered()
            return result

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients
        # Django makes a cache object per thread: the outage is the process's, per server.
        self.outage = _OUTAGES.setdefault(str(server), _Outage())
        import redis

        self._redis_errors = redis.exceptions.RedisError

    @cached_property
    def _cache(self):
        client = super()._cache
        # One server only: with several, reads are spread over replicas, and one tracking
        # connection would hear of the writes of one of them.
        if len(self._servers) == 1:
            prefixes = tuple(self.make_key(name) for name in settings.CACHE_LOCAL_COPIES.get("keys", ()))
            client._copies = _local_copies(self._servers[0], prefixes)
        return client

    get = _degrading("get", _default)(django_redis.RedisCache.get)
    get_many = _degrading("get_many", lambda *args, **kwargs: {})(django_redis.RedisCache.get_many)
    set = _degrading("set", None)(django_redis.RedisCache.set)
    set_many = _degrading("set_many", lambda *args, **kwargs: [])(django_redis.RedisCache.set_many)
    # An add that cannot reach Redis answers "stored": the locks and one-time markers built on
    # it (allauth's rate-limit lock, a TOTP code's reuse marker, axes' counter) then let a
    # person sign in while Redis is down instead of refusing every sign-in with a 429; the
    # same fail-open choice as the counters below.
    add = _degrading("add", True)(django_redis.RedisCache.add)
    touch = _degrading("touch", False)(django_redis.RedisCache.touch)
    delete = _degrading("delete", False)(django_redis.RedisCache.delete)
    delete_many = _degrading("delete_many", None)(django_redis.RedisCache.delete_many)
    has_key = _degrading("has_key", False)(django_redis.RedisCache.has_key)
    clear = _degrading("clear", False)(django_redis.RedisCache.clear)
    # A counter that cannot count reads 0: the anonymous search limit lets the search
    # through (it fails open) rather than refusing every visitor while Redis is down.
    incr = _degrading("incr", 0)(django_redis.RedisCache.incr)
    decr = _degrading("decr", 0)(django_redis.RedisCache.decr)

    def is_available(self) -> bool:
        """Whether Redis answers a ping now (within the socket timeouts)."""
        try:
            self._cache.get_client(write=True).ping()
        except (self._redis_errors, OSError) as error:
            self.outage.failed("ping", error)
            return False
        self.outage.answered()
        return True


def cache_is_shared(alias: str = "default") -> bool:
    """Whether every process of the site sees the same cache (not each its own memory)."""
    return not isinstance(caches[alias], LocMemCache | DummyCache)


def cache_is_available(alias: str = "default") -> bool:
    """Whether the cache answers; a cache in the process's own memory always does."""
    check = getattr(caches[alias], "is_available", None)
    return check() if check is not None else True
