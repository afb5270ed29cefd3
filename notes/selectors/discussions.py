"""Read queries for discussions. Each page's queries are fixed in number, whatever the data."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from notes import permissions
from notes.lib.anchors import Anchor, anchor_key, chapter_anchors
from notes.models import Chapter, Comment, ModerationLog, Notification, QuoteAnchor, Thread
from notes.models.discussions import COMMENTS_PER_PAGE


def anchors_of(chapter: Chapter) -> list[Anchor]:
    """The places of ``chapter`` a thread can point at; its tables must be prefetched."""
    return chapter_anchors(body_html=chapter.body_html, tables=chapter.tables.all())


@dataclass
class DiscussionSummary:
    """Thread counts of one chapter: open, all, and per place (anchor key -> count)."""

    open_count: int = 0
    total_count: int = 0
    anchors: dict[str, int] = field(default_factory=dict)


def chapter_discussion_summary(*, chapter: Chapter) -> DiscussionSummary:
    """Thread counts of ``chapter`` in one query."""
    summary = DiscussionSummary()
    rows = (
        Thread.objects.filter(chapter=chapter)
        .values("anchor_kind", "anchor_value", "is_resolved")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        summary.total_count += row["count"]
        if not row["is_resolved"]:
            summary.open_count += row["count"]
        key = anchor_key(row["anchor_kind"], row["anchor_value"])
        if key:
            summary.anchors[key] = summary.anchors.get(key, 0) + row["count"]
    return summary


THREAD_STATES = ("open", "resolved", "all")


def thread_list(
    *, chapter: Chapter, state: str = "open", anchor_key: str = "", quote: tuple[int, int] | None = None
) -> QuerySet[Thread]:
    """The chapter's threads, pinned first then most recently active; ``state`` filters,
    and so do ``anchor_key`` (a heading or table) and ``quote`` (the quoted passage's
    start and end)."""
    threads = Thread.objects.filter(chapter=chapter).select_related("author__profile")
    if state == "open":
        threads = threads.filter(is_resolved=False)
    elif state == "resolved":
        threads = threads.filter(is_resolved=True)
    if anchor_key:
        kind, _, value = anchor_key.partition(":")
        threads = threads.filter(anchor_kind=kind, anchor_value=value)
    if quote is not None:
        threads = threads.filter(
            quote__start=quote[0], quote__end=quote[1], quote__status=QuoteAnchor.Status.ANCHORED
        )
    return threads


def involvement_filter(user) -> Q:
    """Threads ``user`` is involved in: started, commented in, or was mentioned in (by the
    notification a mention leaves, the one record of it)."""
    mentioned = Notification.objects.filter(recipient=user, kind=Notification.Kind.MENTION).values(
        "thread_id"
    )
    return Q(author=user) | Q(comments__author=user) | Q(pk__in=mentioned)


def involved_thread_ids(*, user, thread_ids) -> set[int]:
    """Those of ``thread_ids`` the user is involved in (never folded for them). One query,
    and none when nothing could be folded for the user anyway."""
    thread_ids = {pk for pk in thread_ids if pk}
    if not thread_ids or not permissions.spoiler_limits(user):
        return set()
    return set(
        Thread.objects.filter(pk__in=thread_ids)
        .filter(involvement_filter(user))
        .values_list("pk", flat=True)
        .distinct()
    )


def involved_threads(*, user, chapter: Chapter) -> list[Thread]:
    """The chapter's threads the user is involved in, newest first (the spoiler gate lists
    them: a member's own threads stay reachable past their progress)."""
    if not user.is_authenticated:
        return []
    return list(
        Thread.objects.filter(chapter=chapter)
        .filter(involvement_filter(user))
        .distinct()
        .select_related("chapter__book")
        .order_by("-id")[:50]
    )


def thread_get(*, thread_id: int) -> Thread:
    """The thread with its chapter, book and author (one query)."""
    return get_object_or_404(
        Thread.objects.select_related("chapter__book", "author__profile", "quote"), pk=thread_id
    )


def chapter_for_discussion(*, book_slug: str, number: int) -> Chapter:
    """The chapter with its book; its tables are prefetched for the anchors (two queries)."""
    return get_object_or_404(
        Chapter.objects.select_related("book").prefetch_related("tables"),
        book__slug=book_slug,
        number=number,
    )


