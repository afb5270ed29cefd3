"""Reading pages: books, chapters, tables, changelogs. Each runs a fixed number of queries."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notes import permissions
from notes.lib.anchors import mark_discussed_places
from notes.lib.numbers import int_or_default
from notes.lib.page_cache import anonymous_page, chapter_part
from notes.lib.skeletons import fill_skeleton, render_skeleton
from notes.permissions import read_required
from notes.selectors import books as book_selectors
from notes.selectors import discussions as discussion_selectors
from notes.selectors import editing as editing_selectors
from notes.selectors import following as following_selectors
from notes.selectors import groups as group_selectors
from notes.selectors import reviews as review_selectors

HOME_OPEN_REQUESTS = 10
# The home page shows this many books a page (by title), whatever the wiki's size.
HOME_BOOKS_PER_PAGE = 30
BOOK_CHANGELOG_LINES = 20
CHANGELOG_PER_PAGE = 100
CHAPTER_TEMPLATE = "notes/chapter_detail.html"


@read_required
def home(request):
    """The books (a page of them, with their number), the latest changes, and the visitor's
    own open change requests."""
    mine = []
    if permissions.can_propose(request.user):
        mine = list(review_selectors.review_queue(user=request.user, bucket="mine")[:HOME_OPEN_REQUESTS])
    return render(
        request,
        "notes/home.html",
        {
            "books": book_selectors.book_page(
                page_number=_page_number(request), per_page=HOME_BOOKS_PER_PAGE
            ),
            "recent": book_selectors.changelog(newest_first=True, limit=10),
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
    book = book_selectors.book_with_contents(slug=book_slug)
    # The latest changes, newest first unless ``?order=oldest``; the changelog page has them all.
    latest = book_selectors.changelog(book=book, newest_first=True, limit=BOOK_CHANGELOG_LINES + 1)
    return render(
        request,
        "notes/book_detail.html",
        {
            "book": book,
            "chapters": book.chapters.all(),
            "watch": following_selectors.watch_state(user=request.user, target=book),
            "changelog": latest[:BOOK_CHANGELOG_LINES]
            if newest_first
            else latest[:BOOK_CHANGELOG_LINES][::-1],
            "changelog_is_cut": len(latest) > BOOK_CHANGELOG_LINES,
            # A reading group member's threads past their progress are folded.
            "spoiler_limit": permissions.spoiler_limit(request.user, book.pk),
            "newest_first": newest_first,
        },
    )


@read_required
def domain_detail(request, domain_slug: str):
    """The books of one domain ("Machine Learning"), a page of them as the home page shows."""
    name, books = book_selectors.books_in_domain(
        slug=domain_slug, page_number=_page_number(request), per_page=HOME_BOOKS_PER_PAGE
    )
    return render(request, "notes/domain_detail.html", {"domain": name, "books": books})


@read_required
def book_changelog(request, book_slug: str):
    newest_first = _newest_first(request)
    if newest_first is None:
        return HttpResponseBadRequest(BAD_ORDER, content_type="text/plain; charset=utf-8")
    book = book_selectors.book_get(slug=book_slug)
    page = _page_number(request)
    entries = book_selectors.changelog(
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
    a permalink and a "Discuss this" link on each heading and table, its quoted passages
    (highlighted in the browser) and its orphaned quotes.

    Everything below the page's head is the same for every reader who may (or may not)
    discuss, so it is built once per chapter generation and kept in the cache: a signed-in
    reader's page runs only the queries about them (session, user and roles, reading
    progress, watching, counts). A reading group member who has not read this far gets a
    part of its own, with no quotes or thread counts in it (spoiler folding)."""
    can_discuss = permissions.can_discuss(request.user)
    # Editors see "Edit this table" beside each table: a variant per role, never per user,
    # and never the anonymous page's (a visitor proposes nothing).
    can_propose = permissions.can_propose(request.user)

    def part(folded: bool) -> dict:
        return chapter_part(
            book_slug=book_slug,
            number=number,
            variant=f"chapter-reading:{int(can_discuss)}:{int(folded)}:{int(can_propose)}",
            build=lambda: _chapter_reading(
                book_slug=book_slug,
                number=number,
                can_discuss=can_discuss,
                folded=folded,
                can_propose=can_propose,
            ),
        )

    reading = part(folded=False)
    chapter = reading["chapter"]
    # Signed-in users only (the anonymous page is cached whole): a reading group member's
    # progress form, and the chapter's threads folded past their progress.
    is_folded = permissions.is_spoiler(request.user, book_id=chapter.book_id, chapter_number=chapter.number)
    if is_folded:
        reading = part(folded=True)
    # Who else is drafting this chapter: for editors only (signed in, so never in the
    # anonymous page), one query, the editor's own selector.
    others_drafting = (
        editing_selectors.open_requests_on(user=request.user, book=chapter.book, chapter=chapter).drafting
        if can_propose
        else []
    )
    context = {
        **reading,
        "book": chapter.book,
        "watch": following_selectors.watch_state(user=request.user, target=chapter),
        "reading_progress": group_selectors.book_progress(user=request.user, book_id=chapter.book_id),
        "is_folded": is_folded,
        "others_drafting": others_drafting,
    }
    if settings.WIKI_PAGE_CACHE and request.user.is_authenticated and not request.META.get("QUERY_STRING"):
        # The page outside its holes is kept per variant: everything it shows of the reader
        # is in a hole (templates/base.html, chapter_detail.html), and what is left depends
        # only on what the variant names: roles, folding, time zone (dates).
        user = request.user
        flags = (
            can_discuss,
            is_folded,
            can_propose,
            permissions.can_moderate(user),
            permissions.can_manage_webhooks(user),
            permissions.can_see_people(user),
            permissions.can_see_reviews(user),
        )
        variant = (
            f"chapter-page:{''.join(str(int(flag)) for flag in flags)}:{timezone.get_current_timezone_name()}"
        )
        skeleton = chapter_part(
            book_slug=book_slug,
            number=number,
            variant=variant,
            build=lambda: render_skeleton(CHAPTER_TEMPLATE, context, request),
        )
        if skeleton is not None:
            return HttpResponse(fill_skeleton(skeleton, context, request))
    return render(request, CHAPTER_TEMPLATE, context)


