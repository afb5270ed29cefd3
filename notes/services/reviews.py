"""The review workflow: writing, submitting, reviewing and publishing change requests.

draft -> submitted -> approved (published) | changes requested -> submitted | rejected | withdrawn
and, when approval finds the target changed and the merge has conflicts, conflict -> submitted.

Every function checks before it acts and raises ``ReviewError`` with a message a user can
read; nothing is written then. Only approval publishes (``notes.services.publishing``), in
one transaction that locks the target row, writes exactly one history row and refreshes
the stored rendered HTML.

Each step ends by telling whom it concerns (``notes.services.notifications``) in the same
transaction; whoever submits or reviews a request watches what it changes.
"""

from contextlib import contextmanager
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from notes import permissions
from notes.formats import FormatError, parse_markdown
from notes.lib.addresses import AddressRefused, book_address, book_address_checked
from notes.lib.hunks import proposal_applied
from notes.lib.limits import (
    MAX_PART_CHANGES,
    MAX_TABLE_TITLE_LENGTH,
    MAX_TITLE_LENGTH,
    text_structure_refusal,
)
from notes.lib.merging import merge
from notes.lib.page_cache import page_cache_expire
from notes.lib.proposals import (
    ContentRefused,
    body_cleaned,
    book_details_checked,
    chapter_number_checked,
    nul_characters_refused,
    summary_cleaned,
    table_cleaned,
    title_cleaned,
)
from notes.models import Book, ChangeRequest, Chapter, ComparisonTable, DiffComment, Review
from notes.models.reviews import NEW_BOOK_KINDS, PROPOSED_FIELDS
from notes.models.webhooks import WebhookEvent
from notes.selectors.books import latest_history_id
from notes.selectors.reviews import RequestChanges, proposed_changes
from notes.services.notifications import notify_request_reviewed, notify_request_submitted
from notes.services.publishing import PublishOutcome, chapter_rendered_ahead, publish, snapshot
from notes.services.renderings import change_request_render
from notes.services.watching import watch_automatically
from notes.services.webhooks import change_request_event_emit

__all__ = [
    "PublishOutcome",
    "ReviewError",
    "change_request_approve",
    "change_request_approve_part",
    "change_request_create",
    "change_request_reject",
    "change_request_reject_part",
    "change_request_reopen",
    "change_request_request_changes",
    "change_request_revert",
    "change_request_revise",
    "change_request_submit",
    "change_request_withdraw",
]

Kind = ChangeRequest.Kind
Status = ChangeRequest.Status


class ReviewError(Exception):
    """A refused action of the review workflow; the message is shown to the user."""


# --- Validation: the rules live in notes.lib; here they are applied by kind ----------------


@contextmanager
def _refusals_as_review_errors():
    """A rule's refusal, raised as this workflow's error with the rule's own message."""
    try:
        yield
    except (ContentRefused, AddressRefused) as error:
        raise ReviewError(str(error)) from None


def _clean_content(content: dict, kind: str, *, for_submit: bool) -> dict:
    """The proposed fields that matter for ``kind``, validated."""
    allowed = PROPOSED_FIELDS[kind]
    unknown = set(content) - set(allowed)
    if unknown:
        raise ReviewError(f"A {Kind(kind).label.lower()} cannot change {', '.join(sorted(unknown))}.")
    with _refusals_as_review_errors():
        return _content_checked(dict(content), kind, allowed, for_submit=for_submit)


