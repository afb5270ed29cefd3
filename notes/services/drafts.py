"""Drafts the editor saves by itself while the author types.

A draft is an ordinary change request in the draft state. The editor starts one on its
first autosave and then saves into it, each time naming the revision it last saw; a save
based on an older revision (another tab saved meanwhile) is refused with ``StaleDraft``
and writes nothing, so no tab ever overwrites a newer text.
"""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from notes import permissions
from notes.models import Book, ChangeRequest, Chapter, ComparisonTable
from notes.selectors.editing import my_draft_get
from notes.services.reviews import ReviewError, change_request_create, change_request_revise

Status = ChangeRequest.Status


class StaleDraft(ReviewError):
    """The draft moved on (another tab saved or submitted it); nothing was written."""


@transaction.atomic
def draft_start(
    *,
    author,
    book: Book,
    chapter: Chapter | None,
    summary: str,
    content: dict,
    base_history_id: int | None,
    table: ComparisonTable | None = None,
) -> ChangeRequest:
    """The first autosave of an editor: a new draft editing ``table``'s grid, else
    ``chapter``'s text, else ``book``'s details.

    Refused when the author has a draft of it already (the editor offered to continue it):
    two tabs starting at once would otherwise each write one. The target's row lock makes
    the check and the write one step.
    """
    target = table or chapter or book
    type(target).objects.select_for_update().filter(pk=target.pk).first()
    existing = my_draft_get(user=author, target=target)
    if existing is not None:
        moment = timezone.localtime(existing.updated_at).strftime("%d %b %Y, %H:%M")
        raise StaleDraft(
            f"You have a draft of this page from {moment} (request #{existing.pk}); reload the "
            "editor to continue it or discard it. Nothing was saved."
        )
    if table is not None:
        kind = ChangeRequest.Kind.TABLE_EDIT
    else:
        kind = ChangeRequest.Kind.CHAPTER_EDIT if chapter is not None else ChangeRequest.Kind.BOOK_EDIT
    return change_request_create(
        author=author,
        book=book,
        kind=kind,
        chapter=chapter,
        table=table,
        summary=summary,
        content=content,
        base_history_id=base_history_id,
        submit=False,
    )


@transaction.atomic
def draft_save(
    *, change_request: ChangeRequest, user, revision: int | None, summary: str, content: dict, submit=False
) -> ChangeRequest:
    """Save the editor into the author's draft, or submit it, if it is still at ``revision``."""
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not permissions.can_revise(user, change_request):
        raise ReviewError("Only the author saves into a draft.")
    if change_request.status != Status.DRAFT:
        raise StaleDraft(
            f"Request #{change_request.pk} is {change_request.get_status_display().lower()} now "
            "(changed in another tab?); it is no longer a draft. Nothing was saved."
        )
    if revision != change_request.revision:
        raise StaleDraft(
            f"This draft was saved elsewhere since you opened it (it is at revision "
            f"{change_request.revision}, you started from {revision}). Nothing was overwritten: "
            "copy your text, then reload to see the newer one."
        )
    return change_request_revise(
        change_request=change_request, user=user, summary=summary, content=content, submit=submit
    )


@transaction.atomic
def draft_discard(*, change_request: ChangeRequest, user) -> bool:
    """Throw a draft away: deleted, if nothing else names it (it was never submitted);
    a draft reopened from a withdrawn request, which has a past, is withdrawn again.
    Returns whether it was deleted."""
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not permissions.can_revise(user, change_request):
        raise ReviewError("Only its author discards a draft.")
    if change_request.status != Status.DRAFT:
        raise ReviewError(f"Request #{change_request.pk} is not a draft; it was not discarded.")
    try:
        with transaction.atomic():
            change_request.delete()
    except (ProtectedError, IntegrityError):
        change_request.status = Status.WITHDRAWN
        change_request.save(update_fields=["status", "updated_at"])
        return False
    return True
