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

Cached: GET requests for the plain address (no query string) without a session or messages cookie, answered 200 without setting a
cookie and without using a CSRF token. Everything else goes to the view as usual.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)
_HEADERS_KEPT = ("Content-Type", "Content-Language")


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
    if not settings.WIKI_PAGE_CACHE:
        return False
    # Only the plain address: a query string the page ignores would let anyone fill the
    # cache with variants of one page (and make keys of any length).
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _generations(book_slug: str, number: int | None) -> str:
    """The current generations of a book's page (``number`` None) or of one chapter's,
    made when missing, as one string to file things under."""
    second = _chapter_key(book_slug, number) if number is not None else _book_page_key(book_slug)
    keys = [_book_key(book_slug), second]
    generations = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in generations}
    if missing:
        # Generations live as long as the pages filed under them: a generation that is
        # forgotten is replaced by a new one, which only makes its old pages unreachable.
        # (Without a timeout, every address a visitor made up would stay in the cache.)
        cache.set_many(missing, _seconds())
        generations.update(missing)
    return ":".join(generations[key] for key in keys)


def chapter_part(*, book_slug: str, number: int, variant: str, build):
    """What ``build()`` returns for a chapter's page, kept until the chapter's generation
    changes: the part of the page every reader with the same ``variant`` (say, whether
    they may discuss) sees alike, so signed-in readers skip its queries and template too.

    ``build`` raising (a missing chapter's 404) keeps nothing. Without a shared cache
    (``WIKI_PAGE_CACHE`` off) it builds every time.
    """
    if not settings.WIKI_PAGE_CACHE:
        return build()
    key = f"part:{_generations(book_slug, number)}:{variant}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, _seconds())
    return value


def anonymous_page(view):
    """Serve the view's page from the cache for anonymous visitors (see the module's docstring).

    The view's keyword arguments name what it shows: ``book_slug`` and, for a chapter,
    ``number``; the page is filed under both generations.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_cacheable_request(request):
            return view(request, *args, **kwargs)
        slug = kwargs["book_slug"]
        page_key = "page:" + _generations(slug, kwargs.get("number")) + ":" + _digest(request.path)
        stored = cache.get(page_key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content, headers=headers)
            patch_vary_headers(response, ("Cookie",))
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not getattr(response, "streaming", False)
        ):
            headers = {name: response[name] for name in _HEADERS_KEPT if response.has_header(name)}
            cache.set(page_key, (response.content, headers), _seconds())
        return response

    return wrapper


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