def _content_checked(content: dict, kind: str, allowed: tuple[str, ...], *, for_submit: bool) -> dict:
    nul_characters_refused(content)
    if "body" in content:
        content["body"] = body_cleaned(
            content["body"], for_submit=for_submit, whole_book=kind == Kind.BOOK_FROM_FILE
        )
    if "title" in content:
        # Tables (and reverts, which may restore one) have an optional, longer title.
        has_table = "headers" in allowed
        content["title"] = title_cleaned(
            content["title"],
            limit=MAX_TABLE_TITLE_LENGTH if has_table else MAX_TITLE_LENGTH,
            required=not has_table,
        )
    book_details_checked(content)
    if "headers" in content or "rows" in content:
        content["headers"], content["rows"] = table_cleaned(content.get("headers"), content.get("rows"))
    if kind == Kind.CHAPTER_NEW:
        content["number"] = chapter_number_checked(content.get("number"))
    if kind == Kind.TABLE_NEW and not content.get("slug"):
        raise ReviewError("A new table needs a slug.")
    if kind == Kind.BOOK_FROM_FILE:
        if "slug" in content:  # a revision keeps the request's slug
            content["slug"] = book_address_checked(content["slug"])
        try:
            document = parse_markdown(content.get("body", "")).book
        except FormatError as error:
            raise ReviewError(f"The book's notes cannot be read: {error}") from None
        refusal = text_structure_refusal(document.summary, what="The book's summary") or next(
            (
                refusal
                for chapter in document.chapters
                if (refusal := text_structure_refusal(chapter.body, what=f"Chapter {chapter.number}"))
            ),
            "",
        )
        if refusal:
            raise ReviewError(refusal)
    if kind == Kind.BOOK_CREATE and ("slug" in content or "title" in content):
        # The address given, or else one made from the title.
        try:
            content["slug"] = book_address(content.get("slug") or content.get("title") or "")
        except AddressRefused as error:
            raise ReviewError(f"{error} Give another in the Address field.") from None
    return content


# --- Writing and moving a request --------------------------------------------------------


@transaction.atomic
def change_request_create(
    *,
    author,
    book: Book | None,
    kind: str,
    summary: str,
    content: dict,
    chapter: Chapter | None = None,
    table: ComparisonTable | None = None,
    base_history_id: int | None = None,
    submit: bool = False,
) -> ChangeRequest:
    """Write a change request as a draft, or submitted for review when ``submit``.

    ``base_history_id`` is the version the author started from (the edit form carries it);
    it defaults to the target's newest version. New chapters and tables have no base. A
    new book (``Kind.BOOK_FROM_FILE`` from a notes file, ``Kind.BOOK_CREATE`` from its details) names
    no ``book``: approval creates it.
    """
    if not permissions.can_propose(author):
        raise ReviewError("You may not propose changes.")
    with _refusals_as_review_errors():
        summary = summary_cleaned(summary, required=submit)
    content = _clean_content(content, kind, for_submit=submit)
    if table is not None:
        chapter = chapter or table.chapter
        if chapter.pk != table.chapter_id:
            raise ReviewError("That table is not in that chapter.")
    if chapter is not None and chapter.book_id != book.pk:
        raise ReviewError("That chapter is not in that book.")
    if (kind in NEW_BOOK_KINDS) != (book is None):
        raise ReviewError("A new book names no existing book." if book else "Name the book.")
    if kind in (Kind.CHAPTER_EDIT, Kind.TABLE_NEW) and chapter is None:
        raise ReviewError("Name the chapter.")
    if kind == Kind.TABLE_EDIT and table is None:
        raise ReviewError("Name the table.")

    change_request = ChangeRequest(
        kind=kind,
        book=book,
        chapter=chapter,
        table=table,
        author=author,
        summary=summary,
        status=Status.SUBMITTED if submit else Status.DRAFT,
        **content,
    )
    if kind == Kind.CHAPTER_NEW:
        if Chapter.objects.filter(book=book, number=content["number"]).exists():
            raise ReviewError(f"Chapter {content['number']} already exists in this book.")
    elif kind == Kind.TABLE_NEW:
        if ComparisonTable.objects.filter(chapter=chapter, slug=content["slug"]).exists():
            raise ReviewError(f"This chapter already has a table '{content['slug']}'.")
    elif kind == Kind.BOOK_CREATE:
        if Book.objects.filter(slug=content["slug"]).exists():
            raise ReviewError(f"A book at /books/{content['slug']}/ exists already; pick another address.")
    elif kind != Kind.BOOK_FROM_FILE:
        change_request.base_history_id = _checked_base(change_request, base_history_id)
    change_request_render(change_request)
    change_request.save()
    if submit:
        _submitted(change_request)
    return change_request


