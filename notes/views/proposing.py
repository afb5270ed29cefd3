"""Proposing changes: the chapter editor with live preview, new chapters, book details,
comparison tables cell by cell, and revising a request. Every save becomes a change
request; nothing here publishes."""

from types import SimpleNamespace

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from notes.forms.reviews import (
    BookForm,
    ChapterForm,
    NewBookForm,
    NewChapterForm,
    TableMetaForm,
    grid_from_post,
)
from notes.lib.limits import chapter_size_refusal
from notes.lib.markup import render_markdown
from notes.lib.merging import (
    CHOICES,
    ConflictChoiceError,
    conflict_blocks,
    conflict_markers_escaped,
    conflicts_resolve,
)
from notes.lib.numbers import BadNumber, parse_int, parse_optional_int
from notes.models import Book, ChangeRequest, Chapter, ComparisonTable
from notes.permissions import can_propose, can_revise, permission_view, require
from notes.selectors import books as selectors
from notes.selectors.editing import open_requests_on
from notes.selectors.reviews import change_request_get
from notes.services.drafts import draft_save
from notes.services.reviews import (
    ReviewError,
    change_request_create,
    change_request_revise,
    latest_history_id,
)

Kind = ChangeRequest.Kind


def _submitting(request) -> bool:
    return request.POST.get("action") != "draft"


def _proposed(request, form, **proposal) -> ChangeRequest | None:
    """Write the change request; a refusal from the rules becomes an error on ``form``."""
    try:
        return _create(request, **proposal)
    except ReviewError as error:
        form.add_error(None, str(error))
        return None


def _posted_draft(request) -> dict:
    """The draft an editor autosaved into, as posted back (so a refused submit keeps it)."""
    if request.method != "POST":
        return {}
    return {"draft_id": request.POST.get("draft", ""), "draft_revision": request.POST.get("revision", "")}


def _offer_autosave(context: dict, url: str) -> None:
    """Autosave, unless the author has a draft of this page: the page offers it instead (a
    second draft of the same page would only be refused)."""
    if context["open_requests"].draft is None or context.get("draft_id"):
        context["autosave_url"] = url


def _proposed_or_into_draft(request, form, *, summary, content, **proposal) -> ChangeRequest | None:
    """A new request; or, when the editor has autosaved, its draft saved or submitted.

    The form then carries the draft's id and the revision it last saved; a draft that moved
    on in another tab is refused on the form, never overwritten.
    """
    try:
        draft_id = parse_optional_int(request.POST.get("draft"), what="The draft")
        revision = parse_optional_int(request.POST.get("revision"), what="The draft's revision")
    except BadNumber as error:
        form.add_error(None, str(error))
        return None
    if draft_id is None:
        return _proposed(request, form, summary=summary, content=content, **proposal)
    draft = ChangeRequest.objects.filter(
        pk=draft_id,
        author=request.user,
        kind=proposal["kind"],
        book=proposal["book"],
        chapter=proposal.get("chapter"),
    ).first()
    if draft is None:
        form.add_error(None, "That draft is not one of yours; your text is below, submit it again.")
        return None
    try:
        return draft_save(
            change_request=draft,
            user=request.user,
            revision=revision,
            summary=summary,
            content=content,
            submit=_submitting(request),
        )
    except ReviewError as error:
        form.add_error(None, str(error))
        return None


def _saved(request, change_request: ChangeRequest):
    if change_request.status == ChangeRequest.Status.DRAFT:
        messages.success(request, "Saved as a draft. Submit it when it is ready for review.")
    else:
        messages.success(request, "Submitted for review. It goes live when a reviewer approves it.")
    return redirect("notes:review-detail", request_id=change_request.pk)


@permission_view
def chapter_edit(request, book_slug: str, number: int):
    require(request, can_propose(request.user))
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    if request.method == "POST":
        form = ChapterForm(request.POST, chapter_id=chapter.pk)
        if form.is_valid():
            data = form.cleaned_data
            content = {"title": data["title"], "body": data["body"]}
            change_request = _proposed_or_into_draft(
                request,
                form,
                book=chapter.book,
                kind=Kind.CHAPTER_EDIT,
                chapter=chapter,
                summary=data["summary"],
                content=content,
                base_history_id=data["base_version"],
            )
            if change_request is not None:
                return _saved(request, change_request)
    else:
        form = ChapterForm(
            initial={
                "title": chapter.title,
                "body": chapter.body,
                "base_version": latest_history_id(Chapter, chapter.pk),
            },
            chapter_id=chapter.pk,
        )
    context = {
        "form": form,
        "book": chapter.book,
        "chapter": chapter,
        "heading": f"Edit {chapter}",
        "open_requests": open_requests_on(user=request.user, book=chapter.book, chapter=chapter),
        **_posted_draft(request),
    }
    _offer_autosave(context, reverse("notes:chapter-autosave", args=[chapter.book.slug, chapter.number]))
    return render(request, "notes/editing/chapter_form.html", context, status=400 if form.errors else 200)


