"""The editor's autosave (fetch POSTs answered in JSON) and discarding a draft.

A save names the draft's revision it started from; a stale one gets 409 and its text is
not written (``notes.services.drafts``). Bad input gets 400 with a message the editor shows.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from notes.forms.reviews import grid_from_post, text_fields
from notes.lib.numbers import BadNumber, parse_int, parse_optional_int
from notes.models import ChangeRequest
from notes.models.reviews import PROPOSED_FIELDS
from notes.permissions import can_propose, can_revise, permission_view, require
from notes.selectors import books as selectors
from notes.selectors.reviews import change_request_get
from notes.services import drafts as draft_services
from notes.services.drafts import StaleDraft, draft_save, draft_start
from notes.services.reviews import ReviewError


def _saved(change_request: ChangeRequest) -> JsonResponse:
    return JsonResponse(
        {
            "draft": change_request.pk,
            "revision": change_request.revision,
            "url": reverse("notes:draft-autosave", args=[change_request.pk]),
            "saved_at": timezone.now().isoformat(),
        }
    )


def _refused(error: Exception) -> JsonResponse:
    return JsonResponse({"error": str(error)}, status=409 if isinstance(error, StaleDraft) else 400)


def _posted(request, names) -> dict:
    content = {name: request.POST.get(name, "") for name in names}
    if "number" in content:
        content["number"] = parse_optional_int(content["number"], what="The chapter number")
    return content


def _posted_grid(request, change_request_kind: str) -> dict:
    """A grid's content as its form posts it (``grid_from_post``); a grid button named in
    the post is not applied: an autosave saves the grid as the page shows it."""
    post = request.POST.copy()
    post.pop("grid", None)
    headers, rows, _ = grid_from_post(post)
    content = {"title": request.POST.get("title", ""), "headers": headers, "rows": rows}
    if change_request_kind == ChangeRequest.Kind.TABLE_NEW:
        content["slug"] = request.POST.get("slug", "")
    return content


def _start(request, *, book, chapter, names=(), table=None):
    try:
        base = parse_optional_int(request.POST.get("base_version"), what="The base version")
        change_request = draft_start(
            author=request.user,
            book=book,
            chapter=chapter,
            table=table,
            summary=request.POST.get("summary", ""),
            content=_posted_grid(request, ChangeRequest.Kind.TABLE_EDIT)
            if table
            else _posted(request, names),
            base_history_id=base,
        )
    except (BadNumber, ReviewError) as error:
        return _refused(error)
    return _saved(change_request)


@require_POST
@permission_view
def chapter_autosave(request, book_slug: str, number: int):
    """The chapter editor's first autosave: start the author's draft of this chapter."""
    require(request, can_propose(request.user))
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    return _start(
        request, book=chapter.book, chapter=chapter, names=PROPOSED_FIELDS[ChangeRequest.Kind.CHAPTER_EDIT]
    )


@require_POST
@permission_view
def book_autosave(request, book_slug: str):
    """The book editor's first autosave: start the author's draft of the book's details."""
    require(request, can_propose(request.user))
    book = selectors.book_get(slug=book_slug)
    return _start(request, book=book, chapter=None, names=PROPOSED_FIELDS[ChangeRequest.Kind.BOOK_EDIT])


@require_POST
@permission_view
def table_autosave(request, book_slug: str, number: int, table_slug: str):
    """The table grid's first autosave: start the author's draft of this table."""
    require(request, can_propose(request.user))
    table = selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
    return _start(request, book=table.chapter.book, chapter=table.chapter, table=table)


@require_POST
@permission_view
def draft_autosave(request, request_id: int):
    """Save the editor into the author's draft, if nobody saved it since (else 409)."""
    require(request, can_propose(request.user))  # before the lookup: ids are not public
    change_request = change_request_get(request_id=request_id)
    require(request, can_revise(request.user, change_request))
    if change_request.target_kind == "table":
        content = _posted_grid(request, change_request.kind)
    else:
        content = _posted(request, text_fields(change_request))
    try:
        revision = parse_int(request.POST.get("revision", ""), what="The draft's revision")
        change_request = draft_save(
            change_request=change_request,
            user=request.user,
            revision=revision,
            summary=request.POST.get("summary", ""),
            content=content,
        )
    except (BadNumber, ReviewError) as error:
        return _refused(error)
    return _saved(change_request)


@require_POST
@permission_view
def draft_discard(request, request_id: int):
    """Throw a draft away (deleted; see ``draft_discard``) and go back to a fresh editor."""
    require(request, can_propose(request.user))
    change_request = change_request_get(request_id=request_id)
    require(request, can_revise(request.user, change_request))
    try:
        draft_services.draft_discard(change_request=change_request, user=request.user)
    except ReviewError as error:
        messages.error(request, str(error))
        return redirect("notes:review-detail", request_id=change_request.pk)
    messages.success(request, "Draft discarded. You start again from the published text.")
    if change_request.kind == ChangeRequest.Kind.CHAPTER_EDIT:
        return redirect(
            "notes:chapter-edit", book_slug=change_request.book.slug, number=change_request.chapter.number
        )
    if change_request.kind == ChangeRequest.Kind.BOOK_EDIT:
        return redirect("notes:book-edit", book_slug=change_request.book.slug)
    if change_request.kind == ChangeRequest.Kind.TABLE_EDIT:
        table = change_request.table
        return redirect(
            "notes:table-edit",
            book_slug=table.chapter.book.slug,
            number=table.chapter.number,
            table_slug=table.slug,
        )
    return redirect("notes:review-queue")
