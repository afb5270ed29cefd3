"""A chapter's published versions: list, view one, compare any two, revert."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notes import selectors
from notes.diffs import inline_word_diff, side_by_side_diff
from notes.markup import render_markdown
from notes.permissions import can_propose, can_read, can_revert, permission_view, read_required, require
from notes.selectors_reviews import chapter_versions
from notes.services.reviews import ReviewError, change_request_revert


def _version_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@read_required
def chapter_history(request, book_slug: str, number: int):
    """The list of versions; ``?version=<id>`` shows one, ``?from=<id>&to=<id>`` compares two."""
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    versions = chapter_versions(chapter=chapter)
    by_id = {version.row.history_id: version for version in versions}
    context = {
        "book": chapter.book,
        "chapter": chapter,
        "versions": list(reversed(versions)),
        "can_revert": can_revert(request.user),
        "can_propose_revert": can_propose(request.user),
    }
    shown = request.GET.get("version")
    old_id, new_id = request.GET.get("from"), request.GET.get("to")
    if shown is not None:
        version = by_id.get(_version_id(shown))
        if version is None:
            return _refuse(request, context, "That version does not belong to this chapter.")
        tables = {table.slug: table for table in chapter.tables.all()}
        context.update(version=version, rendered=render_markdown(version.row.body, tables))
        return render(request, "notes/history/version.html", context)
    if old_id is not None or new_id is not None:
        old, new = by_id.get(_version_id(old_id)), by_id.get(_version_id(new_id))
        if old is None or new is None:
            return _refuse(
                request,
                context,
                "Versions can only be compared within one chapter; pick two versions from this list.",
            )
        context.update(
            old=old,
            new=new,
            title_changed=old.row.title != new.row.title,
            inline_diff=inline_word_diff(old.row.body, new.row.body),
            side_by_side=side_by_side_diff(
                old.row.body,
                new.row.body,
                old_label=f"Version {old.number}",
                new_label=f"Version {new.number}",
            ),
        )
        return render(request, "notes/history/compare.html", context)
    return render(request, "notes/history/list.html", context)


def _refuse(request, context, message: str):
    messages.error(request, message)
    return render(request, "notes/history/list.html", context, status=400)


@require_POST
@permission_view
def chapter_revert(request, book_slug: str, number: int, history_id: int):
    """A reviewer publishes the old version again; an editor's revert goes to review."""
    require(request, can_read(request.user) and can_propose(request.user))
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    try:
        change_request, outcome = change_request_revert(
            user=request.user, chapter=chapter, history_id=history_id
        )
    except ReviewError as error:
        messages.error(request, str(error))
        return redirect("notes:chapter-history", book_slug=book_slug, number=number)
    if outcome is None:
        messages.success(request, "Your revert is waiting for a reviewer.")
        return redirect("notes:review-detail", request_id=change_request.pk)
    if outcome.published:
        messages.success(request, f"{change_request.summary}: published as a new version.")
    else:
        messages.error(request, outcome.message)
    return redirect("notes:chapter-history", book_slug=book_slug, number=number)
