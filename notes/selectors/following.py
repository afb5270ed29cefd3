"""Reads for following: watch buttons, what a person watches, and the Atom feeds."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from notes import permissions
from notes.models import Book, Chapter, Comment, Thread, Watch
from notes.models.history import SUMMARIZED

FEED_LIMIT = 50


@dataclass(frozen=True)
class WatchState:
    """How the viewer follows one page: ``is_watching`` it itself, and/or through the
    book or chapter around it (``covered_by`` is "book", "chapter" or "")."""

    can_watch: bool
    is_watching: bool = False
    covered_by: str = ""


def watch_state(*, user, target: Book | Chapter | Thread) -> WatchState:
    """None for the session's user (their watches came with them) and for anonymous
    visitors; one query for any other user."""
    if not permissions.can_watch(user):
        return WatchState(can_watch=False)
    if isinstance(target, Thread):
        own = "thread"
        where = Q(thread_id=target.pk) | Q(chapter_id=target.chapter_id) | Q(book_id=target.chapter.book_id)
    elif isinstance(target, Chapter):
        own = "chapter"
        where = Q(chapter_id=target.pk) | Q(book_id=target.book_id)
    else:
        own = "book"
        where = Q(book_id=target.pk)
    known = getattr(user, "_wiki_watches", None)  # the session's user: all their watches
    if known is not None:
        kinds = {kind for kind, target_id in known if (kind, target_id) in _around(target)}
    else:
        kinds = {
            watch.target_kind
            for watch in Watch.objects.filter(where, user=user).only("book_id", "chapter_id", "thread_id")
        }
    covered_by = (
        "book"
        if "book" in kinds and own != "book"
        else "chapter"
        if "chapter" in kinds and own == "thread"
        else ""
    )
    return WatchState(can_watch=True, is_watching=own in kinds, covered_by=covered_by)


def _around(target: Book | Chapter | Thread) -> set[tuple[str, int]]:
    """The watches that cover ``target``: its own and those of the pages around it."""
    if isinstance(target, Thread):
        return {("thread", target.pk), ("chapter", target.chapter_id), ("book", target.chapter.book_id)}
    if isinstance(target, Chapter):
        return {("chapter", target.pk), ("book", target.book_id)}
    return {("book", target.pk)}


def watched_keys(*, user) -> set[tuple[str, int]]:
    """``(kind, id)`` of everything the user watches (one query): which notifications still
    have a watch to end."""
    return {
        (watch.target_kind, watch.target_id)
        for watch in Watch.objects.filter(user=user).only("book_id", "chapter_id", "thread_id")
    }


def watch_list(*, user) -> QuerySet[Watch]:
    """What the user watches, newest first, with the names the settings page shows (one query)."""
    return Watch.objects.filter(user=user).select_related("book", "chapter__book", "thread__chapter__book")


def chapter_versions(*, chapter: Chapter, limit: int = FEED_LIMIT) -> list:
    """The chapter's published versions, newest first (one query; imports count too)."""
    rows = (
        Chapter.history.filter(SUMMARIZED, id=chapter.pk)
        .defer("body")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return list(rows[:limit])


def thread_feed_comments(*, thread: Thread, limit: int = FEED_LIMIT) -> list[Comment]:
    """The thread's newest comments that everyone may read: none hidden, none deleted."""
    return list(
        Comment.objects.filter(thread=thread, is_hidden=False, is_deleted=False)
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
