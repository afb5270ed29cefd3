"""What an import made, said the same way by ``import_notes`` and the upload's preview page.

:func:`import_report` counts a read book's chapters, tables and images, keeps the reader's
warnings, and, when the book has no chapter, gives the loud warning: the heading styles the
file used (:func:`notes.formats.headings.heading_styles`) and the ones that make chapters.
"""

import re
from dataclasses import dataclass, field

from notes.formats.document import BookDoc
from notes.formats.headings import heading_styles

_IMAGE_RE = re.compile(r"!\[[^\]]*\]\(|<img\b", re.IGNORECASE)
CHAPTER_STYLES = "'## Chapter 3 - Title', '## Ch. 3: Title', '<h2>Chapter 3</h2>' or '## 3. Title'"


@dataclass
class OutlineChapter:
    number: int
    title: str
    tables: int
    images: int


@dataclass
class ImportReport:
    title: str
    chapters: list[OutlineChapter]
    tables: int
    images: int
    warnings: list[str]
    alert: str = ""  # the loud warning: "" unless the book has no chapter
    styles: list[str] = field(default_factory=list)  # the heading styles seen, for the alert

    @property
    def made(self) -> str:
        """``3 chapters, 1 table, 2 images, 1 warning``."""
        return ", ".join(
            _count(number, word)
            for number, word in (
                (len(self.chapters), "chapter"),
                (self.tables, "table"),
                (self.images, "image"),
                (len(self.warnings), "warning"),
            )
        )


def import_report(
    book: BookDoc,
    warnings: list[str],
    *,
    lines: list[str],
    images: int | None = None,
    chapter_images: dict[int, int] | None = None,
    source: str = "the file",
) -> ImportReport:
    """The report on ``book`` read from ``lines`` (every line of every file read) with
    ``warnings``; ``images`` is the number of image files found and ``chapter_images`` the
    number each chapter shows (a bundle's), else the image references are counted."""
    outline = [
        OutlineChapter(
            number=chapter.number,
            title=chapter.title,
            tables=len(chapter.tables),
            images=_chapter_images(chapter)
            if chapter_images is None
            else chapter_images.get(chapter.number, 0),
        )
        for chapter in book.chapters
    ]
    counted = len(_IMAGE_RE.findall(book.summary)) + sum(chapter.images for chapter in outline)
    report = ImportReport(
        title=book.title,
        chapters=outline,
        tables=sum(chapter.tables for chapter in outline),
        images=counted if images is None else images,
        warnings=list(warnings),
    )
    if not outline:
        report.styles = heading_styles(lines)
        seen = (
            f"the headings it has are {'; '.join(report.styles)}"
            if report.styles
            else "it has no headings at all"
        )
        report.alert = (
            f"No chapters: {source} gives a book with 0 chapters ({seen}). "
            f"A chapter starts at a heading like {CHAPTER_STYLES}."
        )
    return report


def _chapter_images(chapter) -> int:
    cells = (cell for table in chapter.tables for row in table.rows for cell in row)
    return len(_IMAGE_RE.findall(chapter.body)) + sum(len(_IMAGE_RE.findall(cell)) for cell in cells)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number != 1 else ''}"