def _submitted(
    change_request: ChangeRequest,
    *,
    event: str = WebhookEvent.CHANGE_REQUEST_OPENED,
    is_amendment: bool = False,
) -> None:
    """The author watches what they edit; the reviewers hear of the request (or that it was
    amended), and so do the webhooks (``event``: opened, or revised when it was under
    review before)."""
    watch_automatically(user=change_request.author, target=_watch_target(change_request))
    notify_request_submitted(change_request, is_amendment=is_amendment)
    change_request_event_emit(event=event, change_request=change_request, actor=change_request.author)


def _watch_target(change_request: ChangeRequest):
    """The chapter a request changes (tables are watched through theirs), else its book.

    A new chapter has none until it is published; its book is watched meanwhile only by
    those who chose to.
    """
    if change_request.chapter_id:
        return change_request.chapter
    if change_request.kind == Kind.CHAPTER_NEW:
        return None
    return change_request.book


def _checked_base(change_request: ChangeRequest, base_history_id: int | None) -> int | None:
    model, object_id = change_request.target_model, change_request.target_pk
    if base_history_id is None:
        return latest_history_id(model, object_id)
    if not model.history.filter(history_id=base_history_id, id=object_id).exists():
        raise ReviewError("The version this edit started from does not belong to what it edits.")
    return base_history_id


@transaction.atomic
def change_request_submit(*, change_request: ChangeRequest, user) -> ChangeRequest:
    """Send a draft to the reviewers."""
    change_request = _locked(change_request)
    if not permissions.can_submit(user, change_request):
        raise ReviewError("Only the author submits a change request.")
    if change_request.status != Status.DRAFT:
        raise ReviewError(
            f"A request that is {change_request.get_status_display().lower()} cannot be submitted."
        )
    with _refusals_as_review_errors():
        summary_cleaned(change_request.summary)
        body_cleaned(
            change_request.body, for_submit=True, whole_book=change_request.kind == Kind.BOOK_FROM_FILE
        )
    change_request.status = Status.SUBMITTED
    change_request.save(update_fields=["status", "updated_at"])
    _submitted(change_request)
    return change_request


@transaction.atomic
def change_request_revise(
    *,
    change_request: ChangeRequest,
    user,
    summary: str,
    content: dict,
    submit: bool = True,
) -> ChangeRequest:
    """The author changes their draft, or answers "changes requested" or a conflict.

    Each revision bumps ``revision``, so verdicts given to earlier revisions stop counting.
    The base version stays the one the request was written against, so approval still
    merges whatever was published meanwhile; only after a conflict does it move, to the
    version the conflicting merge was made against (the author has resolved against it).
    """
    # Checked, rendered and saved under the request's row lock, unlike a comment, which is
    # rendered before its thread is locked: a revision is numbered from, and keeps as
    # reviewed, the text it replaces, so a second revision sent at once (two tabs, the API)
    # must wait and build on this one. The lock holds up only actions on this request, and
    # the structure limits bound what rendering it costs.
    change_request = _locked(change_request)
    if not permissions.can_revise(user, change_request):
        raise ReviewError("Only the author revises a change request.")
    if not change_request.is_editable:
        raise ReviewError(
            f"A request that is {change_request.get_status_display().lower()} cannot be revised."
        )
    # A draft sent for the first time is opened; one reviewers saw before is revised.
    was_draft = change_request.status == Status.DRAFT
    is_amendment = change_request.status == Status.SUBMITTED
    with _refusals_as_review_errors():
        change_request.summary = summary_cleaned(summary, required=submit)
    if is_amendment or change_request.reviews.filter(revision=change_request.revision).exists():
        # Reviewers saw the text being replaced (under review, or given a verdict): keep
        # it, so the next round shows what changed since.
        change_request.reviewed_revision = change_request.revision
        change_request.reviewed_body = change_request.body
        change_request.reviewed_table = {"headers": change_request.headers, "rows": change_request.rows}
    # Says the current revision is an amendment; a revision answering a verdict is not one.
    change_request.amended_at = timezone.now() if is_amendment else None
    for name, value in _clean_content(content, change_request.kind, for_submit=submit).items():
        setattr(change_request, name, value)
    if change_request.status == Status.CONFLICT and change_request.resolution.get("base_history_id"):
        change_request.base_history_id = change_request.resolution["base_history_id"]
    change_request.revision += 1
    change_request.conflicts = []
    change_request.resolution = {}
    change_request.status = Status.SUBMITTED if submit else Status.DRAFT
    change_request_render(change_request)
    change_request.save()
    if submit:
        _submitted(
            change_request,
            event=WebhookEvent.CHANGE_REQUEST_OPENED if was_draft else WebhookEvent.CHANGE_REQUEST_REVISED,
            is_amendment=is_amendment,
        )
    return change_request


