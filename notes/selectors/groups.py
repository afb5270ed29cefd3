"""Read queries for reading groups. Each page's queries are fixed in number."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from notes import permissions
from notes.models import Book, Chapter, GroupMembership, Meeting, ReadingGroup, Thread


def group_get(*, slug: str) -> ReadingGroup:
    """The group with its book (one query), or 404."""
    return get_object_or_404(ReadingGroup.objects.select_related("book"), slug=slug)


def is_member(*, group: ReadingGroup, user) -> bool:
    """One query (none for anonymous users)."""
    if not user.is_authenticated:
        return False
    return GroupMembership.objects.filter(group=group, user=user).exists()


def calendar_membership(*, group: ReadingGroup, token: str | None) -> GroupMembership | None:
    """The membership of ``group`` whose calendar token is ``token`` (one query; none without
    a token), or None. Found by the unique index, then compared again in constant time."""
    if not token or len(token) > 64:
        return None
    membership = (
        GroupMembership.objects.select_related("user").filter(group=group, calendar_token=token).first()
    )
    if membership is None or not permissions.same_secret(token, membership.calendar_token):
        return None
    return membership


def own_calendar_token(*, group: ReadingGroup, user) -> str:
    """The user's calendar token in the group ("" for a non-member); one query."""
    if not user.is_authenticated:
        return ""
    return (
        GroupMembership.objects.filter(group=group, user=user)
        .values_list("calendar_token", flat=True)
        .first()
        or ""
    )


def visible_group_get(*, slug: str, user) -> tuple[ReadingGroup, bool]:
    """The group and whether ``user`` is a member (two queries); 404 for a group they may not
    see, as for one that does not exist: a private group's address tells outsiders nothing."""
    group = group_get(slug=slug)
    member = is_member(group=group, user=user)
    if not permissions.can_see_group(user, group, is_member=member):
        raise Http404("No such reading group.")
    return group, member


def book_groups(*, book: Book, user) -> list[ReadingGroup]:
    """The book's groups ``user`` may see, each with ``is_member`` (one query)."""
    groups = ReadingGroup.objects.filter(book=book)
    if user.is_authenticated:
        groups = groups.annotate(
            is_member=Exists(GroupMembership.objects.filter(group=OuterRef("pk"), user=user))
        )
    visible = []
    for group in groups:
        member = getattr(group, "is_member", False)
        group.is_member = member
        if permissions.can_see_group(user, group, is_member=member):
            visible.append(group)
    return visible


def book_progress(*, user, book_id: int) -> int | None:
    """The user's progress in the book (highest over their groups of it), or None when they
    are in no group of it (the request's one query of reading progress, shared with the
    spoiler rule; none for anonymous users)."""
    return permissions.reading_progress(user).get(book_id)


@dataclass
class GroupPage:
    memberships: list[GroupMembership]
    next_meeting: Meeting | None
    upcoming: list[Meeting]
    past: list[Meeting]
    chapters: dict[int, Chapter] = field(default_factory=dict)
    behind_chapter: int | None = None


def group_page(*, group: ReadingGroup, now: datetime.datetime | None = None) -> GroupPage:
    """Members with their progress, meetings split at ``now``, the book's chapters (three
    queries, whatever the numbers of members and meetings).

    A member is behind when the latest past meeting covered a chapter past their progress.
    """
    now = now or timezone.now()
    memberships = list(group.memberships.select_related("user").order_by("user__username"))
    meetings = list(group.meetings.order_by("starts_at", "id"))
    chapters = {
        chapter.number: chapter
        for chapter in Chapter.objects.filter(book_id=group.book_id).only("id", "number", "title", "book_id")
    }
    for meeting in meetings:
        # (number, whether the book has that chapter): the page links the ones it has.
        meeting.chapter_entries = [(number, number in chapters) for number in meeting.chapter_numbers]
    past = [meeting for meeting in meetings if meeting.starts_at <= now]
    upcoming = [meeting for meeting in meetings if meeting.starts_at > now]
    behind_chapter = past[-1].last_chapter if past else None
    for membership in memberships:
        membership.is_behind = behind_chapter is not None and (membership.progress or 0) < behind_chapter
    return GroupPage(
        memberships=memberships,
        next_meeting=upcoming[0] if upcoming else None,
        upcoming=upcoming,
        past=past[::-1],
        chapters=chapters,
        behind_chapter=behind_chapter,
    )


def meeting_get(*, group: ReadingGroup, meeting_id: int) -> Meeting:
    return get_object_or_404(Meeting.objects.filter(group=group), pk=meeting_id)


def previous_meeting(*, meeting: Meeting) -> Meeting | None:
    """The group's meeting just before ``meeting`` (one query)."""
    return (
        Meeting.objects.filter(group_id=meeting.group_id)
        .filter(Q(starts_at__lt=meeting.starts_at) | Q(starts_at=meeting.starts_at, id__lt=meeting.pk))
        .order_by("-starts_at", "-id")
        .first()
    )


def group_meetings(*, group: ReadingGroup) -> list[Meeting]:
    return list(group.meetings.order_by("starts_at", "id"))


@dataclass
class ChapterChange:
    """One chapter's text at ``since`` and now: the rows compared by one cumulative diff."""

    chapter: Chapter
    old_row: object | None
    new_row: object | None


def chapter_changes_since(*, chapters: list[Chapter], since: datetime.datetime) -> list[ChapterChange]:
    """For each chapter, the history row current at ``since`` (None if it did not exist yet)
    and the latest one (two queries, whatever the number of versions)."""
    history = Chapter.history.model
    ids = [chapter.pk for chapter in chapters]
    picks = (
        history.objects.filter(id__in=ids)
        .values("id")
        .annotate(old=Max("history_id", filter=Q(history_date__lte=since)), new=Max("history_id"))
        .order_by()
    )
    by_chapter = {row["id"]: (row["old"], row["new"]) for row in picks}
    wanted = {history_id for pair in by_chapter.values() for history_id in pair if history_id}
    rows = {row.history_id: row for row in history.objects.filter(history_id__in=wanted)} if wanted else {}
    changes = []
    for chapter in chapters:
        old_id, new_id = by_chapter.get(chapter.pk, (None, None))
        changes.append(ChapterChange(chapter=chapter, old_row=rows.get(old_id), new_row=rows.get(new_id)))
    return changes


def chapters_numbered(*, book_id: int, first: int, last: int) -> list[Chapter]:
    return list(
        Chapter.objects.filter(book_id=book_id, number__gte=first, number__lte=last)
        .select_related("book")
        .defer("body", "body_html", "contents")
        .order_by("number")
    )


@dataclass
class Agenda:
    started: list[Thread]
    resolved: list[Thread]
    open: list[Thread]


def agenda(*, chapters: list[Chapter], since: datetime.datetime) -> Agenda:
    """The threads of ``chapters`` started and resolved since ``since``, and the open ones
    (one query)."""
    threads = list(
        Thread.objects.filter(chapter__in=chapters)
        .filter(Q(created_at__gte=since) | Q(resolved_at__gte=since) | Q(is_resolved=False))
        .select_related("chapter__book", "author")
        .order_by("chapter__number", "-last_activity_at", "-id")
    )
    return Agenda(
        started=[thread for thread in threads if thread.created_at >= since],
        resolved=[thread for thread in threads if thread.resolved_at and thread.resolved_at >= since],
        open=[thread for thread in threads if not thread.is_resolved],
    )
