"""Images pasted, dropped or picked in the editor: checked, re-encoded and stored.

The bytes decide what a file is (Pillow), never its name or the type the browser sent.
Only JPEG, PNG, WebP and GIF are kept, and each is decoded and written again from its
pixels alone: EXIF, XMP, ICC profiles, comments and text chunks do not survive, nor does
anything appended after the image. An animated GIF or WebP keeps its first frame (one
still picture; frames of an animation could each carry their own comments and timing).

Files go through Django's storage API (``default_storage``): the MEDIA_ROOT folder by
default, any backend by setting STORAGES["default"]. Names are random
(``secrets.token_urlsafe``) with the extension of the detected type.
"""

import re
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from notes.lib.limits import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, size_text

IMAGE_FOLDER = "images"

# Detected Pillow format -> (extension, served content type).
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
CONTENT_TYPES = dict(FORMATS.values())  # extension -> content type
# token_urlsafe(16): 22 characters of A-Z a-z 0-9 - _; nothing else is ever served.
IMAGE_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{22}\.(?:jpg|png|webp|gif)$")

# Markup in a file that claims to be an image: a browser sniffing it, or a tool showing
# its comment, would run it. Long markers only, so compressed pixel data cannot match them
# by chance.
_MARKUP_IN_BYTES = re.compile(rb"<script|<!doctype|<html|<iframe|javascript:", re.IGNORECASE)
_MARKUP_IN_TEXT = re.compile(
    r"<\s*/?\s*(?:script|html|head|body|iframe|svg|img|a|div|span|style|object|embed|meta|link|"
    r"form|input|base|!doctype)\b|\bon[a-z]+\s*=|javascript:",
    re.IGNORECASE,
)
# Metadata that holds free text a person typed (comments, PNG text chunks, EXIF notes).
_TEXT_INFO_KEYS = ("comment", "Comment", "Description", "Title", "Author", "Software")


class ImageRefused(Exception):
    """The upload is not an image the wiki keeps; the message says why, for the editor."""


@dataclass(frozen=True)
class StoredImage:
    name: str  # "<random>.<ext>", the part of the URL after /media/images/
    content_type: str
    width: int
    height: int


def image_store(*, data: bytes) -> StoredImage:
    """Check ``data``, re-encode it without metadata and store it under a random name.

    Raises ``ImageRefused`` (nothing stored) for an empty, oversized, unknown, truncated
    or over-large image, or one that carries markup.
    """
    encoded, extension, width, height = image_clean(data=data)
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    while default_storage.exists(f"{IMAGE_FOLDER}/{name}"):  # 128 random bits: never in practice
        name = f"{secrets.token_urlsafe(16)}.{extension}"
    saved = default_storage.save(f"{IMAGE_FOLDER}/{name}", ContentFile(encoded))
    if saved != f"{IMAGE_FOLDER}/{name}":  # a storage that renames would break the link
        default_storage.delete(saved)
        raise ImageRefused("The storage renamed the image; it was not kept. Try again.")
    return StoredImage(name=name, content_type=CONTENT_TYPES[extension], width=width, height=height)


def image_clean(*, data: bytes) -> tuple[bytes, str, int, int]:
    """The re-encoded bytes of ``data``, their extension, width and height; or ``ImageRefused``."""
    if not data:
        raise ImageRefused("The file is empty.")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(
            f"The file is {len(data):,} bytes; images are at most {size_text(MAX_IMAGE_BYTES)} ({MAX_IMAGE_BYTES:,} bytes)."
        )
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it: make every warning a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data), formats=list(FORMATS))
        except UnidentifiedImageError:
            raise ImageRefused("This is not a JPEG, PNG, WebP or GIF image.") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, SyntaxError, ValueError):
            raise ImageRefused("The image is damaged and cannot be read.") from None
        if _MARKUP_IN_BYTES.search(data):
            raise ImageRefused("The file holds HTML or script; it is not kept. Export the picture again.")
        # A camera's multi-picture JPEG opens as MPO: it is a JPEG, and its first picture is kept.
        detected = "JPEG" if image.format == "MPO" else image.format
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise _too_many_pixels(image.width, image.height)
        try:
            image.load()  # decodes every byte of the first frame: a truncated file fails here
            has_markup = _has_markup_in_metadata(image)  # after load: PNG reads late text chunks then
            image = ImageOps.exif_transpose(image)  # keep photos upright once EXIF is gone
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ImageRefused("The image is truncated or damaged and cannot be read.") from None
    if has_markup:
        raise ImageRefused("The image's comment or metadata holds HTML or script; it is not kept.")
    return _encode(image, detected), FORMATS[detected][0], image.width, image.height


def _too_many_pixels(width: int = 0, height: int = 0) -> ImageRefused:
    size = f" is {width:,} x {height:,} pixels;" if width else " has too many pixels;"
    return ImageRefused(f"The image{size} images are at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels.")


def _has_markup_in_metadata(image: Image.Image) -> bool:
    texts = [image.info.get(key) for key in _TEXT_INFO_KEYS]
    texts += list(getattr(image, "text", {}).values()) if image.format == "PNG" else []
    exif = image.getexif()
    texts += [exif.get(tag) for tag in (0x010E, 0x013B, 0x8298, 0x9286)]  # description, artist, ©, note
    for text in texts:
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        if isinstance(text, str) and _MARKUP_IN_TEXT.search(text):
            return True
    return False


def _encode(image: Image.Image, detected: str) -> bytes:
    """Write ``image``'s pixels again in ``detected``'s format, with no metadata at all.

    Pillow copies some of ``image.info`` (comments, ICC profile, EXIF) into what it saves,
    so the info is emptied first; only a palette image's transparent colour stays.
    """
    transparency = image.info.get("transparency")
    image.info = {}
    options: dict = {}
    if detected == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": 90}
    elif detected == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        options = {"quality": 90}
    elif transparency is not None and image.mode in ("P", "L", "RGB"):
        options = {"transparency": transparency}
    out = BytesIO()
    image.save(out, format=detected, **options)
    return out.getvalue()


def image_read(name: str) -> tuple[bytes, str] | None:
    """An uploaded image's bytes and content type, or None if ``name`` is not one.

    For exports that carry the images with them (EPUB). Only names the wiki itself gives
    are read, so a name from a page can never reach outside the images folder.
    """
    if not IMAGE_NAME_RE.match(name):
        return None
    path = f"{IMAGE_FOLDER}/{name}"
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as stored:
        return stored.read(), CONTENT_TYPES[name.rsplit(".", 1)[1]]