@transaction.atomic
def change_request_withdraw(*, change_request: ChangeRequest, user) -> ChangeRequest:
    change_request = _locked(change_request)
    if not permissions.can_withdraw(user, change_request):
        raise ReviewError("Only the author withdraws a change request.")
    if not change_request.is_open:
        raise ReviewError(
            f"A request that is {change_request.get_status_display().lower()} cannot be withdrawn."
        )
    change_request.status = Status.WITHDRAWN
    change_request.save(update_fields=["status", "updated_at"])
    return change_request


@transaction.atomic
def change_request_reopen(*, change_request: ChangeRequest, user) -> ChangeRequest:
    """The author takes a withdrawn request back as a draft, to change and submit again.

    Its base version stays the one it was written against: approval merges what was
    published meanwhile, as for any request.
    """
    change_request = _locked(change_request)
    if not permissions.can_revise(user, change_request):
        raise ReviewError("Only the author reopens a change request.")
    if change_request.status != Status.WITHDRAWN:
        raise ReviewError(
            f"Only a withdrawn request can be reopened; this one is {change_request.get_status_display().lower()}."
        )
    change_request.status = Status.DRAFT
    change_request.save(update_fields=["status", "updated_at"])
    return change_request


# --- Reviewing ---------------------------------------------------------------------------


def _check_reviewable(change_request: ChangeRequest, reviewer, revision: int | None, action: str) -> None:
    if not permissions.can_review(reviewer):
        raise ReviewError("Only reviewers review change requests.")
    if not permissions.can_review_own_request(reviewer, change_request):
        raise ReviewError(f"You cannot {action} your own change request; another reviewer must.")
    if change_request.status != Status.SUBMITTED:
        raise ReviewError(
            f"Only submitted requests can be reviewed; this one is "
            f"{change_request.get_status_display().lower()}."
        )
    if revision is not None and revision != change_request.revision:
        if Review.objects.filter(
            change_request=change_request,
            revision__gte=revision,
            verdict__in=(Review.Verdict.APPROVE_PART, Review.Verdict.REJECT_PART),
        ).exists():
            raise ReviewError(
                f"Part of this request was published or taken out (now revision "
                f"{change_request.revision}) since you opened it; read what remains first."
            )
        raise ReviewError(
            f"The author revised this request (now revision {change_request.revision}) since you "
            "opened it; read it again first."
        )


@transaction.atomic
def change_request_request_changes(
    *, change_request: ChangeRequest, reviewer, comment: str, revision: int | None = None
) -> ChangeRequest:
    """Send the request back to its author; the comment says what to change."""
    return _verdict(change_request, reviewer, comment, revision, Review.Verdict.REQUEST_CHANGES)


@transaction.atomic
def change_request_reject(
    *, change_request: ChangeRequest, reviewer, comment: str, revision: int | None = None
) -> ChangeRequest:
    """Close the request without publishing; the comment says why."""
    return _verdict(change_request, reviewer, comment, revision, Review.Verdict.REJECT)


def _verdict(change_request, reviewer, comment, revision, verdict) -> ChangeRequest:
    change_request = _locked(change_request)
    comment = (comment or "").strip()
    _check_reviewable(
        change_request, reviewer, revision, "reject" if verdict == Review.Verdict.REJECT else "review"
    )
    if not comment:
        raise ReviewError("Say why in a comment: it is required to request changes or to reject.")
    review = Review.objects.create(
        change_request=change_request,
        reviewer=reviewer,
        verdict=verdict,
        comment=comment,
        revision=change_request.revision,
    )
    change_request.status = Status.REJECTED if verdict == Review.Verdict.REJECT else Status.CHANGES_REQUESTED
    change_request.save(update_fields=["status", "updated_at"])
    _reviewed(change_request, review, published=False)
    return change_request


