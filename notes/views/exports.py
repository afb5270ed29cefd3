"""Notes files in and out from the browser: download a book, upload a notes file for review."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from notes import formats
from notes.forms.uploads import NotesUploadForm
from notes.permissions import can_download_book, can_upload_notes, permission_view, require
from notes.selectors import books as selectors
from notes.services.book_proposals import UploadError, notes_upload_propose, upload_limit
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
    """Upload a notes file: it becomes change requests for review, never a direct write."""
    require(request, can_upload_notes(request.user))
    outcome = request.session.pop(_OUTCOME_KEY, None) if request.method == "GET" else None
    if request.method == "POST":
        form = NotesUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["notes_file"]
            try:
                result = notes_upload_propose(
                    author=request.user,
                    # One byte past the limit is enough for the service to refuse the file.
                    data=upload.read(upload_limit(upload.name) + 1),
                    filename=upload.name,
                    book=form.cleaned_data["book"],
                )
            except UploadError as error:
                form.add_error("notes_file", str(error))
            else:
                request.session[_OUTCOME_KEY] = {
                    "filename": upload.name,
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
                messages.success(
                    request,
                    f"{upload.name} became {count} change request{'s' if count != 1 else ''} for review.",
                )
                return redirect("notes:notes-upload")
    else:
        form = NotesUploadForm(initial={"book": request.GET.get("book") or None})
    return render(
        request,
        "notes/upload.html",
        {"form": form, "outcome": outcome},
        status=400 if form.errors else 200,
    )
