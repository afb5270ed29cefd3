"""Discussion: a chapter's threads, one thread's comments, starting and replying, resolving,
and the moderators' hide and lock. Hidden and deleted text reaches moderators only, and
threads past a reading group member's progress stay folded unless they ask, as on the pages."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from notes import permissions
from notes.api.core import Problem, require_read, require_scope
from notes.api.pagination import paginate
from notes.api.schemas import (
    CommentIn,
    CommentOut,
    ReasonIn,
    ThreadDetailOut,
    ThreadIn,
    ThreadOut,
    ThreadPage,
)
from notes.models import Comment
from notes.selectors import discussions as selectors
from notes.services import discussions as services
from notes.services import moderation
from notes.services.discussions import DiscussionError

router = Router(tags=["discussions"])


def thread_out(thread) -> dict:
    return {
        "id": thread.pk,
        "title": thread.title,
        "author": thread.author.username,
        "anchor": f"{thread.anchor_kind}:{thread.anchor_value}" if thread.anchor_kind else "",
        "is_resolved": thread.is_resolved,
        "is_locked": thread.is_locked,
        "is_pinned": thread.is_pinned,
        "comment_count": thread.comment_count,
        "last_activity_at": thread.last_activity_at,
        "url": thread.get_absolute_url(),
    }


def comment_out(user, comment: Comment) -> dict:
    shown = permissions.can_see_comment_text(user, comment)
    return {
        "id": comment.pk,
        "author": comment.author.username,
        "parent": comment.parent_id,
        "body": comment.body if shown else "",
        "body_html": comment.body_html if shown else "",
        "is_hidden": comment.is_hidden,
        "is_deleted": comment.is_deleted,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


def _refusals(call):
    try:
        return call()
    except PermissionDenied as error:
        raise Problem(403, "Forbidden", str(error) or "Your role does not allow this.") from None
    except DiscussionError as error:
        raise Problem(422, "Refused", str(error)) from None


@router.get(
    "/books/{book_slug}/chapters/{int:number}/threads", response=ThreadPage, summary="A chapter's threads"
)
def thread_list(
    request: HttpRequest,
    book_slug: str,
    number: int,
    state: str = "all",
    spoilers: str = "",
    cursor: str | None = None,
    limit: int | None = None,
):
    require_read(request)
    chapter = selectors.chapter_for_discussion(book_slug=book_slug, number=number)
    if state not in selectors.THREAD_STATES:
        raise Problem(400, "Bad request", f"state is one of {', '.join(selectors.THREAD_STATES)}.")
    if permissions.threads_folded(request.user, chapter, query={permissions.SPOILERS_PARAMETER: spoilers}):
        return {"items": [], "next": None, "folded": True}
    threads, next_url = paginate(
        request, selectors.thread_list(chapter=chapter, state=state), cursor=cursor, limit=limit
    )
    for thread in threads:
        thread.chapter = chapter  # the list's one chapter: its URL needs no query per thread
    return {"items": [thread_out(thread) for thread in threads], "next": next_url, "folded": False}


@router.get("/threads/{int:thread_id}", response=ThreadDetailOut, summary="One thread with its comments")
def thread_detail(
    request: HttpRequest,
    thread_id: int,
    spoilers: str = "",
    cursor: str | None = None,
    limit: int | None = None,
):
    require_read(request)
    thread = selectors.thread_get(thread_id=thread_id)
    if permissions.threads_folded(
        request.user, thread.chapter, query={permissions.SPOILERS_PARAMETER: spoilers}
    ):
        raise Problem(
            403,
            "Folded",
            "This thread is on a chapter past your reading progress; ask with spoilers=show to read it anyway.",
        )
    comments, next_url = paginate(
        request,
        Comment.objects.filter(thread=thread).select_related("author"),
        cursor=cursor,
        limit=limit,
    )
    return {
        **thread_out(thread),
        "book": thread.chapter.book.slug,
        "chapter": thread.chapter.number,
        "comments": [comment_out(request.user, comment) for comment in comments],
        "next": next_url,
    }


@router.post(
    "/books/{book_slug}/chapters/{int:number}/threads", response={201: ThreadOut}, summary="Start a thread"
)
def thread_start(request: HttpRequest, book_slug: str, number: int, data: ThreadIn):
    require_scope(request, permissions.API_SCOPE_WRITE, permissions.can_discuss(request.user))
    chapter = selectors.chapter_for_discussion(book_slug=book_slug, number=number)
    thread = _refusals(
        lambda: services.thread_start(
            chapter=chapter, author=request.user, title=data.title, body=data.body, anchor=data.anchor
        )
    )
    return Status(201, thread_out(selectors.thread_get(thread_id=thread.pk)))


@router.post("/threads/{int:thread_id}/comments", response={201: CommentOut}, summary="Reply in a thread")
def comment_post(request: HttpRequest, thread_id: int, data: CommentIn):
    require_scope(request, permissions.API_SCOPE_WRITE, permissions.can_discuss(request.user))
    thread = selectors.thread_get(thread_id=thread_id)
    comment = _refusals(
        lambda: services.comment_post(
            thread=thread, author=request.user, body=data.body, parent_id=data.parent
        )
    )
    return Status(201, comment_out(request.user, comment))


def _thread_action(request, thread_id: int, scope: str, allowed, act) -> dict:
    thread = selectors.thread_get(thread_id=thread_id)
    require_scope(request, scope, allowed(request.user, thread))
    _refusals(lambda: act(thread))
    return thread_out(selectors.thread_get(thread_id=thread_id))


@router.post("/threads/{int:thread_id}/resolve", response=ThreadOut, summary="Resolve a thread")
def thread_resolve(request: HttpRequest, thread_id: int, data: ReasonIn):
    return _thread_action(
        request,
        thread_id,
        permissions.API_SCOPE_WRITE,
        permissions.can_resolve_thread,
        lambda thread: services.thread_resolve(thread=thread, actor=request.user, reason=data.reason),
    )


@router.post("/threads/{int:thread_id}/reopen", response=ThreadOut, summary="Reopen a resolved thread")
def thread_reopen(request: HttpRequest, thread_id: int, data: ReasonIn):
    return _thread_action(
        request,
        thread_id,
        permissions.API_SCOPE_WRITE,
        permissions.can_resolve_thread,
        lambda thread: services.thread_reopen(thread=thread, actor=request.user, reason=data.reason),
    )


def _moderates(user, _thread) -> bool:
    return permissions.can_moderate(user)


@router.post("/threads/{int:thread_id}/lock", response=ThreadOut, summary="Lock a thread (moderators)")
def thread_lock(request: HttpRequest, thread_id: int, data: ReasonIn):
    return _thread_action(
        request,
        thread_id,
        permissions.API_SCOPE_MODERATE,
        _moderates,
        lambda thread: moderation.thread_lock(thread=thread, moderator=request.user, reason=data.reason),
    )


@router.post("/threads/{int:thread_id}/unlock", response=ThreadOut, summary="Unlock a thread (moderators)")
def thread_unlock(request: HttpRequest, thread_id: int, data: ReasonIn):
    return _thread_action(
        request,
        thread_id,
        permissions.API_SCOPE_MODERATE,
        _moderates,
        lambda thread: moderation.thread_unlock(thread=thread, moderator=request.user, reason=data.reason),
    )


@router.post("/comments/{int:comment_id}/hide", response=CommentOut, summary="Hide a comment (moderators)")
def comment_hide(request: HttpRequest, comment_id: int, data: ReasonIn):
    require_scope(request, permissions.API_SCOPE_MODERATE, permissions.can_moderate(request.user))
    comment = selectors.comment_get(comment_id=comment_id)
    comment = _refusals(
        lambda: moderation.comment_hide(comment=comment, moderator=request.user, reason=data.reason)
    )
    return comment_out(request.user, comment)


@router.post(
    "/comments/{int:comment_id}/unhide",
    response=CommentOut,
    summary="Show a hidden comment again (moderators)",
)
def comment_unhide(request: HttpRequest, comment_id: int, data: ReasonIn):
    require_scope(request, permissions.API_SCOPE_MODERATE, permissions.can_moderate(request.user))
    comment = selectors.comment_get(comment_id=comment_id)
    comment = _refusals(
        lambda: moderation.comment_unhide(comment=comment, moderator=request.user, reason=data.reason)
    )
    return comment_out(request.user, comment)
