"""Revising a change request: the author changes a draft, or answers "changes requested"
or a conflict, in the editor the request was proposed with. After a conflict the text
comes with conflict cards ("Resolve the conflicts"): keep published, keep mine or edit,
one choice per conflict, merged on the server so the page works without JavaScript."""

from types import SimpleNamespace

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from notes.forms.reviews import BookForm, ChapterForm, NewBookForm, NewChapterForm, TableMetaForm, text_fields
from notes.lib.merging import CHOICES, ConflictChoiceError, conflict_blocks, conflicts_resolve
from notes.lib.numbers import BadNumber, parse_int
from notes.models import ChangeRequest
from notes.models.reviews import PROPOSED_FIELDS
from notes.permissions import can_propose, can_revise, permission_view, require
from notes.selectors.reviews import change_request_get
from notes.services.drafts import draft_save
from notes.services.reviews import ReviewError, change_request_revise
from notes.views.proposing import request_saved, submitting, table_proposal

Kind = ChangeRequest.Kind


def _fields(change_request: ChangeRequest) -> dict:
    names = {name for fields in PROPOSED_FIELDS.values() for name in fields}
    return {name: getattr(change_request, name) for name in names}


@permission_view
def request_revise(request, request_id: int):
    """The author changes a draft, or answers "changes requested" or a conflict."""
    require(request, can_propose(request.user))  # before the lookup: ids are not public
    change_request = change_request_get(request_id=request_id)
    require(request, can_revise(request.user, change_request))
    kind = change_request.target_kind
    is_amendment = change_request.status == ChangeRequest.Status.SUBMITTED
    heading = f"{'Amend' if is_amendment else 'Revise'} request #{change_request.pk}"
    published_url = _published_editor_url(change_request)
    if change_request.status == ChangeRequest.Status.DRAFT and published_url:
        # A draft was never a request anyone saw: it is the page being edited.
        if change_request.kind == Kind.TABLE_EDIT:
            heading = f"Edit the table “{change_request.table}” (your draft)"
        else:
            target = (
                change_request.chapter if change_request.kind == Kind.CHAPTER_EDIT else change_request.book
            )
            heading = f"Edit {target} (your draft)"
    if not change_request.is_editable:
        messages.error(
            request, f"A request that is {change_request.get_status_display().lower()} cannot be revised."
        )
        return redirect("notes:review-detail", request_id=change_request.pk)
    # After a conflict the author starts from the merge: agreed parts merged, conflicting
    # parts as proposed (text with conflict markers to resolve).
    draft = SimpleNamespace(**{**_fields(change_request), **change_request.resolution.get("content", {})})

    def revise(summary, content):
        if change_request.status == ChangeRequest.Status.DRAFT and "revision" in request.POST:
            # The editor autosaves into this draft: refuse a text older than its last save.
            try:
                revision = parse_int(request.POST["revision"], what="The draft's revision")
            except BadNumber as error:
                raise ReviewError(str(error)) from None
            return draft_save(
                change_request=change_request,
                user=request.user,
                revision=revision,
                summary=summary,
                content=content,
                submit=submitting(request),
            )
        return change_request_revise(
            change_request=change_request,
            user=request.user,
            summary=summary,
            content=content,
            submit=submitting(request),
        )

    if kind == "table":

        def write(data, headers, rows):
            content = {"title": data["title"], "headers": headers, "rows": rows}
            if change_request.kind == Kind.TABLE_NEW:
                content["slug"] = data["slug"]
            return revise(data["summary"], content)

        return table_proposal(
            request,
            book=change_request.book,
            chapter=change_request.chapter,
            heading=heading,
            extra={
                "change_request": change_request,
                **_draft_context(request, change_request, published_url),
            },
            form=TableMetaForm(
                initial={"summary": change_request.summary, "title": draft.title, "slug": change_request.slug}
            ),
            headers=draft.headers,
            rows=draft.rows,
            write=write,
            show_slug=change_request.kind == Kind.TABLE_NEW,
            amended=is_amendment,
        )

    fields = text_fields(change_request)
    if change_request.kind == Kind.BOOK_CREATE:
        form_class, template, form_kwargs = NewBookForm, "book_form", {}
    elif kind == "book":
        form_class, template, form_kwargs = BookForm, "book_form", {}
    else:
        form_class = NewChapterForm if change_request.kind == Kind.CHAPTER_NEW else ChapterForm
        template, form_kwargs = "chapter_form", {"chapter_id": change_request.chapter_id}
    choice_error = None
    if request.method == "POST":
        data, choice_error = _conflict_choices_applied(request.POST)
        form = form_class(data, **form_kwargs)
        if choice_error:
            form.is_valid()
            form.add_error(None, choice_error)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                change_request = revise(data["summary"], {name: data[name] for name in fields})
            except ReviewError as error:
                form.add_error(None, str(error))
            else:
                return request_saved(request, change_request, amended=is_amendment)
    else:
        initial = {name: getattr(draft, name) for name in fields}
        form = form_class(initial={**initial, "summary": change_request.summary}, **form_kwargs)
    if change_request.kind == Kind.BOOK_FROM_FILE:
        form.fields["body"].label = "The whole book (Markdown notes, as uploaded)"
    context = {
        "form": form,
        "book": change_request.book,
        "chapter": change_request.chapter,
        "heading": heading,
        "change_request": change_request,
        "open_requests": None,
    }
    if change_request.status == ChangeRequest.Status.CONFLICT:
        text = request.POST.get("body", "") if request.method == "POST" else draft.body
        context["conflict_cards"] = _conflict_cards(text, request.POST if request.method == "POST" else {})
        context["other_conflicts"] = _other_conflicts(change_request)
    context.update(_draft_context(request, change_request, published_url))
    return render(request, f"notes/editing/{template}.html", context, status=400 if form.errors else 200)


