"""Site-wide pages that are not about one book: search."""

from django.shortcuts import render

from notes import selectors
from notes.permissions import read_required

SEARCH_LIMIT = 50


@read_required
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.search_chapters(query=query, limit=SEARCH_LIMIT) if query else []
    return render(request, "search.html", {"query": query, "results": results, "limit": SEARCH_LIMIT})
