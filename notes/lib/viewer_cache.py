"""What the site knows about a signed-in user on every page, kept in the cache between requests.

Every signed-in page needs the user with their roles, and most need their reading progress,
what they watch and how many notifications they have not seen. Read from the database,
that is four queries on every page; kept here, it is one cache read.

Each user's snapshot is filed beside a "stamp" that every change to what it holds
replaces, after the change's transaction commits (``viewer_expire``). A snapshot records
the stamp it was built under and is used only while that stamp is current, and the stamp
is read before the database: a snapshot built from rows that a concurrent change was
replacing carries the old stamp, so it is never used after that change's expiry. Stamp and
snapshot are read in one round trip.

Only a cache every process shares is used (``WIKI_PAGE_CACHE``, as for the page cache): in
one worker's own memory, an expiry made by another worker would never be seen. Without
it, ``viewer_snapshot`` builds every time. Entries live ``PAGE_CACHE_SECONDS`` at most, so
an expiry lost to a cache outage leaves a snapshot stale for minutes, not a day.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# Bumped when what a snapshot holds changes shape: a deploy never reads the old ones.
_FORMAT = 2


def _stamp_key(user_id: int) -> str:
    return f"viewer-stamp:{user_id}"


def _snapshot_key(user_id: int) -> str:
    return f"viewer:{_FORMAT}:{user_id}"


def viewer_snapshot(user_id: int, build):
    """What ``build()`` returns for the user, from the cache while nothing it holds has
    changed. ``build`` returning None (no such user) keeps nothing."""
    if not settings.WIKI_PAGE_CACHE:
        return build()
    stamp_key, snapshot_key = _stamp_key(user_id), _snapshot_key(user_id)
    found = cache.get_many([stamp_key, snapshot_key])
    stamp, stored = found.get(stamp_key), found.get(snapshot_key)
    if stamp is not None and stored is not None and stored[0] == stamp:
        return stored[1]
    if stamp is None:
        # ``add``: two requests that both found no stamp agree on the first one written.
        cache.add(stamp_key, uuid.uuid4().hex, settings.PAGE_CACHE_SECONDS)
        stamp = cache.get(stamp_key)
    value = build()
    if value is not None and stamp is not None:
        cache.set(snapshot_key, (stamp, value), settings.PAGE_CACHE_SECONDS)
    return value


def viewer_expire(*user_ids: int) -> None:
    """Make the users' snapshots be built again on their next request: now, and again after
    the current transaction commits.

    Now, so the rest of this transaction's own work (and a test's next request) never reads
    the old snapshot; after the commit, because a request in between may have built one
    from the rows before the commit. A cache that fails here is logged, never raised into
    the request whose work committed."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids or not settings.WIKI_PAGE_CACHE:
        return

    def expire():
        try:
            cache.set_many(
                {_stamp_key(user_id): uuid.uuid4().hex for user_id in ids}, settings.PAGE_CACHE_SECONDS
            )
        except Exception:
            logger.exception("Could not expire the cached snapshots of users %s", sorted(ids))

    expire()
    transaction.on_commit(expire, robust=True)
