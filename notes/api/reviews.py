"""Change requests: list, read, propose (chapter edit, new chapter, new table, new book),
revise, submit, withdraw, and the reviewers' verdicts. Every step is the browser's own
service call; the API adds only the HTTP shape (201, 409 with the conflicts, 422 with the
service's refusal)."""

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from notes import permissions
from notes.api.core import Problem, require_scope
from notes.api.pagination import paginate
from notes.api.schemas import (
    BookNewIn,
    ChangeRequestDetailOut,
    ChangeRequestPage,
    ChangesOut,
    ChapterEditIn,
    ChapterNewIn,
    PartVerdictIn,
    ReviseIn,
    TableNewIn,
    VerdictIn,
    VerdictOut,
)
from notes.forms.reviews import text_fields
from notes.models import ChangeRequest, Chapter
from notes.selectors import books as book_selectors
from notes.selectors.reviews import change_request_get, proposed_changes, visible_change_requests
from notes.services import reviews as services
from notes.services.publishing import merge_preview

router = Router(tags=["reviews"])
Kind = ChangeRequest.Kind


def request_out(change_request: ChangeRequest) -> dict:
    return {
        "id": change_request.pk,
        "kind": change_request.kind,
        "status": change_request.status,
        "summary": change_request.summary,
        "author": change_request.author.username,
        "book": change_request.book.slug if change_request.book_id else None,
        "chapter": change_request.chapter.number if change_request.chapter_id else None,
        "table": change_request.table.slug if change_request.table_id else None,
        "revision": change_request.revision,
        "base_version": change_request.base_history_id,
        "created_at": change_request.created_at,
        "updated_at": change_request.updated_at,
        "url": change_request.get_absolute_url(),
    }


def request_detail_out(change_request: ChangeRequest) -> dict:
    return {
        **request_out(change_request),
        "title": change_request.title,
        "body": change_request.body,
        "number": change_request.number,
        "slug": change_request.slug,
        "headers": change_request.headers,
        "rows": change_request.rows,
        "book_author": change_request.book_author,
        "book_domains": change_request.book_domains,
        "conflicts": change_request.conflicts,
        "reviews": [
            {
                "reviewer": review.reviewer.username,
                "verdict": review.verdict,
                "comment": review.comment,
                "revision": review.revision,
                "created_at": review.created_at,
            }
            for review in change_request.reviews.all()
        ],
    }


def _refused(error: services.ReviewError) -> Problem:
    return Problem(422, "Refused", str(error))


def _visible(request: HttpRequest, request_id: int) -> ChangeRequest:
    """The request, if the caller may read it; ids are not public, so the role is asked first,
    and someone else's draft is a 404 (it does not exist for them)."""
    require_scope(request, permissions.API_SCOPE_READ, permissions.can_see_reviews(request.user))
    change_request = change_request_get(request_id=request_id)
    if not permissions.can_see_request(request.user, change_request):
        raise Problem(404, "Not found", "There is nothing at this address.")
    return change_request


def _created(change_request: ChangeRequest):
    return Status(201, request_detail_out(change_request_get(request_id=change_request.pk)))


@router.get(
    "/change-requests",
    response=ChangeRequestPage,
    summary="Change requests the caller may see",
)
def request_list(
    request: HttpRequest, status: str | None = None, cursor: str | None = None, limit: int | None = None
):
    require_scope(request, permissions.API_SCOPE_READ, permissions.can_see_reviews(request.user))
    rows = visible_change_requests(user=request.user)
    if status:
        rows = rows.filter(status=status)
    page, next_url = paginate(request, rows, cursor=cursor, limit=limit)
    return {"items": [request_out(row) for row in page], "next": next_url}


@router.get(
    "/change-requests/{int:request_id}",
    response=ChangeRequestDetailOut,
    summary="One change request",
)
def request_detail(request: HttpRequest, request_id: int):
    return request_detail_out(_visible(request, request_id))


def _require_propose(request: HttpRequest) -> None:
    require_scope(request, permissions.API_SCOPE_WRITE, permissions.can_propose(request.user))


