"""Search, notifications and importing a notes file: the pages' selectors and services
behind JSON. Search leaves out hidden text and folded threads as the search page does;
an imported file only ever becomes change requests for review, as an upload does."""

from django.http import HttpRequest
from django.utils.html import strip_tags
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from notes import permissions
from notes.api.core import Problem, require_read, require_scope
from notes.api.pagination import paginate
from notes.api.reviews import request_out
from notes.api.schemas import ImportOut, NotificationPage, ReadOut, SearchOut
from notes.lib.limits import MAX_UPLOAD_BYTES
from notes.selectors import books as book_selectors
from notes.selectors import discussions as discussion_selectors
from notes.selectors.reviews import change_request_get
from notes.selectors.search import search_page
from notes.services import notifications as notification_services
from notes.services.book_proposals import UploadError, notes_upload_propose
from notes.services.notifications import NotificationError

search_router = Router(tags=["search"])
notifications_router = Router(tags=["notifications"])
imports_router = Router(tags=["imports"])


@search_router.get("/search", response=SearchOut, summary="Full-text search")
def search(request: HttpRequest, q: str = "", book: str = "", kind: str = "", page: str = "1"):
    require_read(request)
    result = search_page(user=request.user, text=q, book_slug=book, kind=kind, page=page)
    return {
        "query": q,
        "counts": result.counts,
        "messages": result.messages,
        "results": [
            {
                "kind": found.kind,
                "url": found.url,
                "title": strip_tags(found.label_html),
                "book": found.book_title,
                "snippet": strip_tags(found.snippet_html),
                "is_hidden": found.is_hidden,
            }
            for group in result.groups
            for found in group.results
        ],
    }


def _require_notifications(request: HttpRequest, scope: str) -> None:
    require_scope(request, scope, permissions.can_see_notifications(request.user))


@notifications_router.get(
    "/notifications", response=NotificationPage, summary="Your notifications, newest first"
)
def notification_list(request: HttpRequest, cursor: str | None = None, limit: int | None = None):
    _require_notifications(request, permissions.API_SCOPE_READ)
    rows, next_url = paginate(
        request,
        discussion_selectors.notification_list(user=request.user),
        cursor=cursor,
        limit=limit,
        descending=True,
    )
    permissions.spoiler_limits(request.user)  # read once for the whole page
    items = []
    for notification in rows:
        # A reading group member is told that something happened past their progress, not what.
        folded = bool(notification.thread_id) and permissions.is_spoiler(
            request.user,
            book_id=notification.thread.chapter.book_id,
            chapter_number=notification.thread.chapter.number,
        )
        label = (
            f"a thread on chapter {notification.thread.chapter.number}, which you haven't read"
            if folded
            else notification.label
        )
        actor = notification.actor.get_username() if notification.actor else "Someone"
        items.append(
            {
                "id": notification.pk,
                "kind": notification.kind,
                "text": f"{actor} {notification.verb} {label}",
                "url": notification.get_absolute_url(),
                "is_read": notification.read_at is not None,
                "created_at": notification.created_at,
            }
        )
    return {"items": items, "next": next_url}


@notifications_router.post(
    "/notifications/read", response=ReadOut, summary="Mark all your notifications read"
)
def notifications_read(request: HttpRequest):
    _require_notifications(request, permissions.API_SCOPE_WRITE)
    return {"marked_read": notification_services.notifications_mark_read(user=request.user)}


@notifications_router.post(
    "/notifications/{int:notification_id}/read", response=ReadOut, summary="Mark one notification read"
)
def notification_read(request: HttpRequest, notification_id: int):
    _require_notifications(request, permissions.API_SCOPE_WRITE)
    try:
        notification_services.notification_mark_read(user=request.user, notification_id=notification_id)
    except NotificationError as error:
        raise Problem(404, "Not found", str(error)) from None
    return {"marked_read": 1}


@imports_router.post("/imports", response={201: ImportOut}, summary="Import a notes file as change requests")
def notes_import(request: HttpRequest, notes_file: File[UploadedFile], book: Form[str] = ""):
    """The file (text or Markdown notes) becomes change requests submitted for review, exactly as
    the upload page makes them: a new book without ``book``, else one request per changed
    chapter or table of that book. Nothing is published until a reviewer approves."""
    require_scope(request, permissions.API_SCOPE_WRITE, permissions.can_upload_notes(request.user))
    target = book_selectors.book_get(slug=book) if book else None
    try:
        result = notes_upload_propose(
            author=request.user,
            # One byte past the limit is enough for the service to refuse the file.
            data=notes_file.read(MAX_UPLOAD_BYTES + 1),
            filename=notes_file.name or "notes.txt",
            book=target,
        )
    except UploadError as error:
        raise Problem(422, "Refused", str(error)) from None
    return Status(
        201,
        {
            "book_title": result.book_title,
            "warnings": [str(warning) for warning in result.warnings],
            "notes": [str(note) for note in result.notes],
            "change_requests": [
                request_out(change_request_get(request_id=change_request.pk))
                for change_request in result.requests
            ],
        },
    )
