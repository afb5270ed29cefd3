"""Reading pages: books, chapters, tables, changelogs. Each runs a fixed number of queries."""

from urllib.parse import urlencode

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse

from notes import permissions, selectors, selectors_discussions, selectors_following, selectors_reviews
from notes.anchors import mark_discussed_places
from notes.numbers import int_or_default
from notes.page_cache import anonymous_page
from notes.permissions import read_required

HOME_OPEN_REQUESTS = 10
BOOK_CHANGELOG_LINES = 20
CHANGELOG_PER_PAGE = 100


@read_required
def home(request):
    """The books, the latest changes, and the visitor's own open change requests."""
    mine = []
    if permissions.can_propose(request.user):
        mine = list(selectors_reviews.review_queue(user=request.user, bucket="mine")[:HOME_OPEN_REQUESTS])
    return render(
        request,
        "notes/home.html",
        {
            "books": selectors.book_list(),
            "recent": selectors.changelog(newest_first=True, limit=10),
            "my_requests": mine,
            "more_requests": len(mine) == HOME_OPEN_REQUESTS,
        },
    )


@read_required
@anonymous_page
def book_detail(request, book_slug: str):
    newest_first = _newest_first(request)
    if newest_first is None:
        return HttpResponseBadRequest(BAD_ORDER, content_type="text/plain; charset=utf-8")
    book = selectors.book_with_contents(slug=book_slug)
    # The latest changes, newest first unless ``?order=oldest``; the changelog page has them all.
    latest = selectors.changelog(book=book, newest_first=True, limit=BOOK_CHANGELOG_LINES + 1)
    return render(
        request,
        "notes/book_detail.html",
        {
            "book": book,
            "chapters": book.chapters.all(),
            "watch": selectors_following.watch_state(user=request.user, target=book),
            "changelog": latest[:BOOK_CHANGELOG_LINES]
            if newest_first
            else latest[:BOOK_CHANGELOG_LINES][::-1],
            "changelog_is_cut": len(latest) > BOOK_CHANGELOG_LINES,
            "newest_first": newest_first,
        },
    )


@read_required
def domain_detail(request, domain_slug: str):
    """Every book of one domain ("Machine Learning"), as the home page shows books."""
    name, books = selectors.books_in_domain(domain_slug=domain_slug)
    return render(request, "notes/domain_detail.html", {"domain": name, "books": books})


@read_required
def book_changelog(request, book_slug: str):
    newest_first = _newest_first(request)
    if newest_first is None:
        return HttpResponseBadRequest(BAD_ORDER, content_type="text/plain; charset=utf-8")
    book = selectors.book_get(slug=book_slug)
    page = _page_number(request)
    entries = selectors.changelog(
        book=book,
        newest_first=newest_first,
        limit=CHANGELOG_PER_PAGE + 1,
        offset=(page - 1) * CHANGELOG_PER_PAGE,
    )
    return render(
        request,
        "notes/changelog.html",
        {
            "book": book,
            "entries": entries[:CHANGELOG_PER_PAGE],
            "newest_first": newest_first,
            "order": "newest" if newest_first else "oldest",
            "page_number": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if len(entries) > CHANGELOG_PER_PAGE else None,
        },
    )


ORDERS = {"newest": True, "oldest": False}


BAD_ORDER = 'Unknown order: ask for "?order=newest" (the default) or "?order=oldest".'


def _newest_first(request) -> bool | None:
    """``?order=newest`` (the default), ``?order=oldest`` (the seed's order, as the export
    writes it) or None for anything else (the view answers 400)."""
    return ORDERS.get(request.GET.get("order", "newest"))


def _page_number(request) -> int:
    """``?page=`` as a page number from 1 (bad or missing values are page 1)."""
    return min(int_or_default(request.GET.get("page", 1), 1, minimum=1), 100_000)


@read_required
@anonymous_page
def chapter_detail(request, book_slug: str, number: int):
    """The chapter with its contents (stored when it was rendered), the book's chapters,
    a permalink and a "Discuss this" link on each heading and table."""
    chapter = selectors.chapter_for_reading(book_slug=book_slug, number=number)
    siblings = selectors.chapter_siblings(chapter=chapter)
    position = next(index for index, sibling in enumerate(siblings) if sibling.pk == chapter.pk)
    discussion = selectors_discussions.chapter_discussion_summary(chapter=chapter)
    threads_url = reverse("notes:thread-list", kwargs={"book_slug": book_slug, "number": number})
    start_url = reverse("notes:thread-start", kwargs={"book_slug": book_slug, "number": number})
    body_html = mark_discussed_places(
        chapter.body_html,
        discussion.anchors,
        link_for=lambda key: f"{threads_url}?{urlencode({'filter': 'all', 'anchor': key})}",
        start_for=(
            (lambda key: f"{start_url}?{urlencode({'anchor': key})}")
            if permissions.can_discuss(request.user)
            else None
        ),
    )
    # The contents indent from the chapter's highest heading level, whichever it is.
    top_level = min((entry["level"] for entry in chapter.contents), default=1)
    contents = [
        {
            **entry,
            "depth": max(entry["level"] - top_level + 1, 1),
            # A table the text does not place is shown on its own page only.
            "href": f"#{entry['id']}"
            if entry.get("placed", True)
            else reverse(
                "notes:table-detail",
                kwargs={"book_slug": book_slug, "number": number, "table_slug": entry.get("slug", "")},
            ),
        }
        for entry in chapter.contents
    ]
    return render(
        request,
        "notes/chapter_detail.html",
        {
            "book": chapter.book,
            "chapter": chapter,
            "body_html": body_html,
            "watch": selectors_following.watch_state(user=request.user, target=chapter),
            "discussion": discussion,
            "contents": contents,
            "chapters": siblings,
            "previous_chapter": siblings[position - 1] if position > 0 else None,
            "next_chapter": siblings[position + 1] if position + 1 < len(siblings) else None,
        },
    )


@read_required
def table_detail(request, book_slug: str, number: int, table_slug: str):
    table = selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
    return render(
        request,
        "notes/table_detail.html",
        {"table": table, "chapter": table.chapter, "book": table.chapter.book},
    )


@read_required
def recent_changes(request):
    return render(
        request,
        "notes/recent.html",
        {"entries": selectors.changelog(newest_first=True, limit=100)},
    )