@permission_view
def chapter_new(request, book_slug: str):
    require(request, can_propose(request.user))
    book = selectors.book_get(slug=book_slug)
    if request.method == "POST":
        form = NewChapterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            change_request = _proposed(
                request,
                form,
                book=book,
                kind=Kind.CHAPTER_NEW,
                summary=data["summary"],
                content={"number": data["number"], "title": data["title"], "body": data["body"]},
            )
            if change_request is not None:
                return _saved(request, change_request)
    else:
        next_number = (book.chapters.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        form = NewChapterForm(initial={"number": next_number})
    context = {"form": form, "book": book, "heading": f"Propose a new chapter of {book}"}
    return render(request, "notes/editing/chapter_form.html", context, status=400 if form.errors else 200)


@permission_view
def book_edit(request, book_slug: str):
    require(request, can_propose(request.user))
    book = selectors.book_get(slug=book_slug)
    if request.method == "POST":
        form = BookForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            change_request = _proposed_or_into_draft(
                request,
                form,
                book=book,
                kind=Kind.BOOK_EDIT,
                summary=data["summary"],
                content={name: data[name] for name in ("title", "body", "book_author", "book_domains")},
                base_history_id=data["base_version"],
            )
            if change_request is not None:
                return _saved(request, change_request)
    else:
        form = BookForm(
            initial={
                "title": book.title,
                "book_author": book.author,
                "book_domains": book.domains,
                "body": book.summary,
                "base_version": latest_history_id(Book, book.pk),
            }
        )
    context = {
        "form": form,
        "book": book,
        "heading": f"Edit the details of {book}",
        "open_requests": open_requests_on(user=request.user, book=book),
        **_posted_draft(request),
    }
    _offer_autosave(context, reverse("notes:book-autosave", args=[book.slug]))
    return render(request, "notes/editing/book_form.html", context, status=400 if form.errors else 200)


BOOK_NEW_FIELDS = ("title", "body", "book_author", "book_domains", "slug")


@permission_view
def book_new(request):
    """Propose a new book: it goes through review like any change and exists once approved."""
    require(request, can_propose(request.user))
    if request.method == "POST":
        form = NewBookForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            change_request = _proposed(
                request,
                form,
                book=None,
                kind=Kind.BOOK_NEW,
                summary=data["summary"],
                content={name: data[name] for name in BOOK_NEW_FIELDS},
            )
            if change_request is not None:
                return _saved(request, change_request)
    else:
        form = NewBookForm(initial={"summary": "Added the book"})
    context = {"form": form, "book": None, "heading": "Propose a new book"}
    return render(request, "notes/editing/book_form.html", context, status=400 if form.errors else 200)


def _table_page(request, *, form, headers, rows, book, chapter, heading, show_slug=False, open_requests=None):
    context = {
        "open_requests": open_requests,
        "form": form,
        "headers": headers,
        "rows": rows,
        "book": book,
        "chapter": chapter,
        "heading": heading,
        "column_count": len(headers),
        "row_count": len(rows),
        "show_slug": show_slug,
    }
    return render(request, "notes/editing/table_form.html", context, status=400 if form.errors else 200)


def _table_post(request):
    """The posted table form and grid; an add/remove button only redraws the grid, unvalidated."""
    headers, rows, grid_action = grid_from_post(request.POST)
    if grid_action:
        fields = ("title", "slug", "summary", "base_version")
        return (
            TableMetaForm(initial={name: request.POST.get(name) for name in fields}),
            headers,
            rows,
            grid_action,
        )
    return TableMetaForm(request.POST), headers, rows, None


def _table_proposal(
    request, *, book, chapter, heading, form, headers, rows, write, show_slug=False, open_requests=None
):
    """The grid editor: drawn on GET and on a grid button; a save calls
    ``write(data, headers, rows)``, whose ReviewError is shown on the form."""
    page = {
        "book": book,
        "chapter": chapter,
        "heading": heading,
        "show_slug": show_slug,
        "open_requests": open_requests,
    }
    if request.method == "POST":
        form, headers, rows, grid_action = _table_post(request)
        if not grid_action and form.is_valid():
            try:
                change_request = write(form.cleaned_data, headers, rows)
            except ReviewError as error:
                form.add_error(None, str(error))
            else:
                return _saved(request, change_request)
    return _table_page(request, form=form, headers=headers, rows=rows, **page)


def _create(request, book, **proposal) -> ChangeRequest:
    return change_request_create(author=request.user, book=book, submit=_submitting(request), **proposal)


@permission_view
def table_edit(request, book_slug: str, number: int, table_slug: str):
    require(request, can_propose(request.user))
    table = selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
    return _table_proposal(
        request,
        book=table.chapter.book,
        chapter=table.chapter,
        heading=f"Edit the table “{table}”",
        open_requests=open_requests_on(user=request.user, table=table),
        form=TableMetaForm(
            initial={"title": table.title, "base_version": latest_history_id(ComparisonTable, table.pk)}
        ),
        headers=table.headers,
        rows=table.rows,
        write=lambda data, headers, rows: _create(
            request,
            table.chapter.book,
            kind=Kind.TABLE_EDIT,
            table=table,
            summary=data["summary"],
            content={"title": data["title"], "headers": headers, "rows": rows},
            base_history_id=data["base_version"],
        ),
    )


@permission_view
def table_new(request, book_slug: str, number: int):
    require(request, can_propose(request.user))
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    return _table_proposal(
        request,
        book=chapter.book,
        chapter=chapter,
        heading=f"Propose a new table for {chapter}",
        form=TableMetaForm(),
        headers=["", ""],
        rows=[["", ""]],
        show_slug=True,
        write=lambda data, headers, rows: _create(
            request,
            chapter.book,
            kind=Kind.TABLE_NEW,
            chapter=chapter,
            summary=data["summary"],
            content={"slug": data["slug"], "title": data["title"], "headers": headers, "rows": rows},
        ),
    )


def _fields(change_request: ChangeRequest) -> dict:
    names = ("title", "body", "headers", "rows", "book_author", "book_domains", "number", "slug")
    return {name: getattr(change_request, name) for name in names}


def text_fields(change_request: ChangeRequest) -> tuple[str, ...]:
    """What the text editor changes in a request of this kind (tables have the grid)."""
    if change_request.kind == Kind.BOOK_NEW:
        return BOOK_NEW_FIELDS
    if change_request.target_kind == "book":
        return ("title", "body", "book_author", "book_domains")
    return ("number", "title", "body") if change_request.kind == Kind.CHAPTER_NEW else ("title", "body")


@permission_view
def request_revise(request, request_id: int):
    """The author changes a draft, or answers "changes requested" or a conflict."""
    require(request, can_propose(request.user))  # before the lookup: ids are not public
    change_request = change_request_get(request_id=request_id)
    require(request, can_revise(request.user, change_request))
    kind = change_request.target_kind
    heading = f"Revise request #{change_request.pk}"
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
                submit=_submitting(request),
            )
        return change_request_revise(
            change_request=change_request,
            user=request.user,
            summary=summary,
            content=content,
            submit=_submitting(request),
        )

    if kind == "table":

        def write(data, headers, rows):
            content = {"title": data["title"], "headers": headers, "rows": rows}
            if change_request.kind == Kind.TABLE_NEW:
                content["slug"] = data["slug"]
            return revise(data["summary"], content)

        return _table_proposal(
            request,
            book=change_request.book,
            chapter=change_request.chapter,
            heading=heading,
            form=TableMetaForm(
                initial={"summary": change_request.summary, "title": draft.title, "slug": change_request.slug}
            ),
            headers=draft.headers,
            rows=draft.rows,
            write=write,
            show_slug=change_request.kind == Kind.TABLE_NEW,
        )

    fields = text_fields(change_request)
    if change_request.kind == Kind.BOOK_NEW:
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
                return _saved(request, change_request)
    else:
        initial = {name: getattr(draft, name) for name in fields}
        form = form_class(initial={**initial, "summary": change_request.summary}, **form_kwargs)
    if change_request.kind == Kind.NEW_BOOK:
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
    if change_request.status == ChangeRequest.Status.DRAFT:
        context["autosave_url"] = reverse("notes:draft-autosave", args=[change_request.pk])
        context["draft_id"] = change_request.pk
        context["draft_revision"] = request.POST.get("revision", change_request.revision)
    return render(request, f"notes/editing/{template}.html", context, status=400 if form.errors else 200)


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