@transaction.atomic
def change_request_approve(
    *, change_request: ChangeRequest, reviewer, comment: str = "", revision: int | None = None
) -> PublishOutcome:
    """Approve and publish. If the target changed meanwhile, merge; on conflict, publish nothing.

    ``revision`` is the revision the reviewer read (the review form carries it): approving
    a request the author has revised since is refused.
    """
    # Before any row lock: the chapter as it will most likely be published (see publish).
    ahead = chapter_rendered_ahead(change_request)
    change_request = _locked(change_request)
    _check_reviewable(change_request, reviewer, revision, "approve")
    review = Review.objects.create(
        change_request=change_request,
        reviewer=reviewer,
        verdict=Review.Verdict.APPROVE,
        comment=(comment or "").strip(),
        revision=change_request.revision,
    )
    outcome = publish(change_request, approver=reviewer, ahead=ahead)
    _published(change_request, review, outcome)
    return outcome


# --- Accepting or rejecting part of a request ------------------------------------------------


def _changes_checked(change_request: ChangeRequest, ticked, *, verb: str) -> tuple[RequestChanges, set[str]]:
    """The request's changes and the ids ticked among them: at least one, each one of them."""
    found = proposed_changes(change_request)
    if found is None:
        raise ReviewError(
            f"A {change_request.get_kind_display().lower()} is approved or rejected whole; "
            "only chapter and table edits can be taken in part."
        )
    if len(found.changes) > MAX_PART_CHANGES:
        raise ReviewError(
            f"This request makes {len(found.changes)} changes, more than the {MAX_PART_CHANGES} that can be "
            "taken one by one: approve it whole or ask its author to split it."
        )
    ticked = {str(change_id) for change_id in ticked or ()}
    if not ticked:
        raise ReviewError(f"Tick at least one change to {verb}; nothing was {verb.rstrip('e')}ed.")
    known = {change.id for change in found.changes}
    if ticked - known:
        raise ReviewError(
            "Some of the ticked changes are not in this request any more; read it again first. "
            f"Nothing was {verb.rstrip('e')}ed."
        )
    return found, ticked


def _remaining(count: int) -> str:
    return f"{count} remain{'s' if count == 1 else ''} for review"


@transaction.atomic
def change_request_approve_part(
    *,
    change_request: ChangeRequest,
    reviewer,
    accepted,
    comment: str = "",
    revision: int | None = None,
) -> PublishOutcome:
    """Publish the base version plus exactly the ``accepted`` changes (ids from
    ``notes.lib.hunks``), through the same locked, merging publish as a whole approval; the
    request stays open as its next revision, holding what was not accepted.

    The ticked set is checked against the revision the reviewer read (a stale one is
    refused like a whole approval); every change ticked is a whole approval, none is refused.
    """
    change_request = _locked(change_request)
    _check_reviewable(change_request, reviewer, revision, "approve")
    found, accepted = _changes_checked(change_request, accepted, verb="publish")
    total = len(found.changes)
    if len(accepted) == total:
        return change_request_approve(
            change_request=change_request, reviewer=reviewer, comment=comment, revision=revision
        )
    chosen = found.by_id(accepted)
    review = Review.objects.create(
        change_request=change_request,
        reviewer=reviewer,
        verdict=Review.Verdict.APPROVE_PART,
        comment=(comment or "").strip(),
        revision=change_request.revision,
        changes=[change.label for change in chosen],
        changes_proposed=total,
    )
    part = proposal_applied(found.kind, found.base, found.proposed, accepted)
    outcome = publish(change_request, approver=reviewer, part=part, counted=(len(accepted), total))
    detail = ""
    if outcome.published:
        _rebased(change_request, found)
        _comments_resolved(change_request, chosen, found)
        rest = total - len(accepted)
        if change_request.status == Status.CONFLICT:
            detail = (
                f"{len(accepted)} of your {total} changes were published; the other {rest} conflict "
                "with a newer version: resolve them."
            )
            message = (
                f"Published {len(accepted)} of {total} changes; the other {rest} conflict with a newer "
                "version and went back to the author."
            )
        else:
            detail = f"{len(accepted)} of your {total} changes were published; {_remaining(rest)}."
            message = f"Published {len(accepted)} of {total} changes; the other {_remaining(rest)}."
            if outcome.merged:
                message += " The page had changed since the request was written; they were merged."
        outcome = replace(outcome, message=message)
    _published(change_request, review, outcome, detail=detail)
    return outcome


