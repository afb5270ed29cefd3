"""Every change to a discussion by its participants: threads, comments, mentions.

Moderators' actions are in ``notes.services.moderation``, notifications (mentions,
replies, watched threads) and their e-mail in ``notes.services.notifications``; who posts
watches the thread (``notes.services.watching``). Each function checks, does and
notifies, in one transaction. Functions that change a thread or its comments first lock
the thread row (``thread_for_update``), so two requests on the same thread run one after
the other: a reply cannot slip into a thread being locked, two replies cannot take the
same place in the tree. Refusals raise ``DiscussionError`` with a message meant for the
user; a caller without the right gets ``PermissionDenied`` (views check first).
"""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notes import permissions
from notes.lib.anchors import Anchor, chapter_anchors
from notes.lib.limits import (
    MAX_ANCHOR_LABEL_LENGTH,
    MAX_COMMENT_BYTES,
    MAX_REASON_LENGTH,
    MAX_THREAD_TITLE_LENGTH,
    size_text,
    text_structure_refusal,
)
from notes.lib.markup import render_markdown
from notes.lib.mentions import find_mentions, link_mentions
from notes.lib.page_cache import page_cache_expire
from notes.models import Chapter, Comment, CommentRevision, ModerationLog, Thread
from notes.models.discussions import MAX_DISPLAY_DEPTH, comment_path
from notes.models.webhooks import WebhookEvent
from notes.services.notifications import notify_comment, notify_new_mentions
from notes.services.quotes import QuoteError, QuoteSelection, quote_anchor_create, quote_resolve
from notes.services.search import search_document_refresh, search_documents_refresh_thread
from notes.services.watching import watch_automatically
from notes.services.webhooks import comment_event_emit, thread_event_emit

# Without a one-time token, the same text posted twice by the same person in the same
# place within this time is taken for a double submission. With one, the token decides:
# two forms, each with its own token, are two deliberate posts ("Agreed." twice).
DUPLICATE_WINDOW = datetime.timedelta(seconds=10)


class DiscussionError(Exception):
    """A refused discussion action; the message is shown to the user as is."""


class DuplicateSubmission(DiscussionError):
    """The form was sent twice; ``comment`` is what the first submission posted (if known)."""

    def __init__(self, message: str, comment: Comment | None = None) -> None:
        super().__init__(message)
        self.comment = comment


class ChangedResubmission(DiscussionError):
    """The form was sent before, but this time with other text (back, edit, send again).

    Nothing is posted; the text is not a duplicate, so the caller shows the form again
    with it, under a fresh token, for the user to send once more.
    """


# --- Threads and comments ----------------------------------------------------------------


@transaction.atomic
def thread_start(
    *,
    chapter: Chapter,
    author,
    title: str,
    body: str,
    anchor: str = "",
    quote: QuoteSelection | None = None,
    submission_token: uuid.UUID | None = None,
) -> Thread:
    """Start a thread on ``chapter`` with its first comment.

    ``anchor`` is ``"heading:<id>"`` or ``"table:<slug>"`` of this chapter, or empty.
    ``quote`` starts it on a passage of the chapter's current text (refused when the
    passage is not in it); it is found with the chapter's row locked, so a version being
    published meanwhile re-anchors it or is read after it.
    """
    if not permissions.can_discuss(author):
        raise PermissionDenied("You need a role in the wiki to start a thread.")
    title = clean_title(title)
    body = _clean_body(body)
    rendered = _render(body)  # before any row lock: see _render
    if quote is not None and anchor:
        raise DiscussionError("A thread is about a quote or about a heading or table, not both.")
    anchor_found = _find_anchor(chapter, anchor)
    quoted = None
    if quote is not None:
        chapter = Chapter.objects.select_for_update().select_related("book").get(pk=chapter.pk)
        try:
            quoted = quote_resolve(body_html=chapter.body_html, selection=quote)
        except QuoteError as error:
            raise DiscussionError(str(error)) from None
    _refuse_duplicate_token(submission_token, body=body, title=title)
    now = timezone.now()
    if submission_token is None:
        recent_same = Comment.objects.filter(
            author=author,
            path=comment_path("", 1),
            thread__chapter=chapter,
            thread__title=title,
            body=body,
            created_at__gte=now - DUPLICATE_WINDOW,
        ).first()
        if recent_same is not None:
            raise DuplicateSubmission(
                "This thread was already started; the second submission was ignored.", recent_same
            )
    thread = Thread.objects.create(
        chapter=chapter,
        title=title,
        author=author,
        anchor_kind=anchor_found.kind if anchor_found else "",
        anchor_value=anchor_found.value if anchor_found else "",
        anchor_label=(anchor_found.label if anchor_found else "")[:MAX_ANCHOR_LABEL_LENGTH],
        created_at=now,
        last_activity_at=now,
    )
    if quoted is not None:
        quote_anchor_create(thread=thread, chapter=chapter, quote=quoted)
    _comment_create(
        thread=thread,
        author=author,
        body=body,
        rendered=rendered,
        parent=None,
        token=submission_token,
        now=now,
        starts_thread=True,
    )
    chapter_pages_expire(chapter)
    search_documents_refresh_thread(thread=thread, with_comments=False)
    return thread


