"""Notes files in and out from the browser: download a book, upload a notes file for review."""

import time

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from notes import formats
from notes.forms.uploads import NotesUploadForm
from notes.models import Book
from notes.permissions import can_download_book, can_upload_notes, permission_view, require
from notes.selectors import books as selectors
from notes.services.book_proposals import (
    UploadError,
    notes_upload_propose,
    notes_upload_stage,
    notes_upload_staged,
    notes_upload_unstage,
    upload_limit,
)
from notes.services.book_proposals import (
    notes_upload_preview as preview_read,
)
from notes.services.books import book_document, book_epub
from notes.services.bundles import book_bundle_export

DOWNLOADS = {
    "text": ("txt", "text/plain; charset=utf-8"),
    "markdown": ("md", "text/markdown; charset=utf-8"),
    "html": ("html", "text/html; charset=utf-8"),
    "zip": ("zip", "application/zip"),
    "epub": ("epub", "application/epub+zip"),
}
_OUTCOME_KEY = "notes_upload_outcome"
_STAGED_KEY = (
    "notes_upload_staged"  # token -> {"filename", "book", "staged_at"} of uploads awaiting "Propose"
)
_MOST_STAGED = 5


@permission_view
def book_download(request, book_slug: str, format: str):
    """The book as one file to keep: the notes text, Markdown, a self-contained HTML page,
    a zip of one Markdown file per chapter with the images the chapters show, or an EPUB e-book.

    The HTML file carries its styles in a <style> element (it is opened from disk, away
    from the site); it and the EPUB hold only the stored, sanitized HTML of the summary,
    chapters and tables.
    """
    require(request, can_download_book(request.user))
    if format not in DOWNLOADS:
        return HttpResponse(
            "Unknown format; use text, markdown, html, zip or epub.", status=404, content_type="text/plain"
        )
    if format == "epub":
        book, content = book_epub(slug=book_slug)
    elif format == "html":
        book, chapters, changelog = selectors.book_for_export(slug=book_slug)
        content = render_to_string(
            "notes/export/book.html", {"book": book, "chapters": chapters, "changelog": changelog}
        )
    elif format == "zip":
        book = selectors.book_get(slug=book_slug)
        content = book_bundle_export(book=book)
    else:
        book = selectors.book_get(slug=book_slug)
        content = formats.write(book_document(book=book), format)
    extension, content_type = DOWNLOADS[format]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{book.slug}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_view
def book_download_by_query(request, book_slug: str):
    """``/books/<book>/download/?format=epub``: the same file at its address by path."""
    require(request, can_download_book(request.user))
    format = request.GET.get("format", "")
    if format not in DOWNLOADS:
        return HttpResponse(
            "Unknown format; use text, markdown, html or epub.", status=404, content_type="text/plain"
        )
    return redirect("notes:book-download", book_slug=book_slug, format=format)


@permission_view
def notes_upload(request):
    """Upload a notes file: it is read and kept for a while, and the outline preview page
    shows what it makes; nothing is proposed until the uploader says so there."""
    require(request, can_upload_notes(request.user))
    outcome = request.session.pop(_OUTCOME_KEY, None) if request.method == "GET" else None
    if request.method == "POST":
        form = NotesUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["notes_file"]
            # One byte past the limit is enough for the service to refuse the file.
            data = upload.read(upload_limit(upload.name) + 1)
            book = form.cleaned_data["book"]
            try:
                preview_read(author=request.user, data=data, filename=upload.name, book=book)
            except UploadError as error:
                form.add_error("notes_file", str(error))
            else:
                token = notes_upload_stage(data=data)
                staged = request.session.get(_STAGED_KEY, {})
                for old in sorted(staged, key=lambda key: staged[key]["staged_at"])[
                    : max(0, len(staged) - _MOST_STAGED + 1)
                ]:
                    notes_upload_unstage(token=old)
                    staged.pop(old)
                staged[token] = {
                    "filename": upload.name,
                    "book": book.slug if book is not None else "",
                    "staged_at": time.time(),
                }
                request.session[_STAGED_KEY] = staged
                return redirect("notes:notes-upload-preview", token=token)
    else:
        form = NotesUploadForm(initial={"book": request.GET.get("book") or None})
    return render(
        request,
        "notes/upload.html",
        {"form": form, "outcome": outcome},
        status=400 if form.errors else 200,
    )


@permission_view
def notes_upload_preview(request, token: str):
    """The outline an upload makes (chapters, tables, images, warnings), and the buttons
    that propose it for review or discard it."""
    require(request, can_upload_notes(request.user))
    staged = request.session.get(_STAGED_KEY, {})
    entry = staged.get(token)
    data = notes_upload_staged(token=token, staged_at=entry["staged_at"]) if entry else None
    if data is None:
        if entry:
            staged.pop(token)
            request.session[_STAGED_KEY] = staged
        messages.error(request, "That upload is no longer waiting to be proposed; upload the file again.")
        return redirect("notes:notes-upload")
    book = Book.objects.filter(slug=entry["book"]).first() if entry["book"] else None
    filename = entry["filename"]

    def forget() -> None:
        notes_upload_unstage(token=token)
        staged.pop(token, None)
        request.session[_STAGED_KEY] = staged

    if request.method == "POST" and request.POST.get("action") == "discard":
        forget()
        messages.info(request, f"{filename} was discarded; nothing was proposed.")
        return redirect("notes:notes-upload")
    error = ""
    if request.method == "POST":
        try:
            result = notes_upload_propose(author=request.user, data=data, filename=filename, book=book)
        except UploadError as refused:
            error = str(refused)
        else:
            forget()
            request.session[_OUTCOME_KEY] = {
                "filename": filename,
                "book_title": result.book_title,
                "warnings": result.warnings,
                "notes": result.notes,
                "made": result.made,
                "alert": result.alert,
                "requests": [
                    {"id": cr.pk, "summary": cr.summary, "kind": cr.get_kind_display()}
                    for cr in result.requests
                ],
            }
            count = len(result.requests)
            if count:
                messages.success(
                    request,
                    f"{filename} became {count} change request{'s' if count != 1 else ''} for review.",
                )
            else:
                messages.info(
                    request, f"{filename} proposed nothing: it holds nothing that differs from the book."
                )
            return redirect("notes:notes-upload")
    try:
        preview = preview_read(author=request.user, data=data, filename=filename, book=book)
    except UploadError as refused:
        preview, error = None, error or str(refused)
    return render(
        request,
        "notes/upload_preview.html",
        {"preview": preview, "filename": filename, "book": book, "error": error},
        status=400 if error else 200,
    )