def thread_page(*, thread: Thread, page: int | str | None = 1) -> Page:
    """One page of the thread's comments in tree order (two queries: count and page).

    Each comment on the page gets ``reply_to``: the comment it answers when that one is
    not shown just above it (a reply past the depth limit, or the first replies of a page
    whose parent is on the page before). An unknown page number gives the nearest page.
    """
    comments = (
        Comment.objects.filter(thread=thread)
        .select_related("author__profile", "hidden_by__profile", "parent__author__profile")
        .defer("parent__body", "parent__body_html")
        .order_by("path")
    )
    result = Paginator(comments, COMMENTS_PER_PAGE).get_page(page)
    shown = {comment.pk for comment in result}
    for comment in result:
        comment.reply_to = (
            comment.parent
            if comment.parent_id and (comment.is_flattened or comment.parent_id not in shown)
            else None
        )
    return result


def comment_page_number(*, comment: Comment) -> int:
    """The page of its thread that shows ``comment`` (one query)."""
    before = Comment.objects.filter(thread_id=comment.thread_id, path__lt=comment.path).count()
    return before // COMMENTS_PER_PAGE + 1


def comment_get(*, comment_id: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("thread__chapter__book", "author"), pk=comment_id)


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's notifications, newest first, with what each page shows (one query a page)."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related(
            "actor", "book", "chapter__book", "thread__chapter__book", "comment", "change_request"
        )
        .order_by("-created_at", "-id")
    )


def unread_notification_count(*, user) -> int:
    """How many of the user's notifications are new since the list was last opened (one
    query on the index of the unseen)."""
    if not user.is_authenticated:
        return 0
    known = getattr(user, "_wiki_unread", None)  # the session's user: counted with them
    if known is not None:
        return known
    return Notification.objects.filter(recipient=user, seen_at=None).count()


def moderation_log() -> QuerySet[ModerationLog]:
    return ModerationLog.objects.select_related("actor", "thread__chapter__book", "comment")


def user_get(*, username: str):
    return get_object_or_404(get_user_model(), username=username, is_active=True)


def user_comments(*, author, viewer, limit: int = 50) -> list[Comment]:
    """The author's latest comments the viewer may read (one query)."""
    comments = Comment.objects.filter(author=author).select_related("thread__chapter__book")
    if not permissions.can_moderate(viewer):
        comments = comments.filter(is_hidden=False, is_deleted=False)
    return list(comments.order_by("-created_at", "-id")[:limit])


@dataclass
class ChapterQuotes:
    """The quotes of a chapter's threads: the passages to highlight, each once with its
    thread count (``{"start", "end", "exact", "threads", "url"}``, in text order), and the
    orphaned quotes with their threads."""

    highlights: list[dict] = field(default_factory=list)
    orphaned: list = field(default_factory=list)


def chapter_quotes(*, chapter: Chapter) -> ChapterQuotes:
    """The chapter's quotes in one query, whatever their number."""
    anchors = (
        QuoteAnchor.objects.filter(thread__chapter=chapter)
        .select_related("thread")
        .defer("thread__anchor_label")
        .order_by("start", "end", "-thread__last_activity_at", "id")
    )
    result = ChapterQuotes()
    passages: dict[tuple[int, int], dict] = {}
    list_url = reverse("notes:thread-list", kwargs={"book_slug": chapter.book.slug, "number": chapter.number})
    for anchor in anchors:
        anchor.thread.chapter = chapter  # for its URL, without a query
        if anchor.is_orphaned:
            result.orphaned.append(anchor)
            continue
        passage = passages.get((anchor.start, anchor.end))
        if passage is None:
            passage = passages[(anchor.start, anchor.end)] = {
                "start": anchor.start,
                "end": anchor.end,
                "exact": anchor.exact,
                "threads": 0,
                "url": anchor.thread.get_absolute_url(),
            }
            result.highlights.append(passage)
        passage["threads"] += 1
        if passage["threads"] > 1:  # several threads on the same words: the list of them
            passage["url"] = f"{list_url}?filter=all&quote={anchor.start}-{anchor.end}"
    return result
