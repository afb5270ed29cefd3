"""Read queries of the review workflow; each runs a fixed number of SQL queries."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from notes.lib.hunks import Change, proposal_changes
from notes.models import Book, ChangeRequest, Chapter, ComparisonTable, DiffComment, Review
from notes.models.reviews import OPEN_STATUSES, PARTLY_ACCEPTABLE_KINDS, TARGET_FIELDS
from notes.permissions import visible_requests_filter

Status = ChangeRequest.Status

BUCKETS = {
    Status.SUBMITTED.value: "Submitted",
    Status.CHANGES_REQUESTED.value: "Changes requested",
    Status.CONFLICT.value: "Conflicts",
    "mine": "Mine",
}
# The open requests that wait on someone other than their author (a draft waits on its author).
WAITING_STATUSES = tuple(status for status in OPEN_STATUSES if status != Status.DRAFT)


def review_counts(*, user) -> dict[str, int]:
    """How many requests each queue bucket holds (one query).

    Only the rows some bucket counts are read (by the status and author indexes): the
    approved, rejected and withdrawn requests, most of them in a wiki that lives, are not.
    """
    return ChangeRequest.objects.filter(
        Q(status__in=WAITING_STATUSES) | Q(author_id=user.pk, status__in=OPEN_STATUSES)
    ).aggregate(
        submitted=Count("id", filter=Q(status=Status.SUBMITTED)),
        changes_requested=Count("id", filter=Q(status=Status.CHANGES_REQUESTED)),
        conflict=Count("id", filter=Q(status=Status.CONFLICT)),
        mine=Count("id", filter=Q(author_id=user.pk, status__in=OPEN_STATUSES)),
    )


def request_review_counts(request) -> dict[str, int]:
    """``review_counts`` for the signed-in user, run once per request (the nav and the queue share it)."""
    if not hasattr(request, "_review_counts"):
        request._review_counts = review_counts(user=request.user)
    return request._review_counts


def review_queue(*, user, bucket: str) -> QuerySet[ChangeRequest]:
    """The requests of one bucket, oldest first; "mine" is the user's open requests."""
    requests = ChangeRequest.objects.select_related("author__profile", "book", "chapter", "table").defer(
        "body", "rows", "headers", "conflicts"
    )
    if bucket == "mine":
        requests = requests.filter(author_id=user.pk, status__in=OPEN_STATUSES)
    else:
        requests = requests.filter(status=bucket)
    return requests.order_by("created_at", "id")


def visible_change_requests(*, user) -> QuerySet[ChangeRequest]:
    """Every change request ``user`` may read (``permissions.visible_requests_filter``), with
    what a list names of each, in one query."""
    return (
        ChangeRequest.objects.filter(visible_requests_filter(user))
        .select_related("author", "book", "chapter", "table")
        .defer(
            "body", "rows", "headers", "conflicts", "rendered_html", "inline_diff_html", "side_by_side_html"
        )
    )


def change_request_get(*, request_id: int) -> ChangeRequest:
    """The request with its author, target and reviews with their reviewers (two queries)."""
    return get_object_or_404(
        ChangeRequest.objects.select_related(
            "author__profile", "approved_by__profile", "book", "chapter", "table", "table__chapter"
        ).prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("reviewer__profile"))),
        pk=request_id,
    )


@dataclass(frozen=True)
class Version:
    number: int
    row: object  # a history row

    @property
    def approver(self):
        request = self.row.change_request
        # A partial publication's request may be approved later, by someone else, or never.
        if request is None or self.row.is_partial:
            return None
        return request.approved_by


VERSIONS_PER_PAGE = 50


@dataclass(frozen=True)
class VersionPage:
    """One page of a history, newest first, and how many versions there are in all."""

    versions: list[Version]
    page: Page
    total: int


def _history_rows(model, object_id: int, defer: tuple[str, ...]):
    return (
        model.history.filter(id=object_id)
        .select_related("history_user", "change_request__approved_by")
        .defer(*defer)
    )


def _versions_page(model, object_id: int, page: str | None, *, defer: tuple[str, ...] = ()) -> VersionPage:
    """Two queries (a count and the page) whatever the length of the history."""
    paginator = Paginator(_history_rows(model, object_id, defer).order_by("-history_id"), VERSIONS_PER_PAGE)
    shown = paginator.get_page(page)
    newest = paginator.count - shown.start_index() + 1 if paginator.count else 0
    versions = [Version(number=newest - index, row=row) for index, row in enumerate(shown.object_list)]
    return VersionPage(versions=versions, page=shown, total=paginator.count)