@transaction.atomic
def comment_post(
    *,
    thread: Thread,
    author,
    body: str,
    parent_id: int | None = None,
    submission_token: uuid.UUID | None = None,
) -> Comment:
    """Reply in ``thread``: to the thread (top level) or to the comment ``parent_id``."""
    if not permissions.can_discuss(author):
        raise PermissionDenied("You need a role in the wiki to reply.")
    body = _clean_body(body)
    rendered = _render(body)  # before the thread's row lock: see _render
    thread = thread_for_update(thread.pk)
    if thread.is_locked:
        raise DiscussionError("This thread is locked: it takes no more replies.")
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id).first()
        if parent is None or parent.thread_id != thread.pk:
            raise DiscussionError("You can only reply to a comment of this thread.")
        if parent.is_deleted:
            raise DiscussionError("That comment was deleted; reply to the thread instead.")
    _refuse_duplicate_token(submission_token, body=body)
    now = timezone.now()
    if submission_token is None:
        recent_same = Comment.objects.filter(
            thread=thread, author=author, parent=parent, body=body, created_at__gte=now - DUPLICATE_WINDOW
        ).first()
        if recent_same is not None:
            raise DuplicateSubmission(
                "You just posted this comment; the second submission was ignored.", recent_same
            )
    return _comment_create(
        thread=thread,
        author=author,
        body=body,
        rendered=rendered,
        parent=parent,
        token=submission_token,
        now=now,
    )


@transaction.atomic
def comment_edit(*, comment: Comment, editor, body: str) -> Comment:
    """Replace the comment's text, keeping the previous text as a revision.

    Sending the same text again changes nothing (a resent edit form is harmless).
    """
    body = _clean_body(body)
    rendered = _render(body)  # before the thread's row lock: see _render
    thread = thread_for_update(comment.thread_id)
    comment = Comment.objects.get(pk=comment.pk)
    comment.thread = thread
    if not permissions.is_comment_author(editor, comment):
        raise PermissionDenied("Only the author edits a comment.")
    refusal = comment.edit_refusal()
    if refusal:
        raise DiscussionError(refusal)
    if body == comment.body:
        return comment
    now = timezone.now()
    CommentRevision.objects.create(
        comment=comment, body=comment.body, body_html=comment.body_html, replaced_at=now, replaced_by=editor
    )
    comment.body = body
    comment.body_html, mentioned = rendered
    comment.edited_at = now
    comment.save(update_fields=["body", "body_html", "edited_at"])
    search_document_refresh(obj=comment)
    notify_new_mentions(comment, mentioned)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor) -> Comment:
    """Remove the comment's text; it keeps its place so the replies keep theirs.

    The removed text is kept as a revision, which only moderators can read.
    """
    thread = thread_for_update(comment.thread_id)
    comment = Comment.objects.get(pk=comment.pk)
    if not permissions.is_comment_author(actor, comment):
        raise PermissionDenied("Only the author deletes a comment.")
    if comment.is_deleted:
        raise DiscussionError("This comment is already deleted.")
    if thread.is_locked:
        raise DiscussionError("This thread is locked: its comments can no longer be deleted.")
    now = timezone.now()
    CommentRevision.objects.create(
        comment=comment, body=comment.body, body_html=comment.body_html, replaced_at=now, replaced_by=actor
    )
    comment.body = ""
    comment.body_html = ""
    comment.is_deleted = True
    comment.save(update_fields=["body", "body_html", "is_deleted"])
    search_document_refresh(obj=comment)
    return comment