# The live preview renders texts up to this size: about a second and a half at worst.
PREVIEW_MAX_BYTES = 160 * 1024


@require_POST
@permission_view
def markdown_preview(request):
    """The live preview: the same sanitized HTML as the published page, tables expanded.

    django-markdownx's editor posts ``content`` here (with the CSRF token); ``?chapter=``
    names the chapter whose comparison tables the placeholders stand for.
    """
    require(request, can_propose(request.user))
    tables = {}
    chapter_id = request.GET.get("chapter", "")
    if chapter_id:
        try:
            chapter_pk = parse_int(chapter_id, what="The chapter")
        except BadNumber as error:
            return HttpResponse(f"Unknown chapter. {error}", status=400, content_type="text/plain")
        chapter = get_object_or_404(Chapter.objects.prefetch_related("tables"), pk=chapter_pk)
        tables = {table.slug: table for table in chapter.tables.all()}
    # Browsers send form text with CRLF line ends; placeholders are matched per line.
    content = request.POST.get("content", "").replace("\r\n", "\n")
    refusal = chapter_size_refusal(content)
    if refusal:
        return HttpResponse(refusal, status=400, content_type="text/plain")
    size = len(content.encode("utf-8"))
    if size > PREVIEW_MAX_BYTES:
        # Rendering is slow past this size (seconds per keystroke); the editor shows this
        # notice where the preview goes, and the request page shows the text rendered.
        return HttpResponse(
            f'<p class="message warning">The live preview shows texts up to {PREVIEW_MAX_BYTES // 1024} KB; '
            f"this one is {size // 1024} KB. Save it as a draft or submit it: its request page shows it "
            "rendered.</p>"
        )
    # Unresolved conflict markers show as the lines they are, never as a heading.
    return HttpResponse(render_markdown(conflict_markers_escaped(content), tables))