def _chapter_reading(
    *, book_slug: str, number: int, can_discuss: bool, folded: bool, can_propose: bool = False
) -> dict:
    """The chapter page's shared part: the chapter (for its head), its thread counts, and
    the HTML of its contents, its marked body, its quotes and the book's chapters.

    ``folded``: for a reader who has not read this far, nothing of the threads but their
    number: no quoted passages (their highlights link to the threads, the orphaned list
    names them) and no counts on the headings."""
    chapter = book_selectors.chapter_for_reading(book_slug=book_slug, number=number)
    siblings = book_selectors.chapter_siblings(chapter=chapter)
    position = next(index for index, sibling in enumerate(siblings) if sibling.pk == chapter.pk)
    discussion = discussion_selectors.chapter_discussion_summary(chapter=chapter)
    quotes = (
        discussion_selectors.ChapterQuotes()
        if folded
        else discussion_selectors.chapter_quotes(chapter=chapter)
    )
    threads_url = reverse("notes:thread-list", kwargs={"book_slug": book_slug, "number": number})
    start_url = reverse("notes:thread-start", kwargs={"book_slug": book_slug, "number": number})
    body_html = mark_discussed_places(
        chapter.body_html,
        {} if folded else discussion.anchors,
        link_for=lambda key: f"{threads_url}?{urlencode({'filter': 'all', 'anchor': key})}",
        start_for=(lambda key: f"{start_url}?{urlencode({'anchor': key})}") if can_discuss else None,
        edit_table_for=(
            lambda slug: reverse(
                "notes:table-edit", kwargs={"book_slug": book_slug, "number": number, "table_slug": slug}
            )
        )
        if can_propose
        else None,
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
    reading_html = render_to_string(
        "notes/partials/_chapter_reading.html",
        {
            "book": chapter.book,
            "chapter": chapter,
            "body_html": body_html,
            # Highlighted by static/js/quotes.js (from the JSON in an attribute, escaped
            # like any: no script element), which also offers "Discuss this quote".
            "quotes": quotes,
            "quotes_json": json.dumps(quotes.highlights, ensure_ascii=False),
            "quote_start_url": start_url if can_discuss else "",
            "contents": contents,
            "chapters": siblings,
            "previous_chapter": siblings[position - 1] if position > 0 else None,
            "next_chapter": siblings[position + 1] if position + 1 < len(siblings) else None,
        },
    )
    # Kept in the cache: the chapter without its Markdown and stored HTML, which are in
    # ``reading_html`` already (a 1 MB chapter would otherwise be kept three times).
    chapter.body = chapter.body_html = ""
    where = {"book_slug": book_slug, "number": number}
    return {
        "chapter": chapter,
        # The head's links, kept with the part so a page costs no reverse() for them.
        "links": {
            name: reverse(f"notes:{url_name}", kwargs=where)
            for name, url_name in (
                ("feed", "chapter-feed"),
                ("history", "chapter-history"),
                ("threads", "thread-list"),
                ("edit", "chapter-edit"),
                ("table_new", "table-new"),
                ("since", "chapter-since"),
            )
        }
        | {"groups": reverse("notes:group-list", kwargs={"book_slug": book_slug})},
        "discussion": discussion,
        "quotes": quotes,  # the head counts the orphaned ones
        "chapter_count": len(siblings),
        "reading_html": reading_html,  # a SafeString: the template escaped what it filled in
    }


@read_required
def table_detail(request, book_slug: str, number: int, table_slug: str):
    table = book_selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
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
        {"entries": book_selectors.changelog(newest_first=True, limit=100)},
    )