@transaction.atomic
def thread_resolve(*, thread: Thread, actor, reason: str = "") -> Thread:
    """Mark the thread resolved: its starter, or a moderator (logged with ``reason``)."""
    return _thread_resolution(thread=thread, actor=actor, is_resolved=True, reason=reason)


@transaction.atomic
def thread_reopen(*, thread: Thread, actor, reason: str = "") -> Thread:
    """Reopen the thread: its starter, or a moderator (logged with ``reason``)."""
    return _thread_resolution(thread=thread, actor=actor, is_resolved=False, reason=reason)


def _thread_resolution(*, thread: Thread, actor, is_resolved: bool, reason: str) -> Thread:
    reason = clean_reason(reason, required=False)
    thread = thread_for_update(thread.pk)
    if not permissions.can_resolve_thread(actor, thread):
        raise PermissionDenied("Only the thread's starter or a moderator resolves or reopens it.")
    if thread.is_resolved == is_resolved:
        raise DiscussionError(
            "This thread is already resolved." if is_resolved else "This thread is already open."
        )
    thread.is_resolved = is_resolved
    # When it was resolved (None while open): a reading group's meeting lists what was
    # resolved since the previous meeting.
    thread.resolved_at = timezone.now() if is_resolved else None
    thread.save(update_fields=["is_resolved", "resolved_at"])
    if permissions.resolves_as_moderator(actor, thread):
        action = ModerationLog.Action.RESOLVE if is_resolved else ModerationLog.Action.REOPEN
        ModerationLog.objects.create(actor=actor, action=action, thread=thread, reason=reason)
    if is_resolved:
        thread_event_emit(event=WebhookEvent.THREAD_RESOLVED, thread=thread, actor=actor)
    return thread


# --- Shared with notes.services.moderation ------------------------------------------------------


def thread_for_update(thread_id: int) -> Thread:
    """The thread read with its row locked until the transaction ends.

    Every write to a discussion goes through here, so this is also where the cached
    anonymous pages of the thread's chapter are expired (when the transaction commits).
    """
    thread = Thread.objects.select_for_update(of=("self",)).select_related("chapter__book").get(pk=thread_id)
    chapter_pages_expire(thread.chapter)
    return thread


def chapter_pages_expire(chapter: Chapter) -> None:
    page_cache_expire(book_slug=chapter.book.slug, number=chapter.number)


def clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DiscussionError("Give a reason: readers of the moderation log need to know why.")
    if len(reason) > MAX_REASON_LENGTH:
        raise DiscussionError(f"A reason can be at most {MAX_REASON_LENGTH} characters.")
    return reason


def clean_title(title: str) -> str:
    """The title with its whitespace collapsed; refused when empty or too long."""
    title = " ".join((title or "").split())
    if not title:
        raise DiscussionError("A thread needs a title.")
    if len(title) > MAX_THREAD_TITLE_LENGTH:
        raise DiscussionError(f"A thread title can be at most {MAX_THREAD_TITLE_LENGTH} characters.")
    return title


def anchor_in(chapter: Chapter, key: str) -> Anchor | None:
    """The place of ``chapter`` named by ``key`` ("heading:<id>", "table:<slug>"), or None."""
    tables = chapter.tables.only("slug", "title")
    return next(
        (
            anchor
            for anchor in chapter_anchors(body_html=chapter.body_html, tables=tables)
            if anchor.key == key
        ),
        None,
    )