def _rebased(change_request: ChangeRequest, found: RequestChanges) -> None:
    """After a partial publication the request holds what remains, against the new version.

    The proposal is the same text; only its base moves, so its diff now shows the changes
    not accepted. When the publication was merged with versions published meanwhile, the
    proposal is merged onto the new version too, so it does not undo them.
    """
    model, object_id = change_request.target_model, change_request.target_pk
    new_row = model.history.filter(id=object_id).order_by("-history_id").first()
    new_content = {name: getattr(new_row, name) for name in found.base}
    merged, conflicts = merge(found.base, new_content, found.proposed)
    change_request.base_history_id = new_row.history_id
    change_request.revision += 1
    change_request.conflicts = []
    if conflicts:
        # What remains touches what was published meanwhile: the author resolves it, as
        # after a conflicting approval, from the merge against the new version.
        change_request.status = Status.CONFLICT
        change_request.conflicts = conflicts
        change_request.resolution = {
            "base_history_id": new_row.history_id,
            "content": {**found.proposed, **merged},
        }
    else:
        for name, value in merged.items():
            setattr(change_request, name, value)
    change_request_render(change_request)
    change_request.save()


def _comments_resolved(change_request: ChangeRequest, chosen, found: RequestChanges) -> None:
    """Comments on the lines and cells a partial publication published are settled by it."""
    new_lines = found.proposed.get("body", "").splitlines()
    settled = []
    for comment in DiffComment.objects.filter(change_request=change_request, parent=None, is_resolved=False):
        anchor = comment.anchor or {}
        for change in chosen:
            if "line" in anchor and change.new_range is not None:
                start, end = change.new_range
                line = anchor["line"] - 1
                if start <= line < end and line < len(new_lines) and new_lines[line] == anchor.get("text"):
                    settled.append(comment.pk)
                    break
            elif (
                change.anchor
                and ("row" in anchor or "column" in anchor)
                and all(anchor.get(key) == value for key, value in change.anchor.items())
            ):
                settled.append(comment.pk)
                break
    if settled:
        DiffComment.objects.filter(pk__in=settled).update(is_resolved=True)


@transaction.atomic
def change_request_reject_part(
    *,
    change_request: ChangeRequest,
    reviewer,
    rejected,
    comment: str,
    revision: int | None = None,
) -> ChangeRequest:
    """Take the ``rejected`` changes out of the request ("not this one"); the comment says
    why, and the author sees it with the list of what was taken out. The rest stays under
    review as the request's next revision. Rejecting every change is rejecting the request."""
    change_request = _locked(change_request)
    _check_reviewable(change_request, reviewer, revision, "reject")
    comment = (comment or "").strip()
    found, rejected = _changes_checked(change_request, rejected, verb="reject")
    if not comment:
        raise ReviewError("Say why in a comment: it is required to reject changes.")
    total = len(found.changes)
    if len(rejected) == total:
        raise ReviewError(
            "Every change is ticked: reject the whole request instead, or leave some changes unticked."
        )
    kept = {change.id for change in found.changes} - rejected
    review = Review.objects.create(
        change_request=change_request,
        reviewer=reviewer,
        verdict=Review.Verdict.REJECT_PART,
        comment=comment,
        revision=change_request.revision,
        changes=[change.label for change in found.by_id(rejected)],
        changes_proposed=total,
    )
    # The reviewers saw the text being replaced: the next round shows what changed since.
    change_request.reviewed_revision = change_request.revision
    change_request.reviewed_body = change_request.body
    change_request.reviewed_table = {"headers": change_request.headers, "rows": change_request.rows}
    for name, value in proposal_applied(found.kind, found.base, found.proposed, kept).items():
        setattr(change_request, name, value)
    change_request.revision += 1
    change_request_render(change_request)
    change_request.save()
    _reviewed(
        change_request,
        review,
        published=False,
        detail=f"{len(rejected)} of your {total} changes were taken out: {comment}"[:200],
    )
    return change_request


