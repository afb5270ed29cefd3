"""Published versions of a book's details, a chapter or a table: list, view one, compare any
two; revert a chapter or a table."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notes.lib.numbers import BadNumber, parse_optional_int
from notes.lib.table_diffs import table_diff
from notes.permissions import can_propose, can_read, can_revert, permission_view, read_required, require
from notes.selectors import books as selectors
from notes.selectors.people import diff_view_of
from notes.selectors.reviews import version_get, versions_page
from notes.services.renderings import versions_compared
from notes.services.reviews import ReviewError, change_request_revert


def _version_id(value: str | None) -> int | None:
    return parse_optional_int(value, what="A version")


def _picked(request, thing) -> tuple[str, tuple]:
    """What the query string asks for: ("list",), ("version", v), ("compare", old, new) or an error."""
    shown = request.GET.get("version")
    old_id, new_id = request.GET.get("from"), request.GET.get("to")
    try:
        for value in (shown, old_id, new_id):
            _version_id(value)
    except BadNumber as error:
        return "bad", (str(error),)
    if shown is not None:
        version = version_get(thing=thing, history_id=_version_id(shown))
        return ("version", (version,)) if version else ("unknown", ())
    if old_id is not None or new_id is not None:
        old = version_get(thing=thing, history_id=_version_id(old_id))
        new = version_get(thing=thing, history_id=_version_id(new_id))
        return ("compare", (old, new)) if old and new else ("mixed", ())
    return "list", ()


def _history_context(request, thing) -> dict:
    """The page of versions the list shows, newest first (two queries whatever the length)."""
    listed = versions_page(thing=thing, page=request.GET.get("page"))
    return {"versions": listed.versions, "page": listed.page, "latest_number": listed.total}


@read_required
def book_history(request, book_slug: str):
    """The versions of the book's details (title, author, domains, summary); view one, compare two.

    Book details are changed by reviewed edits only; there is no revert here: an editor
    proposes the old text again as an edit, which a reviewer reads like any other.
    """
    book = selectors.book_get(slug=book_slug)
    context = {"book": book, "can_propose_revert": False, **_history_context(request, book)}
    template = "notes/history/book.html"
    what, picked = _picked(request, book)
    refusal = _refusal(request, template, context, what, "book")
    if refusal is not None:
        return refusal
    if what == "version":
        (context["version"],) = picked
    elif what == "compare":
        old, new = picked
        context.update(
            old=old,
            new=new,
            field_changes=[
                (label, getattr(old.row, name), getattr(new.row, name))
                for label, name in (("Title", "title"), ("Author", "author"), ("Domains", "domains"))
                if getattr(old.row, name) != getattr(new.row, name)
            ],
            diff_view=diff_view_of(request.user),
            **versions_compared(
                "book", old.row, new.row, old_label=f"Version {old.number}", new_label=f"Version {new.number}"
            ),
        )
    return render(request, template, context)


@read_required
def chapter_history(request, book_slug: str, number: int):
    """The list of versions; ``?version=<id>`` shows one, ``?from=<id>&to=<id>`` compares two."""
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    context = {
        "book": chapter.book,
        "chapter": chapter,
        **_history_context(request, chapter),
        "can_revert": can_revert(request.user),
        "can_propose_revert": can_propose(request.user),
    }
    template = "notes/history/list.html"
    what, picked = _picked(request, chapter)
    refusal = _refusal(request, template, context, what, "chapter")
    if refusal is not None:
        return refusal
    if what == "version":
        (version,) = picked
        # Stored at publish: the version's text with the tables as they stood then.
        context.update(version=version, rendered=version.row.body_html)
        return render(request, "notes/history/version.html", context)
    if what == "compare":
        old, new = picked
        context.update(
            old=old,
            new=new,
            title_changed=old.row.title != new.row.title,
            diff_view=diff_view_of(request.user),
            **versions_compared(
                "chapter",
                old.row,
                new.row,
                old_label=f"Version {old.number}",
                new_label=f"Version {new.number}",
            ),
        )
        return render(request, "notes/history/compare.html", context)
    return render(request, template, context)


@read_required
def table_history(request, book_slug: str, number: int, table_slug: str):
    """A comparison table's versions; view one as it was, compare any two cell by cell."""
    table = selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
    context = {
        "book": table.chapter.book,
        "chapter": table.chapter,
        "table": table,
        **_history_context(request, table),
        "can_revert": can_revert(request.user),
        "can_propose_revert": can_propose(request.user),
    }
    template = "notes/history/table.html"
    what, picked = _picked(request, table)
    refusal = _refusal(request, template, context, what, "table")
    if refusal is not None:
        return refusal
    if what == "version":
        (context["version"],) = picked
    elif what == "compare":
        old, new = picked
        context.update(
            old=old,
            new=new,
            title_changed=old.row.title != new.row.title,
            cells=table_diff(old.row.headers, old.row.rows, new.row.headers, new.row.rows),
        )
    return render(request, template, context)


def _refusal(request, template: str, context, what: str, thing: str):
    """The 400 page for a version that is not ``thing``'s, or two of different things; else None."""
    if what == "bad":
        return _refuse(
            request, template, context, "That is not a version number; pick a version from this list."
        )
    if what == "unknown":
        return _refuse(request, template, context, f"That version does not belong to this {thing}.")
    if what == "mixed":
        return _refuse(
            request,
            template,
            context,
            f"Versions can only be compared within one {thing}; pick two versions from this list.",
        )
    return None


def _refuse(request, template: str, context, message: str):
    messages.error(request, message)
    return render(request, template, context, status=400)


@require_POST
@permission_view
def chapter_revert(request, book_slug: str, number: int, history_id: int):
    """A reviewer publishes the old version again; an editor's revert goes to review."""
    require(request, can_read(request.user) and can_propose(request.user))
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    back = redirect("notes:chapter-history", book_slug=book_slug, number=number)
    return _revert(request, back, chapter=chapter, history_id=history_id)


@require_POST
@permission_view
def table_revert(request, book_slug: str, number: int, table_slug: str, history_id: int):
    """The same for a comparison table: its old cells come back as a new version."""
    require(request, can_read(request.user) and can_propose(request.user))
    table = selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
    back = redirect("notes:table-history", book_slug=book_slug, number=number, table_slug=table_slug)
    return _revert(request, back, table=table, history_id=history_id)


def _revert(request, back, **target):
    try:
        change_request, outcome = change_request_revert(user=request.user, **target)
    except ReviewError as error:
        messages.error(request, str(error))
        return back
    if outcome is None:
        messages.success(request, "Your revert is waiting for a reviewer.")
        return redirect("notes:review-detail", request_id=change_request.pk)
    if outcome.published:
        messages.success(request, f"{change_request.summary}: published as a new version.")
    else:
        messages.error(request, outcome.message)
    return back