# --- Helpers -----------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DiscussionError("A comment cannot be empty.")
    size = len(body.encode("utf-8"))
    if size > MAX_COMMENT_BYTES:
        raise DiscussionError(
            f"A comment can be at most {size_text(MAX_COMMENT_BYTES)}; this one is {-(-size // 1024)} KB."
        )
    refusal = text_structure_refusal(body, what="The comment")
    if refusal:
        raise DiscussionError(refusal)
    return body


def _find_anchor(chapter: Chapter, key: str) -> Anchor | None:
    if not key:
        return None
    anchor = anchor_in(chapter, key)
    if anchor is None:
        raise DiscussionError("That heading or table is not in this chapter; choose one from the list.")
    return anchor


def _refuse_duplicate_token(token: uuid.UUID | None, *, body: str, title: str | None = None) -> None:
    """Refuse a form whose one-time token already posted: a duplicate, or a changed resend.

    ``title`` is given for a thread's first comment, whose form also carries the title.
    """
    if token is None:
        return
    earlier = Comment.objects.filter(submission_token=token).select_related("thread").first()
    if earlier is None:
        return
    if earlier.body == body and (title is None or earlier.thread.title == title):
        raise DuplicateSubmission("This form was already sent; the second submission was ignored.", earlier)
    if title is None:
        raise ChangedResubmission(
            "This form was already sent once, so this new text was not posted. "
            "It is kept below: send it again to post it as a new comment."
        )
    raise ChangedResubmission(
        "This form was already sent once, so this thread was not started. "
        "What you typed is kept below: send it again to start it as a new thread."
    )


def _comment_create(
    *,
    thread: Thread,
    author,
    body: str,
    rendered: tuple[str, list],
    parent: Comment | None,
    token,
    now,
    starts_thread: bool = False,
) -> Comment:
    """Create the comment at the end of its place in the tree; the thread row is locked.

    ``rendered`` is what ``_render`` made of ``body``, before the lock was taken.

    Then the author watches the thread, and everyone it concerns is notified.
    """
    if parent is None:
        thread.top_level_count += 1
        path, depth = comment_path("", thread.top_level_count), 0
    else:
        depth = parent.depth + 1
        # Past the depth limit a reply goes after its parent, under the same comment.
        holder = parent
        if parent.depth >= MAX_DISPLAY_DEPTH:
            holder = Comment.objects.get(thread=thread, path=parent.path.rpartition(".")[0])
        holder.reply_count += 1
        holder.save(update_fields=["reply_count"])
        path = comment_path(holder.path, holder.reply_count)
    body_html, mentioned = rendered
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                thread=thread,
                parent=parent,
                author=author,
                body=body,
                body_html=body_html,
                depth=depth,
                path=path,
                created_at=now,
                submission_token=token,
            )
    except IntegrityError:
        if token is None:
            raise
        # The same one-time token committed by a concurrent request a moment ago.
        raise DuplicateSubmission("This form was already sent; the second submission was ignored.") from None
    thread.comment_count += 1
    thread.last_activity_at = now
    thread.save(update_fields=["top_level_count", "comment_count", "last_activity_at"])
    search_document_refresh(obj=comment)
    watch_automatically(user=author, target=thread)
    notify_comment(comment, mentioned=mentioned, starts_thread=starts_thread)
    if starts_thread:
        thread_event_emit(event=WebhookEvent.THREAD_STARTED, thread=thread, actor=author)
    else:
        comment_event_emit(comment=comment)
    return comment


def _render(body: str) -> tuple[str, list]:
    """The comment's stored HTML, with mentions of existing users linked, and those users
    in the order they are first mentioned.

    Called before the thread's row is locked: rendering takes time in proportion to the
    text, and every other reply to the thread waits on that lock.
    """
    # No heading ids: a heading in a comment must not take an id the thread page uses.
    html = render_markdown(body, heading_ids=False)
    names = find_mentions(html)
    if not names:
        return html, []
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=names, is_active=True)
    }
    if not users:
        return html, []
    html = link_mentions(
        html,
        lambda name: reverse("notes:user-comments", kwargs={"username": name}) if name in users else None,
    )
    return html, [users[name] for name in names if name in users]
