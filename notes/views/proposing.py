"""Proposing changes: the chapter editor, new chapters, book details, new books and
comparison tables cell by cell. Every save becomes a change request; nothing here publishes.

Revising a request (and its conflict cards) is in ``revising``, which draws its forms with
the helpers here; the live preview is in ``preview``."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from notes.forms.reviews import (
    BookForm,
    ChapterForm,
    NewBookForm,
    NewChapterForm,
    TableMetaForm,
    grid_from_post,
)
from notes.lib.limits import MAX_GRID_COLUMNS, MAX_GRID_ROWS
from notes.lib.numbers import BadNumber, parse_optional_int
from notes.models import Book, ChangeRequest, Chapter, ComparisonTable
from notes.models.reviews import PROPOSED_FIELDS
from notes.permissions import can_propose, permission_view, require
from notes.selectors import books as selectors
from notes.selectors.editing import my_draft_get, open_requests_on
from notes.services.drafts import draft_save
from notes.services.reviews import ReviewError, change_request_create

Kind = ChangeRequest.Kind


def submitting(request) -> bool:
    """The author pressed submit, not "save as a draft"."""
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


def _proposed_or_into_draft(request, form, **proposal) -> ChangeRequest | None:
    """``_into_draft_or_new``, its refusal shown on ``form``."""
    try:
        return _into_draft_or_new(request, **proposal)
    except ReviewError as error:
        form.add_error(None, str(error))
        return None


def _into_draft_or_new(request, *, summary, content, **proposal) -> ChangeRequest:
    """A new request; or, when the editor has autosaved, its draft saved or submitted.

    The form then carries the draft's id and the revision it last saved; a draft that moved
    on in another tab is refused (``ReviewError``), never overwritten.
    """
    try:
        draft_id = parse_optional_int(request.POST.get("draft"), what="The draft")
        revision = parse_optional_int(request.POST.get("revision"), what="The draft's revision")
    except BadNumber as error:
        raise ReviewError(str(error)) from None
    if draft_id is None:
        return _create(request, summary=summary, content=content, **proposal)
    target = proposal.get("table") or proposal.get("chapter") or proposal["book"]
    draft = my_draft_get(user=request.user, target=target, request_id=draft_id)
    if draft is None:
        raise ReviewError("That draft is not one of yours; your text is below, submit it again.")
    return draft_save(
        change_request=draft,
        user=request.user,
        revision=revision,
        summary=summary,
        content=content,
        submit=submitting(request),
    )


def request_saved(request, change_request: ChangeRequest, *, amended: bool = False):
    """Say what became of the saved request and show its page."""
    if change_request.status == ChangeRequest.Status.DRAFT:
        messages.success(request, "Saved as a draft. Submit it when it is ready for review.")
    elif amended:
        messages.success(
            request,
            f"Amended: revision {change_request.revision} waits for review; the reviewers are told "
            "and see what you changed.",
        )
    else:
        messages.success(request, "Submitted for review. It goes live when a reviewer approves it.")
    return redirect("notes:review-detail", request_id=change_request.pk)


def _draft_to_open(request, open_requests) -> ChangeRequest | None:
    """The user's draft of the page (found with its open requests, no query of its own),
    which the editor opens on, unless they asked for the published text (``?published=1``:
    the editor then offers the draft to continue)."""
    if request.method != "GET" or request.GET.get("published"):
        return None
    return open_requests.draft


@permission_view
def chapter_edit(request, book_slug: str, number: int):
    require(request, can_propose(request.user))
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    open_requests = open_requests_on(user=request.user, book=chapter.book, chapter=chapter)
    if (draft := _draft_to_open(request, open_requests)) is not None:
        return redirect("notes:review-revise", request_id=draft.pk)
    if request.method == "POST":
        form = ChapterForm(request.POST, chapter_id=chapter.pk)
        if form.is_valid():
            data = form.cleaned_data
            content = {name: data[name] for name in PROPOSED_FIELDS[Kind.CHAPTER_EDIT]}
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
                return request_saved(request, change_request)
    else:
        form = ChapterForm(
            initial={
                "title": chapter.title,
                "body": chapter.body,
                "base_version": selectors.latest_history_id(Chapter, chapter.pk),
            },
            chapter_id=chapter.pk,
        )
    context = {
        "form": form,
        "book": chapter.book,
        "chapter": chapter,
        "heading": f"Edit {chapter}",
        "open_requests": open_requests,
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
                content={name: data[name] for name in PROPOSED_FIELDS[Kind.CHAPTER_NEW]},
            )
            if change_request is not None:
                return request_saved(request, change_request)
    else:
        next_number = (book.chapters.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        form = NewChapterForm(initial={"number": next_number})
    context = {"form": form, "book": book, "heading": f"Propose a new chapter of {book}"}
    return render(request, "notes/editing/chapter_form.html", context, status=400 if form.errors else 200)


@permission_view
def book_edit(request, book_slug: str):
    require(request, can_propose(request.user))
    book = selectors.book_get(slug=book_slug)
    open_requests = open_requests_on(user=request.user, book=book)
    if (draft := _draft_to_open(request, open_requests)) is not None:
        return redirect("notes:review-revise", request_id=draft.pk)
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
                content={name: data[name] for name in PROPOSED_FIELDS[Kind.BOOK_EDIT]},
                base_history_id=data["base_version"],
            )
            if change_request is not None:
                return request_saved(request, change_request)
    else:
        form = BookForm(
            initial={
                "title": book.title,
                "book_author": book.author,
                "book_domains": book.domains,
                "body": book.summary,
                "base_version": selectors.latest_history_id(Book, book.pk),
            }
        )
    context = {
        "form": form,
        "book": book,
        "heading": f"Edit the details of {book}",
        "open_requests": open_requests,
        **_posted_draft(request),
    }
    _offer_autosave(context, reverse("notes:book-autosave", args=[book.slug]))
    return render(request, "notes/editing/book_form.html", context, status=400 if form.errors else 200)


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
                kind=Kind.BOOK_CREATE,
                summary=data["summary"],
                content={name: data[name] for name in PROPOSED_FIELDS[Kind.BOOK_CREATE]},
            )
            if change_request is not None:
                return request_saved(request, change_request)
    else:
        form = NewBookForm(initial={"summary": "Added the book"})
    context = {"form": form, "book": None, "heading": "Propose a new book"}
    return render(request, "notes/editing/book_form.html", context, status=400 if form.errors else 200)


def _table_page(
    request, *, form, headers, rows, book, chapter, heading, show_slug=False, open_requests=None, extra=None
):
    context = {
        **(extra or {}),
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
        "max_rows": MAX_GRID_ROWS,
        "max_columns": MAX_GRID_COLUMNS,
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


def table_proposal(
    request,
    *,
    book,
    chapter,
    heading,
    form,
    headers,
    rows,
    write,
    show_slug=False,
    open_requests=None,
    amended=False,
    extra=None,
):
    """The grid editor: drawn on GET and on a grid button; a save calls
    ``write(data, headers, rows)``, whose ReviewError is shown on the form (``amended``:
    the save amends a submitted request, and says so; ``extra``: more for the template,
    such as the autosave's address and draft)."""
    page = {
        "book": book,
        "chapter": chapter,
        "heading": heading,
        "show_slug": show_slug,
        "open_requests": open_requests,
        "extra": extra,
    }
    if request.method == "POST":
        form, headers, rows, grid_action = _table_post(request)
        if not grid_action and form.is_valid():
            try:
                change_request = write(form.cleaned_data, headers, rows)
            except ReviewError as error:
                form.add_error(None, str(error))
            else:
                return request_saved(request, change_request, amended=amended)
    return _table_page(request, form=form, headers=headers, rows=rows, **page)


def _create(request, book, **proposal) -> ChangeRequest:
    return change_request_create(author=request.user, book=book, submit=submitting(request), **proposal)


@permission_view
def table_edit(request, book_slug: str, number: int, table_slug: str):
    require(request, can_propose(request.user))
    table = selectors.table_get(book_slug=book_slug, number=number, table_slug=table_slug)
    open_requests = open_requests_on(user=request.user, table=table)
    if (draft := _draft_to_open(request, open_requests)) is not None:
        return redirect("notes:review-revise", request_id=draft.pk)
    extra = {"open_requests": open_requests, **_posted_draft(request)}
    _offer_autosave(
        extra,
        reverse("notes:table-autosave", args=[table.chapter.book.slug, table.chapter.number, table.slug]),
    )

    def write(data, headers, rows):
        # Into the draft the grid autosaved, if it did; else a new request.
        return _into_draft_or_new(
            request,
            book=table.chapter.book,
            kind=Kind.TABLE_EDIT,
            table=table,
            summary=data["summary"],
            content={"title": data["title"], "headers": headers, "rows": rows},
            base_history_id=data["base_version"],
        )

    return table_proposal(
        request,
        book=table.chapter.book,
        chapter=table.chapter,
        heading=f"Edit the table “{table}”",
        open_requests=open_requests,
        form=TableMetaForm(
            initial={
                "title": table.title,
                "base_version": selectors.latest_history_id(ComparisonTable, table.pk),
            }
        ),
        headers=table.headers,
        rows=table.rows,
        write=write,
        extra=extra,
    )


@permission_view
def table_new(request, book_slug: str, number: int):
    require(request, can_propose(request.user))
    chapter = selectors.chapter_get(book_slug=book_slug, number=number)
    return table_proposal(
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
