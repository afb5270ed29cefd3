"""Comments on a line or a cell of a change request's diff: post, answer, resolve.

The request page (``notes.views.reviews.detail``) shows them and their forms; these views
take the posts and go back to it, to the comment's own place on the page.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from notes.lib.diff_anchors import anchor_chosen, cell_anchors, line_anchors
from notes.lib.numbers import int_or_default
from notes.models import ChangeRequest
from notes.permissions import can_comment_on_diff, can_see_reviews, permission_view, require
from notes.selectors.reviews import change_request_get, target_base_and_current
from notes.services.review_comments import DiffCommentError, diff_comment_post, diff_comment_resolve


def comment_anchors(change_request: ChangeRequest, base) -> list:
    """The lines (changed, with a neighbour each side) or the cells a comment may be about."""
    if change_request.target_kind == "table":
        return cell_anchors(change_request.headers, change_request.rows)
    old = (base.summary if change_request.target_kind == "book" else base.body) if base else ""
    return line_anchors(old, change_request.body)


def _back(change_request: ChangeRequest, comment=None):
    url = reverse("notes:review-detail", kwargs={"request_id": change_request.pk})
    return redirect(f"{url}#diff-comment-{comment.pk}" if comment else f"{url}#line-comments")


@require_POST
@permission_view
def comment_post(request, request_id: int):
    require(request, can_see_reviews(request.user))
    change_request = change_request_get(request_id=request_id)
    require(request, can_comment_on_diff(request.user, change_request))
    parent_id = request.POST.get("parent")
    anchor = None
    if not parent_id:
        base, _current = target_base_and_current(change_request)
        chosen = anchor_chosen(request.POST.get("anchor", ""), comment_anchors(change_request, base))
        if chosen is None:
            messages.error(request, "Choose the line or cell the comment is about.")
            return _back(change_request)
        anchor = chosen.data
    try:
        comment = diff_comment_post(
            change_request=change_request,
            author=request.user,
            body=request.POST.get("body", ""),
            anchor=anchor,
            # Through the one number parser: a junk or 5,000-digit id answers nothing, not a 500.
            parent_id=int_or_default(parent_id, 0, minimum=1) or None,
        )
    except DiffCommentError as error:
        messages.error(request, str(error))
        return _back(change_request)
    messages.success(request, "Your comment is posted.")
    return _back(change_request, comment.parent or comment)


@require_POST
@permission_view
def comment_resolve(request, request_id: int, comment_id: int):
    require(request, can_see_reviews(request.user))
    change_request = change_request_get(request_id=request_id)
    require(request, can_comment_on_diff(request.user, change_request))
    resolved = request.POST.get("resolved", "1") == "1"
    try:
        comment = diff_comment_resolve(
            comment_id=comment_id, change_request=change_request, user=request.user, resolved=resolved
        )
    except DiffCommentError as error:
        messages.error(request, str(error))
        return _back(change_request)
    messages.success(request, "Marked resolved." if resolved else "Opened again.")
    return _back(change_request, comment)
