"""Images in notes: the editor's upload endpoint, and serving a stored image.

An image is answered so that it can never become a page: a fixed image content type
from its extension, ``nosniff``, ``inline`` and a CSP of ``default-src 'none'``.
"""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from notes.lib.limits import MAX_IMAGE_BYTES, size_text
from notes.lib.numbers import BadNumber, parse_int
from notes.permissions import can_read, can_upload_image, permission_view, require
from notes.services.images import (
    CONTENT_TYPES,
    IMAGE_FOLDER,
    IMAGE_NAME_RE,
    ImageRefused,
    image_store,
)

# Room for the multipart boundaries and headers around the file itself.
_MAX_BODY = MAX_IMAGE_BYTES + 64 * 1024
_ALT_TEXT_CHARACTERS = re.compile(r"[^\w .,-]+")


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def image_upload(request):
    """Store the ``image`` file posted by the editor; answer the Markdown that shows it.

    A body larger than the cap is refused from its Content-Length, before it is read.
    Every refusal, a visitor who may not upload included, is JSON ``{"error": message}``
    for the editor's script, and stores nothing.
    """
    if not can_upload_image(request.user):
        return _refused("Only editors may add images. Sign in with an editor's account.", status=403)
    try:
        length = parse_int(
            request.META.get("CONTENT_LENGTH") or "0", what="The request's length", maximum=_MAX_BODY
        )
    except BadNumber:
        return _refused(
            f"The image is larger than {size_text(MAX_IMAGE_BYTES)}, the most an image may be.", status=413
        )
    if length == 0:
        return _refused("No image was sent: choose, paste or drop a picture file.")
    upload = request.FILES.get("image")
    if upload is None:
        return _refused("No image was sent: choose, paste or drop a picture file.")
    if upload.size > MAX_IMAGE_BYTES:
        return _refused(
            f"The image is {upload.size:,} bytes; images are at most {size_text(MAX_IMAGE_BYTES)} ({MAX_IMAGE_BYTES:,} bytes)."
        )
    try:
        stored = image_store(data=upload.read())
    except ImageRefused as error:
        return _refused(str(error))
    url = reverse("notes:image-serve", kwargs={"name": stored.name})
    alt = _alt_text(upload.name)
    return JsonResponse(
        {
            "name": stored.name,
            "url": url,
            "width": stored.width,
            "height": stored.height,
            "markdown": f"![{alt}]({url})",
        },
        status=201,
    )


def _alt_text(file_name: str) -> str:
    """A short description from the file's name ("chart of results.png" -> "chart of results")."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    text = " ".join(_ALT_TEXT_CHARACTERS.sub(" ", stem.replace("_", " ")).split())[:80]
    return text or "image"


@require_GET
@permission_view
def image_serve(request, name: str):
    """Send a stored image: only names of the random pattern, as the image type they are."""
    require(request, can_read(request.user))
    if not IMAGE_NAME_RE.fullmatch(name):
        raise Http404("No such image.")
    path = f"{IMAGE_FOLDER}/{name}"
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such image.") from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # The name never changes meaning: a stored image is never rewritten.
    response["Cache-Control"] = "max-age=31536000, immutable"
    return response
