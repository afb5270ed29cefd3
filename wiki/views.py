"""Site-wide pages that are not about one book: search, the favicon."""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from notes import selectors
from notes.permissions import read_required

SEARCH_LIMIT = 50


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real one.

    Resolved per request: with the manifest storage the hashed name exists only after
    collectstatic, which must not be needed to import the URLs.
    """
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@read_required
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.search_chapters(query=query, limit=SEARCH_LIMIT) if query else []
    return render(request, "search.html", {"query": query, "results": results, "limit": SEARCH_LIMIT})