def _draft_context(request, change_request: ChangeRequest, published_url: str) -> dict:
    """A draft's editor autosaves into it, and offers the published text and discarding."""
    if change_request.status != ChangeRequest.Status.DRAFT:
        return {}
    context = {
        "autosave_url": reverse("notes:draft-autosave", args=[change_request.pk]),
        "draft_id": change_request.pk,
        "draft_revision": request.POST.get("revision", change_request.revision),
    }
    if published_url:
        context["draft_notice"] = {"published_url": published_url}
    return context


def _published_editor_url(change_request: ChangeRequest) -> str:
    """The page's own editor showing the published text (a table's grid, a chapter's text
    or a book's details); empty for what has no page yet."""
    if change_request.kind == Kind.TABLE_EDIT:
        table = change_request.table
        url = reverse("notes:table-edit", args=[change_request.book.slug, table.chapter.number, table.slug])
    elif change_request.kind == Kind.CHAPTER_EDIT:
        url = reverse("notes:chapter-edit", args=[change_request.book.slug, change_request.chapter.number])
    elif change_request.kind == Kind.BOOK_EDIT:
        url = reverse("notes:book-edit", args=[change_request.book.slug])
    else:
        return ""
    return f"{url}?published=1"


def _conflict_choices_applied(post) -> tuple[object, str | None]:
    """The posted form with its text's conflicts resolved by the posted choices.

    Each conflict card posts ``choice-<n>`` ("published", "mine" or "edit") and
    ``edit-<n>``; the server builds the merged text from the text's own markers, so the
    page works without JavaScript. No choice at all leaves the text as typed ("Edit as
    text"); some but not all is refused, naming the conflicts still to choose for.
    """
    body = post.get("body", "").replace("\r\n", "\n")
    count = sum(1 for piece in conflict_blocks(body) if "text" not in piece)
    choices = [post.get(f"choice-{number}", "") for number in range(count)]
    if not any(choices):
        return post, None
    missing = [str(number + 1) for number, choice in enumerate(choices) if not choice]
    if missing:
        return post, (
            f"Choose “keep published”, “keep mine” or “edit” for conflict {', '.join(missing)}, "
            "or resolve it in the text."
        )
    try:
        resolved = conflicts_resolve(
            body, choices=choices, edits=[post.get(f"edit-{number}", "") for number in range(count)]
        )
    except ConflictChoiceError as error:
        return post, str(error)
    data = post.copy()
    data["body"] = resolved
    return data, None


def _conflict_cards(text: str, post) -> dict:
    """The text's pieces for the conflict cards: agreed text and each conflict with the
    author's posted choice (none yet on a first visit), numbered from 0."""
    pieces, number = [], 0
    for piece in conflict_blocks(text.replace("\r\n", "\n")):
        if "text" in piece:
            pieces.append(piece)
            continue
        choice = post.get(f"choice-{number}", "")
        choice = choice if choice in CHOICES else ""
        edit = post.get(f"edit-{number}", piece["mine"])
        shown = {"published": piece["published"], "edit": edit}.get(choice, piece["mine"])
        pieces.append({**piece, "number": number, "choice": choice, "edit": edit, "shown": shown})
        number += 1
    return {"pieces": pieces, "cards": [piece for piece in pieces if "number" in piece]}


def _other_conflicts(change_request: ChangeRequest) -> list[dict]:
    """The conflicts the cards do not show: whole fields (a title) rather than text."""
    return [conflict for conflict in change_request.conflicts if conflict.get("field") != "body"]
