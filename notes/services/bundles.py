"""Bundles (a folder or a .zip of per-chapter Markdown files) made ready to import or propose.

Reading a bundle is :mod:`notes.formats.bundles`; this module does what needs the site:
it stores the images the chapters show, with the same checks as an image uploaded in the
editor (:func:`notes.services.images.image_store`: re-encoded, metadata stripped, size
capped), and points the references at the stored images and the chapter pages.

An image of the bundle that is already stored (a zip downloaded from the wiki holds its
images under their stored names) is not stored again when its bytes are the same: a
downloaded book uploaded back proposes no change.
"""

import posixpath
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.urls import reverse

from notes.formats.bundles import BundleResult, relink_bundle, write_bundle
from notes.formats.document import BookDoc
from notes.formats.reports import ImportReport, import_report
from notes.lib.limits import MAX_BUNDLE_IMAGES
from notes.models import Book
from notes.services.books import book_document
from notes.services.images import IMAGE_FOLDER, IMAGE_NAME_RE, ImageRefused, image_store


@dataclass
class BundleReady:
    document: BookDoc  # the book, its references pointing at the site
    warnings: list[str]  # the reader's, then one per image that was refused
    image_names: list[str]  # the images stored, to discard if the import fails after all
    image_count: int  # the images the book shows, stored now or before
    lines: list[str] = field(default_factory=list)  # the bundle's Markdown lines

    def report(self, source: str) -> ImportReport:
        """What the bundle (named ``source``) makes, as the upload page and the command report it."""
        return import_report(
            self.document, self.warnings, lines=self.lines, images=self.image_count, source=source
        )


def bundle_images_store(*, result: BundleResult, book_slug: str) -> BundleReady:
    """Store the images ``result`` uses and relink its book for the book at ``book_slug``.

    An image the checks refuse is a warning naming where it is used; its references stay
    as written. ``result.book`` is changed in place and returned in the :class:`BundleReady`.
    """
    warnings = list(result.warnings)
    urls: dict[str, str] = {}
    names: list[str] = []
    for position, (path, image) in enumerate(result.images.items()):
        if position >= MAX_BUNDLE_IMAGES:
            warnings.append(
                f"{image.used_at[0]}: the image '{path}' was not imported: a bundle brings at most "
                f"{MAX_BUNDLE_IMAGES} images"
            )
            continue
        name = _already_stored(path, image.data)
        if name is None:
            try:
                name = image_store(data=image.data).name
            except ImageRefused as error:
                warnings.append(f"{image.used_at[0]}: the image '{path}' was not imported: {error}")
                continue
            names.append(name)
        urls[path] = reverse("notes:image-serve", kwargs={"name": name})
    book_url = reverse("notes:book-detail", kwargs={"book_slug": book_slug})

    def link_url(number: int | None, fragment: str) -> str:
        url = (
            reverse("notes:chapter-detail", kwargs={"book_slug": book_slug, "number": number})
            if number is not None
            else book_url
        )
        return f"{url}#{fragment}" if fragment else url

    relink_bundle(result, image_urls=urls, link_url=link_url)
    return BundleReady(
        document=result.book, warnings=warnings, image_names=names, image_count=len(urls), lines=result.lines
    )


def _already_stored(path: str, data: bytes) -> str | None:
    """The stored name of ``path`` if it is a stored image's name with these very bytes."""
    name = posixpath.basename(path)
    if not IMAGE_NAME_RE.fullmatch(name):
        return None
    stored = _image_read(name)
    return name if stored is not None and stored == data else None


def bundle_images_discard(*, names: list[str]) -> None:
    """Delete images stored for an import that then failed: nothing shows them."""
    for name in names:
        default_storage.delete(f"{IMAGE_FOLDER}/{name}")


def book_bundle_export(*, book: Book) -> bytes:
    """``book`` as a zip of chapter files that imports back to the same book: README.md,
    ``NN-<slug>.md`` per chapter and ``images/`` with the stored images the book shows."""
    image_prefix = reverse("notes:image-serve", kwargs={"name": "x"}).removesuffix("x")
    chapters_prefix = reverse("notes:book-detail", kwargs={"book_slug": book.slug}) + "chapters/"
    return write_bundle(
        book_document(book=book),
        image_prefix=image_prefix,
        image_name_re=IMAGE_NAME_RE.pattern.removeprefix("^").removesuffix("$"),
        read_image=_image_read,
        chapters_prefix=chapters_prefix,
    )


def _image_read(name: str) -> bytes | None:
    try:
        with default_storage.open(f"{IMAGE_FOLDER}/{name}", "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None