@router.post(
    "/change-requests/chapter-edits",
    response={201: ChangeRequestDetailOut},
    summary="Propose an edit of a chapter",
)
def chapter_edit(request: HttpRequest, data: ChapterEditIn):
    """Send ``base_version`` (the chapter's ``version`` when you read it): if the chapter was
    published since and your edit cannot merge with that, the answer is 409 with the
    conflicts and nothing is written; a clean merge is accepted and approval merges it."""
    _require_propose(request)
    chapter = book_selectors.chapter_get(book_slug=data.book, number=data.chapter)
    proposed = {"title": data.title, "body": data.body}
    if (
        data.base_version is not None
        and Chapter.history.filter(history_id=data.base_version, id=chapter.pk).exists()
    ):
        conflicts, current = merge_preview(
            target=chapter, base_history_id=data.base_version, proposed=proposed
        )
        if conflicts:
            raise Problem(
                409,
                "Conflict",
                "The chapter was published since your base version and your edit conflicts with it; "
                "read the current version and edit again.",
                conflicts=conflicts,
                current_version=current,
            )
    try:
        change_request = services.change_request_create(
            author=request.user,
            book=chapter.book,
            kind=Kind.CHAPTER_EDIT,
            chapter=chapter,
            summary=data.summary,
            content=proposed,
            base_history_id=data.base_version,
            submit=data.submit,
        )
    except services.ReviewError as error:
        raise _refused(error) from None
    return _created(change_request)


@router.post(
    "/change-requests/new-chapters",
    response={201: ChangeRequestDetailOut},
    summary="Propose a new chapter",
)
def chapter_new(request: HttpRequest, data: ChapterNewIn):
    _require_propose(request)
    book = book_selectors.book_get(slug=data.book)
    return _create(
        request,
        book=book,
        kind=Kind.CHAPTER_NEW,
        data=data,
        content={"number": data.number, "title": data.title, "body": data.body},
    )


@router.post(
    "/change-requests/new-tables",
    response={201: ChangeRequestDetailOut},
    summary="Propose a new comparison table",
)
def table_new(request: HttpRequest, data: TableNewIn):
    _require_propose(request)
    chapter = book_selectors.chapter_get(book_slug=data.book, number=data.chapter)
    content = {"slug": data.slug, "title": data.title, "headers": data.headers, "rows": data.rows}
    return _create(
        request, book=chapter.book, chapter=chapter, kind=Kind.TABLE_NEW, data=data, content=content
    )


@router.post(
    "/change-requests/new-books",
    response={201: ChangeRequestDetailOut},
    summary="Propose a new book",
)
def book_new(request: HttpRequest, data: BookNewIn):
    _require_propose(request)
    content = {
        "title": data.title,
        "slug": data.slug,
        "book_author": data.book_author,
        "book_domains": data.book_domains,
        "body": data.body,
    }
    return _create(request, book=None, kind=Kind.BOOK_CREATE, data=data, content=content)


def _create(request: HttpRequest, *, book, kind, data, content, chapter=None):
    try:
        change_request = services.change_request_create(
            author=request.user,
            book=book,
            kind=kind,
            chapter=chapter,
            summary=data.summary,
            content=content,
            submit=data.submit,
        )
    except services.ReviewError as error:
        raise _refused(error) from None
    return _created(change_request)


@router.post(
    "/change-requests/{int:request_id}/revise",
    response=ChangeRequestDetailOut,
    summary="Revise your change request",
)
def request_revise(request: HttpRequest, request_id: int, data: ReviseIn):
    """Fields left out keep their current value; the revision number goes up, so verdicts on
    the earlier revision stop counting."""
    change_request = _visible(request, request_id)
    require_scope(request, permissions.API_SCOPE_WRITE, permissions.can_revise(request.user, change_request))
    fields = _text_fields(change_request)
    sent = data.dict(exclude_unset=True)
    content = {
        name: sent[name] if name in sent and sent[name] is not None else getattr(change_request, name)
        for name in fields
    }
    try:
        change_request = services.change_request_revise(
            change_request=change_request,
            user=request.user,
            summary=data.summary or change_request.summary,
            content=content,
            submit=data.submit,
        )
    except services.ReviewError as error:
        raise _refused(error) from None
    return Status(200, request_detail_out(change_request_get(request_id=change_request.pk)))


def _text_fields(change_request: ChangeRequest) -> tuple[str, ...]:
    if change_request.target_kind == "table":
        fields = ("title", "headers", "rows")
        return (*fields, "slug") if change_request.kind == Kind.TABLE_NEW else fields
    return text_fields(change_request)


@router.post(
    "/change-requests/{int:request_id}/submit",
    response=ChangeRequestDetailOut,
    summary="Submit your draft for review",
)
def request_submit(request: HttpRequest, request_id: int):
    change_request = _visible(request, request_id)
    require_scope(request, permissions.API_SCOPE_WRITE, permissions.can_submit(request.user, change_request))
    try:
        services.change_request_submit(change_request=change_request, user=request.user)
    except services.ReviewError as error:
        raise _refused(error) from None
    return Status(200, request_detail_out(change_request_get(request_id=request_id)))


