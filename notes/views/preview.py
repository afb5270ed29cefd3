"""The editor's live preview: the posted Markdown rendered as the published page renders it."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from notes.lib.limits import MAX_PREVIEW_BYTES, chapter_size_refusal, size_text
from notes.lib.markup import render_markdown
from notes.lib.merging import conflict_markers_escaped
from notes.lib.numbers import BadNumber, parse_int
from notes.models import Chapter
from notes.permissions import can_propose, permission_view, require


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
    if size > MAX_PREVIEW_BYTES:
        # Rendering is slow past this size (seconds per keystroke); the editor shows this
        # notice where the preview goes, and the request page shows the text rendered.
        return HttpResponse(
            f'<p class="message warning">The live preview shows texts up to {size_text(MAX_PREVIEW_BYTES)}; '
            f"this one is {size // 1024} KB. Save it as a draft or submit it: its request page shows it "
            "rendered.</p>"
        )
    # Unresolved conflict markers show as the lines they are, never as a heading.
    return HttpResponse(render_markdown(conflict_markers_escaped(content), tables))
