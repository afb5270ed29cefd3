"""Reads for the editors: the user's own draft of a page, and who else is proposing a
change to the page being edited."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from notes.models import Book, ChangeRequest, Chapter, ComparisonTable
from notes.models.reviews import OPEN_STATUSES

Kind = ChangeRequest.Kind

# The editor names at most this many open requests; more are rare and the queue lists all.
SHOWN_OPEN_REQUESTS = 10
# Someone else's draft saved within this many days is named in the editor ("has a draft here").
DRAFT_PRESENCE_DAYS = 7


def _my_edits_of(*, user, target: Book | Chapter | ComparisonTable) -> QuerySet[ChangeRequest]:
    """The user's requests editing ``target``: a table's grid, a chapter's text, or (for a
    book) the book's details. New chapters, tables and books have no page yet to draft on."""
    requests = ChangeRequest.objects.filter(author_id=user.pk)
    if isinstance(target, ComparisonTable):
        return requests.filter(kind=Kind.TABLE_EDIT, table=target)
    if isinstance(target, Chapter):
        return requests.filter(kind=Kind.CHAPTER_EDIT, chapter=target, table__isnull=True)
    return requests.filter(kind=Kind.BOOK_EDIT, book=target, chapter__isnull=True)


def _my_drafts_of(*, user, target) -> QuerySet[ChangeRequest]:
    return (
        _my_edits_of(user=user, target=target)
        .filter(status=ChangeRequest.Status.DRAFT)
        .order_by("-updated_at", "-pk")
    )


def my_draft_get(
    *, user, target: Book | Chapter | ComparisonTable, request_id: int | None = None
) -> ChangeRequest | None:
    """The user's draft of this page (one query): their newest draft editing ``target``.

    With ``request_id`` (the draft an editor autosaved into and posts back), that request if
    it is the user's edit of this page, in whatever state it is now: submitted from another
    tab since, it is still found, so the save can say so instead of "not one of yours".
    """
    if request_id is not None:
        return _my_edits_of(user=user, target=target).filter(pk=request_id).first()
    return _my_drafts_of(user=user, target=target).first()


@dataclass
class OpenRequests:
    """Open requests on one page: the viewer's own draft, their other open ones, and
    other people's past the draft stage (a draft is private until submitted)."""

    draft: ChangeRequest | None = None
    mine: list[ChangeRequest] = field(default_factory=list)
    others: list[ChangeRequest] = field(default_factory=list)
    # Other people's drafts saved lately: who and when only, never what (a draft is private).
    drafting: list[ChangeRequest] = field(default_factory=list)


def open_requests_on(*, user, book=None, chapter=None, table=None) -> OpenRequests:
    """One query: the open requests targeting ``table``, else ``chapter``, else ``book``'s details.

    The viewer's draft is ``my_draft_get``'s, read in the same query and sorted first, so
    however many newer requests the page has, the editor offers it.
    """
    target = table if table is not None else chapter if chapter is not None else book
    requests = ChangeRequest.objects.filter(status__in=OPEN_STATUSES).select_related("author")
    if table is not None:
        requests = requests.filter(table=table)
    elif chapter is not None:
        requests = requests.filter(chapter=chapter, table__isnull=True).exclude(kind=Kind.TABLE_NEW)
    else:
        requests = requests.filter(book=book, chapter__isnull=True, kind=Kind.BOOK_EDIT)
    my_draft = Subquery(_my_drafts_of(user=user, target=target).values("pk")[:1])
    # Others' drafts left for longer are abandoned more often than not: not worth a warning.
    since = timezone.now() - datetime.timedelta(days=DRAFT_PRESENCE_DAYS)
    requests = (
        requests.exclude(
            Q(status=ChangeRequest.Status.DRAFT) & ~Q(author_id=user.pk) & Q(updated_at__lt=since)
        )
        .annotate(
            is_my_draft=Case(When(pk=my_draft, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .order_by("-is_my_draft", "-updated_at", "-pk")
    )
    found = OpenRequests()
    for change_request in requests[: SHOWN_OPEN_REQUESTS * 2 + 1]:
        if change_request.is_my_draft:
            found.draft = change_request
        elif change_request.author_id == user.pk:
            found.mine.append(change_request)
        elif change_request.status == ChangeRequest.Status.DRAFT:
            found.drafting.append(change_request)
        else:
            found.others.append(change_request)
    found.mine = found.mine[:SHOWN_OPEN_REQUESTS]
    found.others = found.others[:SHOWN_OPEN_REQUESTS]
    found.drafting = found.drafting[:SHOWN_OPEN_REQUESTS]
    return found
