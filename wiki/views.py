"""Site-wide pages that are not about one book: search, the favicon."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static

from notes.permissions import read_required
from notes.selectors.search import book_suggestions, search_page, search_suggestions
from wiki.auth import client_ip


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real one.

    Resolved per request: with the manifest storage the hashed name exists only after
    collectstatic, which must not be needed to import the URLs.
    """
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@read_required
def search(request):
    text = request.GET.get("q", "")
    if text.strip() and not request.user.is_authenticated:
        retry_after = _anonymous_search_refused(request)
        if retry_after:
            response = render(request, "search_rate_limited.html", {"retry_after": retry_after}, status=429)
            response["Retry-After"] = str(retry_after)
            return response
    result = search_page(
        user=request.user,
        text=text,
        book_slug=request.GET.get("book", ""),
        kind=request.GET.get("kind", ""),
        page=request.GET.get("page", "1"),
    )
    return render(request, "search.html", {"search": result})


@read_required
def search_suggest(request):
    """JSON for the header's search box: ``{"suggestions": [{"label", "context", "url"}]}``;
    with ``kind=book``, for the search page's book filter: books whose title holds the text.
    Anonymous visitors' suggestions count against the same limit as their searches."""
    text = request.GET.get("q", "")
    if text.strip() and not request.user.is_authenticated and _anonymous_search_refused(request):
        return JsonResponse({"suggestions": []}, status=429)
    if request.GET.get("kind") == "book":
        found = book_suggestions(text=text[:300])
    else:
        found = search_suggestions(user=request.user, text=text)
    response = JsonResponse({"suggestions": [vars(item) for item in found]})
    # Per reader: what is folded or hidden differs from one to the next.
    response["Cache-Control"] = "private, max-age=60"
    return response


def _anonymous_search_refused(request) -> int:
    """Count one search for the visitor's address; seconds to wait if over the limit, else 0.

    A fixed one-minute window in the cache (shared by the workers when Redis is set up).
    """
    now = int(time.time())
    window = now // 60
    # The visitor's own address: behind the HTTPS proxy REMOTE_ADDR is the proxy's, which
    # would make every anonymous reader share one limit.
    key = f"search-rate:{client_ip(request) or ''}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > settings.SEARCH_ANONYMOUS_PER_MINUTE:
        return 60 - now % 60
    return 0
