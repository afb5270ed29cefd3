"""Comments on a line or a cell of a change request's diff: posted, answered and resolved.

A comment keeps the revision it was written on and what it pointed at (``anchor``, see
``notes.lib.diff_anchors``); the request page finds it again after a revision or shows it
outdated. Each comment tells the request's author and the others in its thread; the
verdict given with them (request changes, approve) tells the author again, as a verdict.
"""

from django.db import transaction

from notes import permissions
from notes.lib.limits import MAX_COMMENT_BYTES
from notes.models import ChangeRequest, DiffComment
from notes.services.notifications import notify_diff_comment


class DiffCommentError(Exception):
    """A refused comment action; the message is shown to the user."""


@transaction.atomic
def diff_comment_post(
    *,
    change_request: ChangeRequest,
    author,
    body: str,
    anchor: dict | None = None,
    parent_id: int | None = None,
) -> DiffComment:
    """A new comment on ``anchor`` (a line or a cell), or a reply to the comment ``parent_id``."""
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not permissions.can_comment_on_diff(author, change_request):
        raise DiffCommentError("Only reviewers and the author comment on an open request.")
    body = (body or "").strip()
    if not body:
        raise DiffCommentError("Write the comment first.")
    if len(body.encode()) > MAX_COMMENT_BYTES:
        raise DiffCommentError(f"A comment holds at most {MAX_COMMENT_BYTES // 1024} KB of text.")
    parent = None
    if parent_id is not None:
        parent = DiffComment.objects.filter(pk=parent_id, change_request=change_request, parent=None).first()
        if parent is None:
            raise DiffCommentError("That comment is not on this request; reload the page.")
        anchor = {}
    elif not anchor:
        raise DiffCommentError("Choose the line or cell the comment is about.")
    comment = DiffComment.objects.create(
        change_request=change_request,
        author=author,
        parent=parent,
        revision=change_request.revision,
        anchor=anchor or {},
        body=body,
    )
    if parent is not None and parent.is_resolved:
        # An answer reopens the question.
        parent.is_resolved = False
        parent.save(update_fields=["is_resolved"])
    notify_diff_comment(comment)
    return comment


@transaction.atomic
def diff_comment_resolve(
    *, comment_id: int, change_request: ChangeRequest, user, resolved: bool = True
) -> DiffComment:
    """Mark a comment's thread resolved (or open again)."""
    if not permissions.can_comment_on_diff(user, change_request):
        raise DiffCommentError("Only reviewers and the author resolve comments on an open request.")
    comment = (
        DiffComment.objects.select_for_update()
        .filter(pk=comment_id, change_request=change_request, parent=None)
        .first()
    )
    if comment is None:
        raise DiffCommentError("That comment is not on this request; reload the page.")
    comment.is_resolved = resolved
    comment.save(update_fields=["is_resolved"])
    return comment
