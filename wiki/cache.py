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
"""

import logging
import threading
from functools import wraps

from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger("wiki.cache")


class _ReusedClients(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


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
