"""Read queries of the review workflow; each runs a fixed number of SQL queries."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from notes.models import Book, ChangeRequest, Chapter, ComparisonTable

Status = ChangeRequest.Status

BUCKETS = {
    "submitted": "Submitted",
    "changes_requested": "Changes requested",
    "conflict": "Conflicts",
    "mine": "Mine",
}


def review_counts(*, user) -> dict[str, int]:
    """How many requests each queue bucket holds (one query)."""
    return ChangeRequest.objects.aggregate(
        submitted=Count("id", filter=Q(status=Status.SUBMITTED)),
        changes_requested=Count("id", filter=Q(status=Status.CHANGES_REQUESTED)),
        conflict=Count("id", filter=Q(status=Status.CONFLICT)),
        mine=Count(
            "id",
            filter=Q(
                author_id=user.pk,
                status__in=[
                    s.value
                    for s in (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.CONFLICT)
                ],
            ),
        ),
    )


def request_review_counts(request) -> dict[str, int]:
    """``review_counts`` for the signed-in user, run once per request (the nav and the queue share it)."""
    if not hasattr(request, "_review_counts"):
        request._review_counts = review_counts(user=request.user)
    return request._review_counts


def review_queue(*, user, bucket: str) -> QuerySet[ChangeRequest]:
    """The requests of one bucket, oldest first; "mine" is the user's open requests."""
    requests = ChangeRequest.objects.select_related("author", "book", "chapter", "table").defer(
        "body", "rows", "headers", "conflicts"
    )
    if bucket == "mine":
        requests = requests.filter(author_id=user.pk).exclude(
            status__in=[Status.APPROVED, Status.REJECTED, Status.WITHDRAWN]
        )
    else:
        requests = requests.filter(status=bucket)
    return requests.order_by("created_at", "id")


def change_request_get(*, request_id: int) -> ChangeRequest:
    """The request with its author, target and reviews (two queries)."""
    return get_object_or_404(
        ChangeRequest.objects.select_related(
            "author", "approved_by", "book", "chapter", "table", "table__chapter"
        ).prefetch_related("reviews__reviewer"),
        pk=request_id,
    )


@dataclass(frozen=True)
class Version:
    number: int
    row: object  # a history row

    @property
    def approver(self):
        request = self.row.change_request
        return request.approved_by if request is not None else None


def _versions(model, object_id: int, *, defer: tuple[str, ...] = ()) -> list[Version]:
    rows = (
        model.history.filter(id=object_id)
        .select_related("history_user", "change_request__approved_by")
        .defer(*defer)
        .order_by("history_id")
    )
    return [Version(number=index, row=row) for index, row in enumerate(rows, start=1)]


def book_versions(*, book: Book) -> list[Version]:
    """Every version of the book's details, oldest first and numbered from 1 (one query);
    the summary text is read only for the one or two versions viewed or compared."""
    return _versions(Book, book.pk, defer=("summary", "summary_html"))


def chapter_versions(*, chapter: Chapter) -> list[Version]:
    """Every version of the chapter, oldest first and numbered from 1 (one query).

    Without their text: a list of 1,000 versions of a long chapter must not read 1,000
    bodies. Viewing or comparing reads the text of the one or two picked (a query each).
    """
    return _versions(Chapter, chapter.pk, defer=("body", "body_html"))


def table_versions(*, table: ComparisonTable) -> list[Version]:
    """Every version of the comparison table, oldest first and numbered from 1 (one query)."""
    return _versions(ComparisonTable, table.pk)


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
    model = {"book": Book, "chapter": Chapter, "table": ComparisonTable}[change_request.target_kind]
    base = None
    if change_request.base_history_id is not None:
        base = model.history.filter(history_id=change_request.base_history_id).first()
    current = {"book": change_request.book, "chapter": change_request.chapter, "table": change_request.table}[
        change_request.target_kind
    ]
    return base, current


def base_version_position(change_request: ChangeRequest, base) -> tuple[int | None, int]:
    """The base version's number in its page's history and how many versions came after it
    (one query; none when the request has no base)."""
    if base is None:
        return None, 0
    model = {"book": Book, "chapter": Chapter, "table": ComparisonTable}[change_request.target_kind]
    counts = model.history.filter(id=base.id).aggregate(
        number=Count("history_id", filter=Q(history_id__lte=base.history_id)),
        newer=Count("history_id", filter=Q(history_id__gt=base.history_id)),
    )
    return counts["number"], counts["newer"]