def _reviewed(change_request: ChangeRequest, review: Review, *, published: bool, detail: str = "") -> None:
    """After any verdict: the reviewer watches the page, the author (and, when it was
    published, the page's watchers) hear of it, and the webhooks are told."""
    watch_automatically(user=review.reviewer, target=_watch_target(change_request))
    notify_request_reviewed(change_request, review, published=published, detail=detail)
    change_request_event_emit(
        event=WebhookEvent.CHANGE_REQUEST_REVIEWED,
        change_request=change_request,
        actor=review.reviewer,
        review=review,
    )


def _published(
    change_request: ChangeRequest, review: Review, outcome: PublishOutcome, detail: str = ""
) -> None:
    """After an approval: the author and the reviewer watch the page (a new chapter, once it
    exists), and the author and the page's watchers hear of it (the author alone of a conflict)."""
    if outcome.published and change_request.kind == Kind.CHAPTER_NEW:
        watch_automatically(user=change_request.author, target=_watch_target(change_request))
    _reviewed(change_request, review, published=outcome.published, detail=detail)
    if outcome.published and change_request.status == Status.APPROVED:
        change_request_event_emit(
            event=WebhookEvent.CHANGE_REQUEST_PUBLISHED, change_request=change_request, actor=review.reviewer
        )
    if outcome.page is not None:
        # Last: hooks run after the commit in the order they were registered, and the
        # e-mails' enqueue (registered just above) must not wait behind a cache.
        page_cache_expire(book_slug=outcome.page.book_slug, number=outcome.page.number)


def _locked(change_request: ChangeRequest) -> ChangeRequest:
    """Re-read the request under a row lock so two actions on it run one after the other."""
    return ChangeRequest.objects.select_for_update().get(pk=change_request.pk)


# --- Reverting -------------------------------------------------------------------------------


@transaction.atomic
def change_request_revert(
    *, user, history_id: int, chapter: Chapter | None = None, table: ComparisonTable | None = None
) -> tuple[ChangeRequest, PublishOutcome | None]:
    """Propose restoring an old version as a new one ("Reverted to version N").

    History is append-only: a revert publishes a new version with the old content. A user
    who may revert directly (reviewers) publishes at once; an editor's revert waits for review.
    """
    if not permissions.can_propose(user):
        raise ReviewError("You may not revert pages.")
    target = table if table is not None else chapter
    if target is None:
        raise ReviewError("Name the chapter or table to revert.")
    model = type(target)
    versions = list(
        model.history.filter(id=target.pk).order_by("history_id").values_list("history_id", flat=True)
    )
    if history_id not in versions:
        raise ReviewError("That version does not belong to this page.")
    number = versions.index(history_id) + 1
    if history_id == versions[-1]:
        raise ReviewError(f"Version {number} is the current version; there is nothing to revert.")
    row = model.history.get(history_id=history_id)
    chapter = chapter or table.chapter
    content = snapshot("table" if table is not None else "chapter", row)
    change_request = ChangeRequest(
        kind=Kind.REVERT,
        book_id=chapter.book_id,
        chapter=chapter,
        table=table,
        author=user,
        summary=f"Reverted to version {number}",
        status=Status.SUBMITTED,
        revert_to_version=number,
        base_history_id=versions[-1],
        **content,
    )
    change_request_render(change_request)
    change_request.save()
    if not permissions.can_revert(user):
        _submitted(change_request)
        return change_request, None
    change_request = _locked(change_request)
    review = Review.objects.create(
        change_request=change_request,
        reviewer=user,
        verdict=Review.Verdict.APPROVE,
        comment="Direct revert.",
        revision=change_request.revision,
    )
    outcome = publish(change_request, approver=user)
    _published(change_request, review, outcome)
    return change_request, outcome
