"""Whole-page cache of the reading pages for anonymous visitors, expired by every write.

Most readers are not signed in, and for them a book or chapter page is the same bytes
until something on it changes. Each cached page is filed under the current "generation"
of what it shows; a write that changes a book or a chapter (publishing, importing, any
discussion write) replaces that generation after its transaction commits, so the next
reader gets a fresh page. Nothing is ever served across a generation change, and the cache
needs no scanning to forget old pages.

Only a cache every process shares (Redis) is used (``WIKI_PAGE_CACHE``, on with ``REDIS_URL``):
in each worker's own memory a generation changed by one worker would not change in the
others, which would serve the old page. Generations and pages live ``PAGE_CACHE_SECONDS``
at most, so an expiry lost to a cache outage leaves a page stale for minutes, not a day;
and an expiry that fails is logged, never raised into the request whose work committed.

Cached: on a wiki anonymous visitors may read (``WIKI_PUBLIC_READ``), GET requests for the
plain address (no query string) without a session or messages cookie, answered 200 without
setting a cookie and without using a CSRF token. Everything else goes to the view as usual.

Each lookup is one round trip: an entry records the generations it was built under and is
read together with the current ones.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)


def _digest(text: str) -> str:
    # Keys of a fixed length whatever the address: a slug or path is any length a visitor
    # types, and memcached refuses keys over 250 characters.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _book_key(book_slug: str) -> str:
    return f"page-generation:book:{_digest(book_slug)}"


def _chapter_key(book_slug: str, number: int) -> str:
    return f"page-generation:chapter:{_digest(book_slug)}:{number}"


def _book_page_key(book_slug: str) -> str:
    """What only the book's own page shows of its chapters: their threads' counts."""
    return f"page-generation:book-page:{_digest(book_slug)}"


def _seconds() -> int:
    return settings.PAGE_CACHE_SECONDS


def _is_cacheable_request(request) -> bool:
    if not settings.WIKI_PAGE_CACHE or not settings.WIKI_PUBLIC_READ:
        # A private wiki shows nothing to anonymous visitors: none of its pages is kept for
        # them (nor served from what a public run of the site kept before).
        return False
    # Only the plain address: a query string the page ignores would let anyone fill the
    # cache with variants of one page (and make keys of any length).
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _generation_keys(book_slug: str, number: int | None) -> list[str]:
    """The generations a book's page (``number`` None) or one chapter's is filed under."""
    second = _chapter_key(book_slug, number) if number is not None else _book_page_key(book_slug)
    return [_book_key(book_slug), second]


def _lookup(generation_keys: list[str], key: str):
    """``(value, generations)``: what is kept under ``key`` if it was kept under the current
    generations (else None), and those generations as one string (None when one is missing).

    One round trip: every entry records the generations it was built under, so the
    generations and the entry are read together. They are read before anything is built,
    so what a write changes meanwhile is never kept under the generation its expiry ends.
    """
    found = cache.get_many([*generation_keys, key])
    if any(name not in found for name in generation_keys):
        return None, None
    generations = ":".join(found[name] for name in generation_keys)
    stored = found.get(key)
    if stored is not None and stored[0] == generations:
        return stored[1], generations
    return None, generations


def _made_generations(generation_keys: list[str]) -> str | None:
    """The current generations, made where missing; None if the cache cannot keep them."""
    # ``add``, never ``set``: an expiry made meanwhile is not overwritten by the new
    # generation of a request that read the database before it. Generations live as long as
    # the pages filed under them: one forgotten is replaced, which only makes its old pages
    # unreachable (without a timeout, every address a visitor made up would stay).
    for name in generation_keys:
        cache.add(name, uuid.uuid4().hex, _seconds())
    found = cache.get_many(generation_keys)
    if any(name not in found for name in generation_keys):
        return None
    return ":".join(found[name] for name in generation_keys)


def chapter_part(*, book_slug: str, number: int, variant: str, build):
    """What ``build()`` returns for a chapter's page, kept until the chapter's generation
    changes: the part of the page every reader with the same ``variant`` (say, whether
    they may discuss) sees alike, so signed-in readers skip its queries and template too.
    One cache round trip when it is kept.

    ``build`` raising (a missing chapter's 404) keeps nothing. Without a shared cache
    (``WIKI_PAGE_CACHE`` off) it builds every time.
    """
    if not settings.WIKI_PAGE_CACHE:
        return build()
    generation_keys = _generation_keys(book_slug, number)
    key = f"part:{_digest(book_slug)}:{number}:{_digest(variant)}"
    value, generations = _lookup(generation_keys, key)
    if value is not None:
        return value
    generations = generations or _made_generations(generation_keys)
    value = build()
    if generations is not None:
        cache.set(key, (generations, value), _seconds())
    return value


def anonymous_page(view):
    """Mark a view whose page anonymous visitors are served from the cache:
    ``wiki.middleware.AnonymousPages``, near the top of the stack, answers them in one
    cache round trip before sessions, CSRF, authentication and the rest run.

    The view's keyword arguments name what it shows: ``book_slug`` and, for a chapter,
    ``number``; the page is filed under both generations.
    """
    view.anonymous_page = True
    return view


def anonymous_page_lookup(request):
    """For ``wiki.middleware.AnonymousPages``: ``(response, keep)``, the kept page of an
    anonymous request (or None), and what to call with the view's response to keep it
    (None when nothing may be kept). One cache round trip.

    The page is kept with the headers the whole stack gave it (the CSP and the others), so
    a page from the cache is answered exactly as the view's was.
    """
    if not _is_cacheable_request(request):
        return None, None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None, None
    if not getattr(match.func, "anonymous_page", False):
        return None, None
    request.get_host()  # a Host the site does not serve is refused, as further down
    generation_keys = _generation_keys(match.kwargs["book_slug"], match.kwargs.get("number"))
    key = "page:" + _digest(request.path)
    stored, generations = _lookup(generation_keys, key)
    if stored is not None:
        content, headers = stored
        response = HttpResponse(content, headers=headers)
        patch_vary_headers(response, ("Cookie",))
        return response, None
    generations = generations or _made_generations(generation_keys)

    def keep(response) -> None:
        if (
            generations is not None
            and response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not getattr(response, "streaming", False)
        ):
            headers = dict(response.headers.items())
            cache.set(key, (generations, (response.content, headers)), _seconds())

    return None, keep


def page_cache_expire(*, book_slug: str, number: int | None = None) -> None:
    """After the current transaction commits, forget the cached pages of a book or one chapter.

    A chapter's change expires its own page and the book's page (which counts its
    threads); a book's change (details, a chapter's title, a new chapter) expires every page
    of the book, as each shows the book's title and the list of its chapters.
    """
    keys = (
        [_book_key(book_slug)]
        if number is None
        else [_chapter_key(book_slug, number), _book_page_key(book_slug)]
    )

    def expire():
        # The work before it committed: a cache that fails here must not turn the answer
        # into an error nor stop the hooks after it (the e-mails); the short lifetime of
        # pages bounds what a lost expiry leaves stale.
        try:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, _seconds())
        except Exception:
            logger.exception("Could not expire the cached pages of %s", book_slug)

    transaction.on_commit(expire, robust=True)
