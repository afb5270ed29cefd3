"""Moderators' actions on discussions: hide and unhide comments; lock, pin, move and rename threads.

Each action is refused to anyone who cannot moderate, locks the thread row like the
participants' actions in ``notes.services.discussions``, refuses an action that would
change nothing, and writes one ``ModerationLog`` row (who, what, when, why). The site's
views and the Django admin's bulk actions both call these functions.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from notes import permissions
from notes.lib.limits import MAX_ANCHOR_LABEL_LENGTH, MAX_MODERATION_DETAILS_LENGTH
from notes.models import Chapter, Comment, ModerationLog, QuoteAnchor, Thread
from notes.services.discussions import (
    DiscussionError,
    anchor_in,
    chapter_pages_expire,
    clean_reason,
    clean_title,
    thread_for_update,
)
from notes.services.quotes import quotes_reanchor
from notes.services.search import search_document_refresh, search_documents_refresh_thread


@transaction.atomic
def comment_hide(*, comment: Comment, moderator, reason: str) -> Comment:
    """Hide the comment's text from everyone but moderators; a reason is required."""
    _require_moderator(moderator)
    reason = clean_reason(reason, required=True)
    thread_for_update(comment.thread_id)
    comment = Comment.objects.get(pk=comment.pk)
    if comment.is_deleted:
        raise DiscussionError("This comment was deleted; there is no text to hide.")
    if comment.is_hidden:
        raise DiscussionError("This comment is already hidden.")
    comment.is_hidden = True
    comment.hidden_reason = reason
    comment.hidden_by = moderator
    comment.hidden_at = timezone.now()
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    search_document_refresh(obj=comment)
    ModerationLog.objects.create(
        actor=moderator,
        action=ModerationLog.Action.HIDE,
        thread_id=comment.thread_id,
        comment=comment,
        reason=reason,
    )
    return comment


@transaction.atomic
def comment_unhide(*, comment: Comment, moderator, reason: str = "") -> Comment:
    _require_moderator(moderator)
    reason = clean_reason(reason, required=False)
    thread_for_update(comment.thread_id)
    comment = Comment.objects.get(pk=comment.pk)
    if comment.is_deleted:
        # Its author deleted it while hidden: there is no text to show again.
        raise DiscussionError("This comment was deleted; there is no text to show again.")
    if not comment.is_hidden:
        raise DiscussionError("This comment is not hidden.")
    comment.is_hidden = False
    comment.hidden_reason = ""
    comment.hidden_by = None
    comment.hidden_at = None
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    search_document_refresh(obj=comment)
    ModerationLog.objects.create(
        actor=moderator,
        action=ModerationLog.Action.UNHIDE,
        thread_id=comment.thread_id,
        comment=comment,
        reason=reason,
    )
    return comment


@transaction.atomic
def thread_lock(*, thread: Thread, moderator, reason: str = "") -> Thread:
    """Lock the thread: no more replies or edits until it is unlocked."""
    return _thread_flag(thread, moderator, reason, "is_locked", True, ModerationLog.Action.LOCK)


@transaction.atomic
def thread_unlock(*, thread: Thread, moderator, reason: str = "") -> Thread:
    return _thread_flag(thread, moderator, reason, "is_locked", False, ModerationLog.Action.UNLOCK)


@transaction.atomic
def thread_pin(*, thread: Thread, moderator, reason: str = "") -> Thread:
    """Pin the thread to the top of its chapter's list."""
    return _thread_flag(thread, moderator, reason, "is_pinned", True, ModerationLog.Action.PIN)


@transaction.atomic
def thread_unpin(*, thread: Thread, moderator, reason: str = "") -> Thread:
    return _thread_flag(thread, moderator, reason, "is_pinned", False, ModerationLog.Action.UNPIN)


_ALREADY = {
    ModerationLog.Action.LOCK: "This thread is already locked.",
    ModerationLog.Action.UNLOCK: "This thread is not locked.",
    ModerationLog.Action.PIN: "This thread is already pinned.",
    ModerationLog.Action.UNPIN: "This thread is not pinned.",
}


def _thread_flag(thread: Thread, moderator, reason: str, field: str, value: bool, action) -> Thread:
    _require_moderator(moderator)
    reason = clean_reason(reason, required=False)
    thread = thread_for_update(thread.pk)
    if getattr(thread, field) == value:
        raise DiscussionError(_ALREADY[action])
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    ModerationLog.objects.create(actor=moderator, action=action, thread=thread, reason=reason)
    return thread


@transaction.atomic
def thread_move(*, thread: Thread, moderator, chapter: Chapter, reason: str = "") -> Thread:
    """Move the thread to another chapter (of any book); an anchor the target lacks is dropped."""
    _require_moderator(moderator)
    reason = clean_reason(reason, required=False)
    thread = thread_for_update(thread.pk)
    if thread.chapter_id == chapter.pk:
        raise DiscussionError("The thread is already in that chapter.")
    source = Chapter.objects.select_related("book").get(pk=thread.chapter_id)
    target = Chapter.objects.select_related("book").get(pk=chapter.pk)
    details = f"From {source.book.title}, {source} to {target.book.title}, {target}."
    if thread.anchor_kind:
        anchor = anchor_in(target, thread.anchor_key)
        if anchor is None:
            details += f" Its anchor {thread.anchor_key} is not in that chapter and was dropped."
            thread.anchor_kind = thread.anchor_value = thread.anchor_label = ""
        else:
            thread.anchor_label = anchor.label[:MAX_ANCHOR_LABEL_LENGTH]
    thread.chapter = target
    thread.save(update_fields=["chapter", "anchor_kind", "anchor_value", "anchor_label"])
    # A quote is found in the new chapter's text, or orphaned there: never left pointing
    # at offsets of the chapter it came from.
    quotes = list(QuoteAnchor.objects.select_for_update().filter(thread=thread))
    for quote in quotes_reanchor(chapter=target, anchors=quotes):
        if quote.is_orphaned:
            details += " Its quote is not in that chapter: it is shown as orphaned."
    chapter_pages_expire(target)  # the source's pages were expired when the thread was locked
    search_documents_refresh_thread(thread=thread)
    ModerationLog.objects.create(
        actor=moderator,
        action=ModerationLog.Action.MOVE,
        thread=thread,
        reason=reason,
        details=details[:MAX_MODERATION_DETAILS_LENGTH],
    )
    return thread


@transaction.atomic
def thread_rename(*, thread: Thread, moderator, title: str, reason: str) -> Thread:
    """Give the thread a new title; a reason is required.

    A title cannot be hidden like a comment, and it shows on the thread list, the thread
    page, notifications, mention e-mails and the log, so an abusive one is replaced. The
    old title is kept only in the log entry, which moderators alone read; the thread
    records when it was renamed so its page can say that it was, not what it said.
    """
    _require_moderator(moderator)
    title = clean_title(title)
    reason = clean_reason(reason, required=True)
    thread = thread_for_update(thread.pk)
    if thread.title == title:
        raise DiscussionError("The thread already has that title.")
    old_title = thread.title
    thread.title = title
    thread.renamed_at = timezone.now()
    thread.save(update_fields=["title", "renamed_at"])
    search_documents_refresh_thread(thread=thread)
    ModerationLog.objects.create(
        actor=moderator,
        action=ModerationLog.Action.RENAME,
        thread=thread,
        reason=reason,
        details=f"Was titled “{old_title}”.",
    )
    return thread


def _require_moderator(user) -> None:
    if not permissions.can_moderate(user):
        raise PermissionDenied("Only moderators do that.")