@router.post(
    "/change-requests/{int:request_id}/withdraw",
    response=ChangeRequestDetailOut,
    summary="Withdraw your change request",
)
def request_withdraw(request: HttpRequest, request_id: int):
    change_request = _visible(request, request_id)
    require_scope(
        request, permissions.API_SCOPE_WRITE, permissions.can_withdraw(request.user, change_request)
    )
    try:
        services.change_request_withdraw(change_request=change_request, user=request.user)
    except services.ReviewError as error:
        raise _refused(error) from None
    return Status(200, request_detail_out(change_request_get(request_id=request_id)))


def _verdict(request: HttpRequest, request_id: int, act) -> Status:
    change_request = _visible(request, request_id)
    require_scope(
        request, permissions.API_SCOPE_REVIEW, permissions.can_review_request(request.user, change_request)
    )
    try:
        message, published = act(change_request)
    except services.ReviewError as error:
        raise _refused(error) from None
    change_request = change_request_get(request_id=request_id)
    if change_request.status == ChangeRequest.Status.CONFLICT:
        raise Problem(
            409,
            "Conflict",
            message,
            conflicts=change_request.conflicts,
            current_version=change_request.resolution.get("base_history_id"),
        )
    return Status(
        200, {"change_request": request_out(change_request), "message": message, "published": published}
    )


VERDICT_RESPONSES = VerdictOut


@router.post(
    "/change-requests/{int:request_id}/approve", response=VERDICT_RESPONSES, summary="Approve and publish"
)
def request_approve(request: HttpRequest, request_id: int, data: VerdictIn):
    """Publishes at once; if the page changed since the request's base version and the merge
    conflicts, nothing is published, the request goes back to its author and the answer is 409."""

    def act(change_request):
        outcome = services.change_request_approve(
            change_request=change_request, reviewer=request.user, comment=data.comment, revision=data.revision
        )
        return outcome.message, outcome.published

    return _verdict(request, request_id, act)


@router.post(
    "/change-requests/{int:request_id}/request-changes",
    response=VERDICT_RESPONSES,
    summary="Send back to the author",
)
def request_changes(request: HttpRequest, request_id: int, data: VerdictIn):
    def act(change_request):
        services.change_request_request_changes(
            change_request=change_request, reviewer=request.user, comment=data.comment, revision=data.revision
        )
        return "Sent back to the author with your comment.", False

    return _verdict(request, request_id, act)


@router.post(
    "/change-requests/{int:request_id}/reject", response=VERDICT_RESPONSES, summary="Reject with a comment"
)
def request_reject(request: HttpRequest, request_id: int, data: VerdictIn):
    def act(change_request):
        services.change_request_reject(
            change_request=change_request, reviewer=request.user, comment=data.comment, revision=data.revision
        )
        return "Rejected. Nothing was published.", False

    return _verdict(request, request_id, act)


@router.get(
    "/change-requests/{int:request_id}/changes",
    response=ChangesOut,
    summary="The changes a reviewer may publish or take out one by one",
)
def request_part_changes(request: HttpRequest, request_id: int):
    """A chapter's text hunks or a table's rows, columns and cells, as the request page lists
    them, with the revision they belong to; 422 for a kind that is taken only whole."""
    change_request = _visible(request, request_id)
    found = proposed_changes(change_request)
    if found is None:
        raise Problem(422, "Unprocessable", "Only chapter and table edits can be taken in part.")
    return {
        "revision": change_request.revision,
        "changes": [{"id": change.id, "label": change.label} for change in found.changes],
    }


@router.post(
    "/change-requests/{int:request_id}/approve-part",
    response=VERDICT_RESPONSES,
    summary="Publish some of the changes; the rest stays open",
)
def request_approve_part(request: HttpRequest, request_id: int, data: PartVerdictIn):
    """Publishes the base version plus exactly ``changes``; the request stays open as its
    next revision with the rest. Every change is a whole approval; none is refused (422)."""

    def act(change_request):
        outcome = services.change_request_approve_part(
            change_request=change_request,
            reviewer=request.user,
            accepted=data.changes,
            comment=data.comment,
            revision=data.revision,
        )
        return outcome.message, outcome.published

    return _verdict(request, request_id, act)


@router.post(
    "/change-requests/{int:request_id}/reject-part",
    response=VERDICT_RESPONSES,
    summary="Take some of the changes out, with a comment",
)
def request_reject_part(request: HttpRequest, request_id: int, data: PartVerdictIn):
    def act(change_request):
        services.change_request_reject_part(
            change_request=change_request,
            reviewer=request.user,
            rejected=data.changes,
            comment=data.comment,
            revision=data.revision,
        )
        return "Took the changes out of the request; the rest stays under review.", False

    return _verdict(request, request_id, act)
