"""Reads for the editors: who else is proposing a change to the page being edited."""

from dataclasses import dataclass, field

from notes.models import ChangeRequest
from notes.models.reviews import OPEN_STATUSES

# The editor names at most this many open requests; more are rare and the queue lists all.
SHOWN_OPEN_REQUESTS = 10


@dataclass
class OpenRequests:
    """Open requests on one page: the viewer's own draft, their other open ones, and
    other people's past the draft stage (a draft is private until submitted)."""

    draft: ChangeRequest | None = None
    mine: list[ChangeRequest] = field(default_factory=list)
    others: list[ChangeRequest] = field(default_factory=list)


def open_requests_on(*, user, book=None, chapter=None, table=None) -> OpenRequests:
    """One query: the open requests targeting ``table``, else ``chapter``, else ``book``'s details."""
    requests = ChangeRequest.objects.filter(status__in=OPEN_STATUSES).select_related("author")
    if table is not None:
        requests = requests.filter(table=table)
    elif chapter is not None:
        requests = requests.filter(chapter=chapter, table__isnull=True).exclude(
            kind=ChangeRequest.Kind.TABLE_NEW
        )
    else:
        requests = requests.filter(book=book, chapter__isnull=True, kind=ChangeRequest.Kind.BOOK_EDIT)
    found = OpenRequests()
    for change_request in requests.order_by("-updated_at", "-pk")[: SHOWN_OPEN_REQUESTS * 2]:
        if change_request.author_id == user.pk:
            if change_request.status == ChangeRequest.Status.DRAFT and found.draft is None:
                found.draft = change_request
            else:
                found.mine.append(change_request)
        elif change_request.status != ChangeRequest.Status.DRAFT:
            found.others.append(change_request)
    found.mine = found.mine[:SHOWN_OPEN_REQUESTS]
    found.others = found.others[:SHOWN_OPEN_REQUESTS]
    return found
