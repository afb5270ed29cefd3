"""The review queue, one change request with its diff, and the reviewers' and authors' actions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from notes.forms.reviews import VerdictForm
from notes.lib.diff_anchors import anchor_label, is_outdated, line_now, side_by_side_with_notes
from notes.lib.hunks import proposal_applied
from notes.lib.limits import MAX_PART_CHANGES
from notes.lib.table_diffs import table_diff
from notes.models import ChangeRequest
from notes.permissions import (
    can_comment_on_diff,
    can_review_request,
    can_revise,
    can_see_request,
    can_see_reviews,
    can_submit,
    can_withdraw,
    permission_view,
    require,
)
from notes.selectors.people import diff_view_of
from notes.selectors.reviews import (
    BUCKETS,
    base_version_position,
    change_request_get,
    diff_comment_threads,
    proposed_changes,
    request_review_counts,
    review_queue,
    target_base_and_current,
)
from notes.services import reviews as services
from notes.services.renderings import change_request_renderings_current, part_rendered
from notes.views.review_comments import comment_anchors

REQUESTS_PER_PAGE = 50


@permission_view
def queue(request):
    require(request, can_see_reviews(request.user))
    bucket = request.GET.get("status", ChangeRequest.Status.SUBMITTED)
    if bucket not in BUCKETS:
        bucket = ChangeRequest.Status.SUBMITTED
    counts = request_review_counts(request)
    paginator = Paginator(review_queue(user=request.user, bucket=bucket), REQUESTS_PER_PAGE)
    paginator.count = counts[bucket]  # the tabs' counts already hold it: no second count query
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notes/reviews/queue.html",
        {
            "bucket": bucket,
            "buckets": [(key, label, counts[key]) for key, label in BUCKETS.items()],
            "page": page,
            "requests": page.object_list,
        },
    )


def _diff_context(change_request: ChangeRequest) -> dict:
    """What the reviewer reads: the proposal against the version it was written from.

    The proposal's HTML and its diffs were stored when it was written or revised; only
    the table cell diff (plain data, no Markdown) is worked out here.
    """
    change_request_renderings_current(change_request)
    base, current = target_base_and_current(change_request)
    kind = change_request.target_kind
    base_number, newer_versions = base_version_position(change_request, base)
    context = {
        "base": base,
        "current": current,
        "kind": kind,
        "base_number": base_number,
        # Published since the request was written: approval will merge with them.
        "newer_versions": newer_versions if change_request.is_open else 0,
        "rendered": change_request.rendered_html,
        "rendered_diff": change_request.rendered_diff_html,
        # Review rounds: what changed since the revision reviewers last saw (a verdict, or an
        # amendment of a submitted request).
        "since_review": change_request.since_review_diff_html
        if change_request.reviewed_revision is not None
        and change_request.reviewed_revision < change_request.revision
        else "",
    }
    if kind == "table":
        context["cells"] = table_diff(
            base.headers if base else [],
            base.rows if base else [],
            change_request.headers,
            change_request.rows,
        )
        reviewed = change_request.reviewed_table
        if reviewed and change_request.reviewed_revision is not None:
            since = table_diff(
                reviewed.get("headers", []),
                reviewed.get("rows", []),
                change_request.headers,
                change_request.rows,
            )
            if change_request.reviewed_revision < change_request.revision:
                context["since_review_cells"] = since
                context["since_review"] = since.summary
        return context
    old = (base.summary if kind == "book" else base.body) if base else ""
    context.update(
        title_changed=bool(base) and base.title != change_request.title,
        old_title=base.title if base else "",
        inline_diff=change_request.inline_diff_html,
        side_by_side=change_request.side_by_side_html,
        has_changes=old != change_request.body,
    )
    if kind == "book" and base:
        context["field_changes"] = [
            (label, before, after)
            for label, before, after in (
                ("Author", base.author, change_request.book_author),
                ("Domains", base.domains, change_request.book_domains),
            )
            if before != after
        ]
    return context


@permission_view
def detail(request, request_id: int):
    require(request, can_see_reviews(request.user))  # before the lookup: ids are not public
    change_request = change_request_get(request_id=request_id)
    require(request, can_see_request(request.user, change_request))
    user = request.user
    reviews = list(change_request.reviews.all())
    context = {
        "change_request": change_request,
        "reviews": reviews,
        "can_review": can_review_request(user, change_request)
        and change_request.status == ChangeRequest.Status.SUBMITTED,
        "can_withdraw": can_withdraw(user, change_request) and change_request.is_open,
        "can_revise": can_revise(user, change_request) and change_request.is_editable,
        "can_submit": can_submit(user, change_request)
        and change_request.status == ChangeRequest.Status.DRAFT,
        "can_reopen": can_revise(user, change_request)
        and change_request.status == ChangeRequest.Status.WITHDRAWN,
        "verdict_form": VerdictForm(initial={"revision": change_request.revision}),
        "diff_view": diff_view_of(user),
        **_diff_context(change_request),
    }
    context.update(_comments_context(change_request, context, user))
    if context["can_review"]:
        found = proposed_changes(change_request, base=context["base"])
        # Ticking every change (one of one included) approves the whole request.
        changes = found.changes if found else []
        context["part_changes"] = changes if len(changes) <= MAX_PART_CHANGES else []
        context["too_many_changes"] = len(changes) > MAX_PART_CHANGES
    return render(request, "notes/reviews/detail.html", context)


@permission_view
def part_preview(request, request_id: int):
    """The page as it would read with the ticked changes published, the count of them, and
    the buttons that publish them or take them out. Read-only: the request page asks by GET,
    and the preview asks itself again by POST (its form carries the CSRF token, which must
    not travel in an address)."""
    require(request, can_see_reviews(request.user))
    change_request = change_request_get(request_id=request_id)
    require(request, can_review_request(request.user, change_request))
    back = redirect("notes:review-detail", request_id=change_request.pk)
    found = proposed_changes(change_request)
    if (
        change_request.status != ChangeRequest.Status.SUBMITTED
        or found is None
        or len(found.changes) > MAX_PART_CHANGES
    ):
        messages.error(request, "Only a submitted chapter or table edit can be taken in part.")
        return back
    data = request.POST if request.method == "POST" else request.GET
    if data.get("revision") != str(change_request.revision):
        messages.error(
            request,
            f"This request is at revision {change_request.revision} now; read it again and tick the changes anew.",
        )
        return back
    known = {change.id for change in found.changes}
    ticked = [change_id for change_id in data.getlist("change") if change_id in known]
    if not ticked:
        messages.error(request, "Tick at least one change to preview; nothing is selected.")
        return back
    content = proposal_applied(found.kind, found.base, found.proposed, set(ticked))
    return render(
        request,
        "notes/reviews/part_preview.html",
        {
            "change_request": change_request,
            "part_changes": found.changes,
            "ticked": set(ticked),
            "ticked_count": len(ticked),
            "remaining": len(found.changes) - len(ticked),
            "rendered": part_rendered(change_request, content),
            "verdict_form": VerdictForm(initial={"revision": change_request.revision}),
        },
    )


def _comments_context(change_request: ChangeRequest, context: dict, user) -> dict:
    """The comments on lines and cells: each marked outdated when what it pointed at changed
    in a later revision; those on a cell or a line still standing are placed in the table
    diff or under their line of the side-by-side diff too."""
    threads = diff_comment_threads(change_request=change_request)
    current = {"body": change_request.body, "headers": change_request.headers, "rows": change_request.rows}
    notes: dict[tuple[int, int], list] = {}
    line_notes: dict[int, list] = {}
    keys = [str(row[0]) if row else "" for row in change_request.rows]
    headers = [str(header) for header in change_request.headers]
    for thread in threads:
        thread.is_outdated = thread.revision < change_request.revision and is_outdated(
            thread.anchor, **current
        )
        thread.place = anchor_label(thread.anchor)
        anchor = thread.anchor
        is_placed = "row" in anchor and not thread.is_outdated and keys.count(anchor["row"]) == 1
        if is_placed and anchor.get("column") in headers:
            notes.setdefault((keys.index(anchor["row"]), headers.index(anchor["column"])), []).append(thread)
        line = line_now(anchor, change_request.body) if not thread.is_outdated else None
        if line is not None:
            line_notes.setdefault(line, []).append(thread)
    can_comment = can_comment_on_diff(user, change_request)
    result = {"comment_threads": threads, "can_comment": can_comment}
    if can_comment:
        result["comment_anchors"] = comment_anchors(change_request, context["base"])
    if "cells" in context:
        result["table_rows"] = context["cells"].with_notes(notes)
    if line_notes and context.get("side_by_side"):
        result["side_by_side"] = side_by_side_with_notes(
            context["side_by_side"], {line: _line_notes_html(placed) for line, placed in line_notes.items()}
        )
    return result


def _line_notes_html(threads: list) -> str:
    """The comments on one line, as the side-by-side diff shows them under it: who, the
    start of what they wrote, and a link to the thread below."""
    return format_html_join(
        "",
        '<p class="line-comment"><a href="#diff-comment-{}">{} by {}</a>: {}</p>',
        (
            (
                thread.pk,
                "Comment (resolved)" if thread.is_resolved else "Comment",
                thread.author.get_username(),
                Truncator(" ".join(thread.body.split())).chars(120),
            )
            for thread in threads
        ),
    )


def _verdict(request, request_id: int, action):
    require(request, can_see_reviews(request.user))
    change_request = change_request_get(request_id=request_id)
    require(request, can_review_request(request.user, change_request))
    form = VerdictForm(request.POST)
    if not form.is_valid():
        # Without the revision the reviewer read, "revised since you opened it" cannot be checked.
        messages.error(request, "The form did not say which revision you read; open the request again.")
        return redirect("notes:review-detail", request_id=change_request.pk)
    revision = form.cleaned_data["revision"]
    comment = form.cleaned_data["comment"]
    try:
        message = action(change_request, comment, revision)
    except services.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect("notes:review-detail", request_id=change_request.pk)


@require_POST
@permission_view
def approve(request, request_id: int):
    def act(change_request, comment, revision):
        outcome = services.change_request_approve(
            change_request=change_request, reviewer=request.user, comment=comment, revision=revision
        )
        if not outcome.published:
            raise services.ReviewError(outcome.message)
        return outcome.message

    return _verdict(request, request_id, act)


@require_POST
@permission_view
def approve_part(request, request_id: int):
    def act(change_request, comment, revision):
        outcome = services.change_request_approve_part(
            change_request=change_request,
            reviewer=request.user,
            accepted=request.POST.getlist("change"),
            comment=comment,
            revision=revision,
        )
        if not outcome.published:
            raise services.ReviewError(outcome.message)
        return outcome.message

    return _verdict(request, request_id, act)


@require_POST
@permission_view
def reject_part(request, request_id: int):
    def act(change_request, comment, revision):
        count = len(request.POST.getlist("change"))
        services.change_request_reject_part(
            change_request=change_request,
            reviewer=request.user,
            rejected=request.POST.getlist("change"),
            comment=comment,
            revision=revision,
        )
        return (
            f"Took {count} change{'s' if count != 1 else ''} out of the request; the rest stays under review."
        )

    return _verdict(request, request_id, act)


@require_POST
@permission_view
def request_changes(request, request_id: int):
    def act(change_request, comment, revision):
        services.change_request_request_changes(
            change_request=change_request, reviewer=request.user, comment=comment, revision=revision
        )
        return "Sent back to the author with your comment."

    return _verdict(request, request_id, act)


@require_POST
@permission_view
def reject(request, request_id: int):
    def act(change_request, comment, revision):
        services.change_request_reject(
            change_request=change_request, reviewer=request.user, comment=comment, revision=revision
        )
        return "Rejected. Nothing was published."

    return _verdict(request, request_id, act)


@require_POST
@permission_view
def submit(request, request_id: int):
    require(request, can_see_reviews(request.user))
    change_request = change_request_get(request_id=request_id)
    require(request, can_submit(request.user, change_request))
    try:
        services.change_request_submit(change_request=change_request, user=request.user)
    except services.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Submitted for review.")
    return redirect("notes:review-detail", request_id=change_request.pk)


@require_POST
@permission_view
def reopen(request, request_id: int):
    require(request, can_see_reviews(request.user))
    change_request = change_request_get(request_id=request_id)
    require(request, can_revise(request.user, change_request))
    try:
        services.change_request_reopen(change_request=change_request, user=request.user)
    except services.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Reopened as a draft: revise it, then submit it for review.")
    return redirect("notes:review-detail", request_id=change_request.pk)


@require_POST
@permission_view
def withdraw(request, request_id: int):
    require(request, can_see_reviews(request.user))
    change_request = change_request_get(request_id=request_id)
    require(request, can_withdraw(request.user, change_request))
    try:
        services.change_request_withdraw(change_request=change_request, user=request.user)
    except services.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Withdrawn.")
    return redirect("notes:review-detail", request_id=change_request.pk)