def _version_get(
    model, object_id: int, history_id: int | None, *, defer: tuple[str, ...] = ()
) -> Version | None:
    """One version of the object with its number (two queries), or None if it is not one of its."""
    if history_id is None:
        return None
    row = _history_rows(model, object_id, defer).filter(history_id=history_id).first()
    if row is None:
        return None
    number = model.history.filter(id=object_id, history_id__lte=history_id).count()
    return Version(number=number, row=row)


# What each history list leaves unread: a list of 10,000 versions of a long chapter must not
# read 10,000 bodies. Viewing or comparing reads the text of the one or two picked.
_LIST_DEFER = {Book: ("summary", "summary_html"), Chapter: ("body", "body_html"), ComparisonTable: ()}


def versions_page(*, thing, page: str | None) -> VersionPage:
    """A page of the versions of a book's details, a chapter or a table, newest first."""
    return _versions_page(type(thing), thing.pk, page, defer=_LIST_DEFER[type(thing)])


def version_get(*, thing, history_id: int | None) -> Version | None:
    """One version of ``thing`` (text included), numbered as the history numbers it."""
    return _version_get(type(thing), thing.pk, history_id)


def chapter_tables_as_of(*, chapter: Chapter, moment) -> dict[str, object]:
    """The chapter's tables as they were at ``moment``, keyed by slug (one query).

    Each table's newest history row dated at or before ``moment``; a table whose newest
    such row records its deletion, or that did not exist yet, is left out. Tables never
    move between chapters, so the chapter's own table rows are the whole story.
    """
    rows = (
        ComparisonTable.history.filter(chapter_id=chapter.pk, history_date__lte=moment)
        .only("id", "history_id", "history_date", "history_type", "slug", "title", "headers", "rows")
        .order_by("id", "-history_date", "-history_id")
    )
    newest: dict[int, object] = {}
    for row in rows:
        newest.setdefault(row.id, row)
    return {row.slug: row for row in newest.values() if row.history_type != "-"}


def target_base_and_current(change_request: ChangeRequest) -> tuple[object | None, object | None]:
    """The history row the request was written against and the live target (two queries at most)."""
    model = change_request.target_model
    base = None
    if change_request.base_history_id is not None:
        base = model.history.filter(history_id=change_request.base_history_id).first()
    current = {"book": change_request.book, "chapter": change_request.chapter, "table": change_request.table}[
        change_request.target_kind
    ]
    return base, current


@dataclass(frozen=True)
class RequestChanges:
    """A request's content against its base version, cut into the changes a reviewer may
    accept one by one (``notes.lib.hunks``)."""

    kind: str  # "chapter" or "table"
    base: dict
    proposed: dict
    changes: list[Change]

    def by_id(self, ids) -> list[Change]:
        wanted = set(ids)
        return [change for change in self.changes if change.id in wanted]


def proposed_changes(change_request: ChangeRequest, base=None) -> RequestChanges | None:
    """The changes of a chapter or table edit against its base version (one query unless
    ``base``, its base history row, is given); None for a kind accepted only whole."""
    if change_request.kind not in PARTLY_ACCEPTABLE_KINDS or change_request.base_history_id is None:
        return None
    kind = change_request.target_kind
    if base is None or base.history_id != change_request.base_history_id:
        base = change_request.target_model.history.filter(history_id=change_request.base_history_id).first()
    if base is None:
        return None
    fields = TARGET_FIELDS[kind]
    base_content = {name: _copied(getattr(base, name)) for name in fields}
    proposed = {name: _copied(getattr(change_request, name)) for name in fields}
    return RequestChanges(kind, base_content, proposed, proposal_changes(kind, base_content, proposed))


def _copied(value):
    return (
        [list(item) if isinstance(item, list) else item for item in value]
        if isinstance(value, list)
        else value
    )


def base_version_position(change_request: ChangeRequest, base) -> tuple[int | None, int]:
    """The base version's number in its page's history and how many versions came after it
    (one query; none when the request has no base)."""
    if base is None:
        return None, 0
    model = change_request.target_model
    counts = model.history.filter(id=base.id).aggregate(
        number=Count("history_id", filter=Q(history_id__lte=base.history_id)),
        newer=Count("history_id", filter=Q(history_id__gt=base.history_id)),
    )
    return counts["number"], counts["newer"]


def diff_comment_threads(*, change_request: ChangeRequest) -> list[DiffComment]:
    """The comments on lines and cells of the request, oldest first, each with its replies
    and everyone's profile (two queries)."""
    replies = DiffComment.objects.select_related("author__profile").order_by("created_at", "id")
    return list(
        DiffComment.objects.filter(change_request=change_request, parent=None)
        .select_related("author__profile")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )
