"""Books as bundles: a folder or a ``.zip`` of per-chapter Markdown files and their images.

Reading (:func:`bundle_from_zip`, :func:`bundle_from_folder`, then :func:`parse_bundle`):

* Both sources become a :class:`Bundle`, a mapping of bundle paths (``Part 2/03-foo.md``)
  to bytes. A zip is refused if it holds more than ``MAX_BUNDLE_FILES`` entries, unpacks
  to more than ``MAX_BUNDLE_BYTES``, or names a path outside itself (``..``, an absolute
  path, a drive letter). Hidden files and folders (``.DS_Store``, ``.git/``), ``__MACOSX/``
  and symbolic links are skipped; files that are neither Markdown nor an image are
  skipped with a warning. When every file sits in one top folder, that folder is the root.
* ``README.md`` or ``index.md`` (any case) at the root gives the book: its front matter
  (``title:``, ``author:``, ``domains:``) first, else its ``# Title`` heading and its
  ``Author:``/``Domain:`` lines, then its summary and changelog, as a single notes file's
  head is read (:func:`notes.formats.markdown.parse_markdown`). Without one, the bundle's
  name is the title, with a warning.
* Every other Markdown file is a chapter, in natural file-name order (``2-x.md`` before
  ``10-y.md``), subfolders included. Its first heading gives the number and the title:
  ``Chapter 3: Title``, ``Ch. 3 Title``, ``3. Title``; a heading without a number keeps
  its text as the title. The number comes from the heading, else from the file name
  (``03-foo.md``, ``Chapter 3.md``), else it follows the previous chapter's. The file is
  then read as one chapter of a notes file, so its tables become comparison tables as they
  do there; a file holding further ``Chapter N`` headings gives several chapters.
* A subfolder (``Part 2/``) is a part of the book: a ``## <folder name>`` heading, or the
  first heading of its own README, opens its first chapter, followed by that README's text.
* Images referenced by a relative path (``![](./images/x.png)``, ``<img src="...">``, a
  reference definition) are collected for the caller to store; ``relink_bundle`` then
  points the references at the stored images and the links to other chapter files
  (``[see](02-foo.md#bar)``) at the chapter pages. An ``<img>`` tag showing a stored image
  becomes a Markdown image, since chapters show raw HTML as text. A reference to a missing image or file
  is a warning naming the file and the line, and stays as written.

Writing (:func:`write_bundle`) makes the zip that reads back to the same book: ``README.md``
(front matter, the details, the summary, the changelog), ``NN-<slug>.md`` per chapter with
a ``# Chapter N - Title`` heading, and ``images/`` with the stored images the book uses.
"""

import json
import os
import posixpath
import re
import stat
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

from django.utils.text import slugify

from notes.formats import headings
from notes.formats.document import (
    BookDoc,
    ChapterDoc,
    FormatError,
    TableDoc,
    check_details,
    check_length,
    next_fence,
    read_front_matter,
    read_source,
    split_lines,
)
from notes.formats.headings import line_heading, setext_level
from notes.formats.markdown import book_title_heading, parse_markdown, write_markdown
from notes.lib.limits import (
    MAX_BUNDLE_BYTES,
    MAX_BUNDLE_FILES,
    MAX_TITLE_LENGTH,
    chapter_number_refusal,
    size_text,
)

MARKDOWN_SUFFIXES = (".md", ".markdown")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
README_NAMES = ("readme.md", "readme.markdown", "index.md", "index.markdown")  # in order of preference
_IGNORED_PARTS = {"__macosx", "thumbs.db", "desktop.ini"}

_LEADING_NUMBER_RE = re.compile(r"(?P<number>\d{1,6})(?!\d)")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# The places a Markdown file names another file: an inline link or image "](target",
# an HTML img/a attribute, a reference definition "[id]: target".
_TARGET_RES = (
    re.compile(r"\]\([ \t]*<?(?P<target>[^)\s>]+)"),
    re.compile(
        r"<(?:img|a)\b[^>]*?\b(?:src|href)[ \t]*=[ \t]*(?P<quote>[\"'])(?P<target>[^\"'>]+)(?P=quote)",
        re.IGNORECASE,
    ),
    re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?(?P<target>[^\s>]+)"),
)
_IMG_TAG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE_RE = re.compile(
    r"\b(?P<name>src|alt|title)[ \t]*=[ \t]*(?P<quote>[\"'])(?P<value>[^\"']*)(?P=quote)", re.IGNORECASE
)
_LINE_REFERENCE_RE = re.compile(r"^lines? (?P<first>\d+)(?:-(?P<last>\d+))?:[ ]?")


@dataclass
class Bundle:
    name: str  # the folder's or the zip's name, the title when nothing else gives one
    files: dict[str, bytes]  # bundle path ("Part 2/03-foo.md") -> the file's bytes
    warnings: list[str] = field(default_factory=list)


@dataclass
class BundleImage:
    data: bytes
    used_at: list[str]  # each "<file> line N", where a chapter or the summary shows it


@dataclass
class BundleResult:
    book: BookDoc
    warnings: list[str]  # each "<file> line N: ..." or "<file>: ..."
    images: dict[str, BundleImage]  # bundle path -> the image, for each one found and used
    sources: dict[int, str]  # chapter number -> the file it came from
    summary_source: str = ""  # the README the summary came from, "" if none
    lines: list[str] = field(default_factory=list)  # every Markdown file's lines, for the import report

    def chapter_images(self) -> dict[int, int]:
        """How many of the images found each chapter shows (by the file it came from)."""
        first_chapter: dict[str, int] = {}
        for number, path in sorted(self.sources.items(), reverse=True):
            first_chapter[path] = number
        counts: dict[int, int] = {}
        for image in self.images.values():
            for place in {where.rsplit(" line ", 1)[0] for where in image.used_at}:
                if place in first_chapter and place != self.summary_source:
                    counts[first_chapter[place]] = counts.get(first_chapter[place], 0) + 1
        return counts


# --- Files in -------------------------------------------------------------------------------


def bundle_from_zip(data: bytes, *, name: str) -> Bundle:
    """Read a zip's files into a :class:`Bundle`, refusing the unsafe ones (see module doc)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FormatError(
            f"{name} is not a zip file that can be opened; make it again with a zip tool"
        ) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_BUNDLE_FILES:
            raise FormatError(
                f"the zip holds {len(entries):,} entries; a bundle holds at most {MAX_BUNDLE_FILES:,} files"
            )
        bundle = Bundle(name=_stem(name), files={})
        total = 0
        for entry in entries:
            path = _safe_path(entry.filename)
            if entry.is_dir() or _is_ignored(path):
                continue
            if stat.S_ISLNK(entry.external_attr >> 16):
                bundle.warnings.append(f"{path}: a symbolic link; skipped")
                continue
            if not _is_wanted(path, bundle.warnings):
                continue
            if entry.flag_bits & 0x1:
                raise FormatError(f"{path} is encrypted; zip the files again without a password")
            # The sizes in the zip's directory can lie: read at most one byte past the limit.
            try:
                with archive.open(entry) as handle:
                    content = handle.read(MAX_BUNDLE_BYTES - total + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
                raise FormatError(f"{path} cannot be unpacked ({error}); make the zip again") from None
            total += len(content)
            if total > MAX_BUNDLE_BYTES:
                raise FormatError(
                    f"the zip unpacks to more than {size_text(MAX_BUNDLE_BYTES)}, the most a bundle may hold"
                )
            if path in bundle.files:
                bundle.warnings.append(f"{path}: the zip holds this file twice; the last copy was read")
            bundle.files[path] = content
    return bundle


def bundle_from_folder(folder: Path) -> Bundle:
    """Read a folder's files (subfolders included, symbolic links not followed) into a :class:`Bundle`."""
    bundle = Bundle(name=folder.resolve().name, files={})
    total = 0
    for directory, folders, names in os.walk(folder, followlinks=False):
        folders[:] = sorted(name for name in folders if not _is_ignored(name))
        for name in sorted(names):
            full = Path(directory) / name
            path = full.relative_to(folder).as_posix()
            if _is_ignored(path):
                continue
            if full.is_symlink():
                bundle.warnings.append(f"{path}: a symbolic link; skipped")
                continue
            if not _is_wanted(path, bundle.warnings):
                continue
            if len(bundle.files) >= MAX_BUNDLE_FILES:
                raise FormatError(f"the folder holds more than {MAX_BUNDLE_FILES:,} notes and image files")
            total += full.stat().st_size
            if total > MAX_BUNDLE_BYTES:
                raise FormatError(
                    f"the folder's files add up to more than {size_text(MAX_BUNDLE_BYTES)}, the most a bundle may hold"
                )
            bundle.files[path] = full.read_bytes()
    return bundle


def _stem(name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/"))
    return base.rsplit(".", 1)[0] if "." in base else base


def _safe_path(name: str) -> str:
    """The bundle path of a zip entry; FormatError for one pointing outside the bundle."""
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"[A-Za-z]:", path) or ".." in path.split("/"):
        raise FormatError(f"the zip holds the path '{name}', which points outside it; such zips are refused")
    return posixpath.normpath(path) if path.strip("/") else path


def _is_ignored(path: str) -> bool:
    """Files a system or a tool leaves behind, never notes: hidden ones, ``__MACOSX/``."""
    return any(part.startswith(".") or part.lower() in _IGNORED_PARTS for part in path.split("/") if part)


def _is_wanted(path: str, warnings: list[str]) -> bool:
    if path.lower().endswith(MARKDOWN_SUFFIXES + IMAGE_SUFFIXES):
        return True
    warnings.append(f"{path}: not a Markdown file (.md) or an image (PNG, JPEG, GIF, WebP); skipped")
    return False


# --- Reading a bundle -----------------------------------------------------------------------


@dataclass
class _Source:
    """Lines handed to the Markdown reader, each with the file and line it came from."""

    lines: list[str] = field(default_factory=list)
    origins: list[tuple[str, int] | None] = field(default_factory=list)

    def add(self, line: str, origin: tuple[str, int] | None = None) -> None:
        self.lines.append(line)
        self.origins.append(origin)

    def where(self, line: int) -> str:
        """Where the 1-based ``line`` of the text handed on came from: ``<file> line N``."""
        for index in range(min(line, len(self.origins)) - 1, -1, -1):
            if self.origins[index] is not None:
                path, number = self.origins[index]
                return f"{path} line {number}"
        return self.file()

    def file(self) -> str:
        """The file the text handed on came from."""
        return next((origin[0] for origin in self.origins if origin), "the bundle")


def parse_bundle(bundle: Bundle) -> BundleResult:
    """Read ``bundle`` into one book; FormatError (naming the file and line) if it cannot be read."""
    files = _rooted(bundle.files)
    warnings = list(bundle.warnings)
    markdown = {path: data for path, data in files.items() if path.lower().endswith(MARKDOWN_SUFFIXES)}
    readme = _readme_path([path for path in markdown if "/" not in path])
    texts = {path: _decoded(path, data, warnings) for path, data in markdown.items()}

    book = _read_readme(readme, texts[readme] if readme else None, bundle.name, warnings)
    part_readmes = {
        folder: path
        for folder in {path.split("/")[0] for path in markdown if "/" in path}
        if (path := _readme_path([p for p in markdown if posixpath.dirname(p) == folder]))
    }
    chapter_files = sorted(
        (path for path in markdown if path != readme and path not in part_readmes.values()),
        key=_natural_key,
    )
    # A README may hold chapters of its own.
    sources: dict[int, str] = {chapter.number: readme for chapter in book.chapters}
    number = max(sources, default=0)
    opened_parts: set[str] = set()
    for path in chapter_files:
        part = path.split("/")[0] if "/" in path else None
        part_lines = None
        if part is not None and part not in opened_parts:
            opened_parts.add(part)
            part_lines = _part_lines(part, part_readmes.get(part), texts)
        chapters = _read_chapter_file(path, texts[path], number + 1, part_lines, warnings)
        for chapter in chapters:
            refusal = chapter_number_refusal(chapter.number)
            if refusal:
                raise FormatError(f"{path}: {refusal}")
            if chapter.number in sources:
                raise FormatError(
                    f"{path}: chapter {chapter.number} is also in {sources[chapter.number]}; "
                    "give each chapter file its own number, in a heading like '# Chapter 3 - Title'"
                )
            sources[chapter.number] = path
            number = chapter.number
        book.chapters.extend(chapters)
    book.chapters.sort(key=lambda chapter: chapter.number)
    images = _images_used(files, texts, warnings)
    return BundleResult(
        book=book,
        warnings=warnings,
        images=images,
        sources=sources,
        summary_source=readme or "",
        lines=[line for path in sorted(texts, key=_natural_key) for line in split_lines(texts[path])],
    )


def _rooted(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with their one common top folder taken off, if they share one."""
    tops = {path.split("/")[0] if "/" in path else None for path in files}
    if len(tops) == 1 and None not in tops:
        top = tops.pop()
        rest = {path[len(top) + 1 :]: data for path, data in files.items()}
        # A zip of one "Part 1" folder and its chapters keeps its folder.
        if any(path.lower() in README_NAMES for path in rest) or not any("/" in path for path in rest):
            return rest
    return dict(files)


def _readme_path(paths: list[str]) -> str | None:
    by_name = {posixpath.basename(path).lower(): path for path in paths}
    return next((by_name[name] for name in README_NAMES if name in by_name), None)


def _decoded(path: str, data: bytes, warnings: list[str]) -> str:
    """A file's text by the one reader of notes files; a warning names a non-UTF-8 encoding."""
    try:
        source = read_source(data)
    except FormatError as error:
        raise FormatError(f"{path}: {error}") from None
    if source.warning:
        match = _LINE_REFERENCE_RE.match(source.warning)
        where = f"{path} line {match['first']}: " if match else f"{path}: "
        warnings.append(where + source.warning[match.end() :] if match else where + source.warning)
    return source.text


def _natural_key(path: str) -> list:
    """Sort key that puts ``2-x.md`` before ``10-y.md``, folder by folder."""
    return [
        [(0, int(piece), "") if piece.isdigit() else (1, 0, piece) for piece in re.split(r"(\d+)", part)]
        for part in path.lower().split("/")
    ]


def _read_readme(path: str | None, text: str | None, name: str, warnings: list[str]) -> BookDoc:
    """The book from the README: its front matter, title, details, summary and changelog."""
    if path is None or text is None:
        warnings.append(
            f"the bundle has no README.md or index.md: the book is titled '{name}', the folder's or zip's "
            "name; add a README.md with a '# Title' heading to name it"
        )
        return BookDoc(title=name or "Untitled", author="", domains=[], summary="", changelog=[], chapters=[])
    lines = split_lines(text)
    values, start = _front_matter_of(path, lines)
    source = _Source()
    for index, line in enumerate(lines):
        # Front matter lines are blanked, so the reader's line numbers stay the file's.
        source.add("" if index < start else line, (path, index + 1))
    title = values.get("title") if isinstance(values.get("title"), str) else ""
    has_title = book_title_heading(lines, start, title) is not None
    if not has_title:
        # A stand-in the reader takes for the title; the real one is set below.
        source.lines.insert(0, "# Book")
        source.origins.insert(0, None)
        title = title or name or "Untitled"
        if not values.get("title"):
            warnings.append(
                f"{path}: no '# Title' heading or 'title:' front matter; the book is titled '{title}'"
            )
    book = _parse(source, warnings)
    book.title = title or book.title
    if isinstance(values.get("author"), str):
        book.author = values["author"]
    domains = values.get("domains", values.get("domain"))
    if isinstance(domains, str):
        domains = [piece.strip() for piece in domains.split(",") if piece.strip()]
    if domains is not None:
        book.domains = domains
    try:
        check_length("the book title", book.title, MAX_TITLE_LENGTH, 1)
        check_details(book, 1)
    except FormatError as error:
        raise FormatError(f"{path}: {error.message}") from None
    return book


def _front_matter_of(path: str, lines: list[str]) -> tuple[dict[str, str | list[str]], int]:
    try:
        return read_front_matter(lines)
    except FormatError as error:
        raise FormatError(f"{path} line {error.line}: {error.message}") from None


def _parse(source: _Source, warnings: list[str]) -> BookDoc:
    """Read ``source`` with the Markdown reader, its warnings and errors naming the bundle's files."""
    try:
        result = parse_markdown("\n".join(source.lines))
    except FormatError as error:
        where = source.where(error.line) if error.line is not None else source.file()
        raise FormatError(f"{where}: {error.message}") from None
    for warning in result.warnings:
        match = _LINE_REFERENCE_RE.match(warning)
        if match is None:
            warnings.append(f"{source.file()}: {warning}")
            continue
        warnings.append(f"{source.where(int(match['first']))}: {warning[match.end() :]}")
    return result.book


def _first_heading(lines: list[str], start: int) -> tuple[int, int, str] | None:
    """(index, line count, text) of the first heading from ``start``, ATX or setext, outside code."""
    fence: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is None:
            heading = line_heading(line)
            if heading is not None:
                return index, 1, heading.text
            if setext_level(line, lines[index + 1] if index + 1 < len(lines) else None):
                return index, 2, line.strip()
        fence = next_fence(fence, line)
    return None


def _is_chapter_heading(lines: list[str], start: int, index: int, count: int, text: str) -> bool:
    """Whether a chapter file's first heading names its chapter: it opens the file, or it is
    numbered, or it is a level-1 heading. A "## Details" after a paragraph is the body's."""
    opens = not any(line.strip() for line in lines[start:index])
    if count == 2:
        level_one = setext_level(lines[index], lines[index + 1]) == 1
    else:
        heading = line_heading(lines[index])
        level_one = heading is not None and heading.level == 1
    return opens or level_one or chapter_heading(text)[0] is not None


def chapter_heading(text: str) -> tuple[int | None, str]:
    """The chapter number and title a chapter file's first heading gives, by the one rule of
    :mod:`notes.formats.headings`.

    ``Chapter 3: Storage``, ``Ch. 3 Storage``, ``3. Storage`` -> ``(3, "Storage")``; a
    heading without a number -> ``(None, text)``; a number without a title -> ``(3, "")``
    (the file name then gives the title).
    """
    text = text.strip()
    found = headings.chapter_heading(text) or headings.numbered_heading(text)
    if found is None:
        return None, text
    return found.number, found.title


def _file_title(path: str) -> tuple[int | None, str]:
    """Number and title read from a file name: ``03-getting-started.md`` -> ``(3, "Getting started")``."""
    stem = _stem(path)
    number, title = chapter_heading(stem)
    if number is None:
        leading = _LEADING_NUMBER_RE.match(stem)
        number = int(leading["number"]) if leading else None
        title = stem[leading.end() :] if leading else stem
    title = " ".join(title.replace("_", " ").replace("-", " ").split())
    return number, title[:1].upper() + title[1:]


def _part_lines(
    part: str, readme: str | None, texts: dict[str, str]
) -> list[tuple[str, tuple[str, int] | None]]:
    """The lines that open a part's first chapter: its heading and its README's text."""
    if readme is None:
        return [(f"## {part}", None)]
    lines = split_lines(texts[readme])
    _, start = _front_matter_of(readme, lines)
    heading = _first_heading(lines, start)
    if heading is None:
        out = [(f"## {part}", None), ("", None)]
        rest = [(line, (readme, index + 1)) for index, line in enumerate(lines) if index >= start]
    else:
        index, count, text = heading
        out = [(f"## {text}", (readme, index + 1))]
        rest = [(line, (readme, number + 1)) for number, line in enumerate(lines) if number >= index + count]
    while rest and not rest[-1][0].strip():
        rest.pop()
    return out + rest if any(line.strip() for line, _ in rest) else out[:1]


def _read_chapter_file(
    path: str,
    text: str,
    next_number: int,
    part_lines: list[tuple[str, tuple[str, int] | None]] | None,
    warnings: list[str],
) -> list[ChapterDoc]:
    """Read one chapter file (see the module doc): usually one chapter, more if it holds
    further ``Chapter N`` headings."""
    lines = split_lines(text)
    _, start = _front_matter_of(path, lines)
    if start:
        warnings.append(f"{path} lines 1-{start}: front matter skipped; a chapter is read from its heading")
    heading = _first_heading(lines, start)
    if heading is not None and not _is_chapter_heading(lines, start, *heading):
        heading = None
    file_number, file_title = _file_title(path)
    if heading is None:
        number, title, heading_index, heading_count = None, "", start, 0
    else:
        heading_index, heading_count, heading_text = heading
        number, title = chapter_heading(heading_text)
    number = number if number is not None else file_number if file_number is not None else next_number
    title = title or file_title or f"Chapter {number}"
    title_line = f"## Chapter {number} - {title}" + (" #" if title.endswith("#") else "")

    source = _Source()
    source.add("# Bundle")
    source.add("")
    for index in range(start, heading_index):
        source.add(lines[index], (path, index + 1))
    source.add(title_line, (path, heading_index + 1))
    after = heading_index + heading_count
    if part_lines:
        source.add("")
        for line, origin in part_lines:
            source.add(line, origin)
        if after < len(lines) and lines[after].strip():
            source.add("")
    for index in range(after, len(lines)):
        source.add(lines[index], (path, index + 1))
    book = _parse(source, warnings)
    chapters = book.chapters
    before = book.summary
    if before and chapters:
        warnings.append(
            f"{path}: text before the chapter heading kept at the start of chapter {chapters[0].number}"
        )
        chapters[0].body = f"{before}\n\n{chapters[0].body}" if chapters[0].body else before
    return chapters


# --- Images and links -----------------------------------------------------------------------


def _targets(line: str):
    for pattern in _TARGET_RES:
        yield from pattern.finditer(line)


def _resolve(base: str, target: str) -> str | None:
    """The bundle path ``target`` names from a file in folder ``base``; None for an address
    that is not a file of the bundle (a URL, an absolute path, an anchor in the page)."""
    if not target or _SCHEME_RE.match(target) or target.startswith(("/", "#", "?")):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    return posixpath.normpath(posixpath.join(base, path))


def _kind(path: str) -> str:
    lower = path.lower()
    if lower.endswith(IMAGE_SUFFIXES):
        return "image"
    if lower.endswith(MARKDOWN_SUFFIXES):
        return "file"
    return ""


def _images_used(
    files: dict[str, bytes], texts: dict[str, str], warnings: list[str]
) -> dict[str, BundleImage]:
    """The images the Markdown files show, found in the bundle; a warning for each reference
    to a missing image or Markdown file, naming the file and the line."""
    images: dict[str, BundleImage] = {}
    for path in sorted(texts, key=_natural_key):
        fence: str | None = None
        for number, line in enumerate(split_lines(texts[path]), start=1):
            outside = fence is None
            fence = next_fence(fence, line)
            if not outside:
                continue
            for match in _targets(line):
                target = match["target"]
                resolved = _resolve(posixpath.dirname(path), target)
                kind = _kind(resolved or "")
                if resolved is None or not kind:
                    continue
                where = f"{path} line {number}"
                if resolved == ".." or resolved.startswith("../"):
                    warnings.append(f"{where}: '{target}' points outside the bundle; kept as written")
                elif resolved not in files:
                    what = "the image" if kind == "image" else "the file"
                    warnings.append(f"{where}: {what} '{target}' is not in the bundle; kept as written")
                elif kind == "image":
                    images.setdefault(resolved, BundleImage(data=files[resolved], used_at=[])).used_at.append(
                        where
                    )
    return images


def relink_bundle(
    result: BundleResult,
    *,
    image_urls: Mapping[str, str],
    link_url: Callable[[int | None, str], str],
) -> None:
    """Point ``result.book``'s references at where they now live: each image found in
    ``image_urls`` (bundle path -> URL) at its URL, each link to a chapter file at
    ``link_url(number, fragment)`` and to the README at ``link_url(None, fragment)``.
    Anything else stays as written."""
    file_chapters: dict[str, int] = {}
    for number, path in sorted(result.sources.items(), reverse=True):
        file_chapters[path] = number  # the first chapter of a file wins
    readme = result.summary_source

    def rewrite(text: str, base: str) -> str:
        def replace(match: re.Match) -> str:
            target = match["target"]
            resolved = _resolve(base, target)
            if resolved is None:
                return match[0]
            fragment = target.split("#", 1)[1] if "#" in target else ""
            if resolved in image_urls:
                new = image_urls[resolved]
            elif resolved in file_chapters and resolved != readme:
                new = link_url(file_chapters[resolved], fragment)
            elif resolved == readme and readme:
                new = link_url(None, fragment)
            else:
                return match[0]
            start, end = match.start("target") - match.start(), match.end("target") - match.start()
            return match[0][:start] + new + match[0][end:]

        def image_tag(match: re.Match) -> str:
            # Chapters show raw HTML as text: a bundle's <img> becomes the Markdown image it meant.
            attributes = {found["name"].lower(): found["value"] for found in _ATTRIBUTE_RE.finditer(match[0])}
            resolved = _resolve(base, attributes.get("src", ""))
            if resolved not in image_urls:
                return match[0]
            alt = re.sub(r"[\[\]]", "", attributes.get("alt", ""))
            title = attributes.get("title", "").replace('"', "")
            return f"![{alt}]({image_urls[resolved]}" + (f' "{title}")' if title else ")")

        def line_rewrite(line: str) -> str:
            return _rewrite_line(_IMG_TAG_RE.sub(image_tag, line), replace)

        return "\n".join(_outside_fences(text.split("\n"), line_rewrite))

    book = result.book
    book.summary = rewrite(book.summary, posixpath.dirname(readme))
    for chapter in book.chapters:
        base = posixpath.dirname(result.sources.get(chapter.number, ""))
        chapter.body = rewrite(chapter.body, base)
        for table in chapter.tables:
            table.rows = [[rewrite(cell, base) for cell in row] for row in table.rows]


def _rewrite_line(line: str, replace: Callable[[re.Match], str]) -> str:
    for pattern in _TARGET_RES:
        line = pattern.sub(replace, line)
    return line


def _outside_fences(lines: list[str], change: Callable[[str], str]) -> list[str]:
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        outside = fence is None
        fence = next_fence(fence, line)
        out.append(change(line) if outside and fence is None else line)
    return out


# --- Writing a bundle -----------------------------------------------------------------------


def chapter_file_name(chapter: ChapterDoc, width: int = 2) -> str:
    """``NN-<slug>.md``: the number padded so the files sort in chapter order."""
    slug = slugify(chapter.title)[:60].strip("-") or "chapter"
    return f"{chapter.number:0{width}d}-{slug}.md"


# Where a site address may start inside Markdown or HTML: not in the middle of another URL.
_ADDRESS_START = r"(?<![\w/.:%-])"


def write_bundle(
    book: BookDoc,
    *,
    image_prefix: str,
    image_name_re: str,
    read_image: Callable[[str], bytes | None],
    chapters_prefix: str = "",
) -> bytes:
    """Write ``book`` as a zip that :func:`parse_bundle` reads back to an equal book.

    Each stored image shown (an address ``<image_prefix><name>``, the name matching
    ``image_name_re``) that ``read_image(name)`` finds is written to ``images/<name>``,
    and the address becomes that relative path. A link to one of the book's chapter
    pages (``<chapters_prefix><number>/``) becomes a link to the chapter's file.
    """
    image_url_re = re.compile(_ADDRESS_START + re.escape(image_prefix) + f"(?P<name>{image_name_re})")
    chapter_url_re = (
        re.compile(_ADDRESS_START + re.escape(chapters_prefix) + r"(?P<number>\d+)/")
        if chapters_prefix
        else None
    )
    width = max(2, len(str(max((chapter.number for chapter in book.chapters), default=0))))
    names = {chapter.number: chapter_file_name(chapter, width) for chapter in book.chapters}
    images: dict[str, bytes] = {}

    def relative(text: str) -> str:
        def image(match: re.Match) -> str:
            name = match["name"]
            if name not in images:
                data = read_image(name)
                if data is None:
                    return match[0]
                images[name] = data
            return f"images/{name}"

        def chapter(match: re.Match) -> str:
            number = int(match["number"])
            return names[number] if number in names else match[0]

        text = image_url_re.sub(image, text)
        return chapter_url_re.sub(chapter, text) if chapter_url_re is not None else text

    out = BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        head = BookDoc(
            title=book.title,
            author=book.author,
            domains=book.domains,
            summary=relative(book.summary),
            changelog=book.changelog,
            chapters=[],
        )
        archive.writestr("README.md", _readme_text(head))
        for chapter in book.chapters:
            copy = ChapterDoc(
                number=chapter.number,
                title=chapter.title,
                body=relative(chapter.body),
                tables=[
                    TableDoc(
                        slug=table.slug,
                        title=table.title,
                        headers=table.headers,
                        rows=[[relative(cell) for cell in row] for row in table.rows],
                        alignments=table.alignments,
                    )
                    for table in chapter.tables
                ],
            )
            archive.writestr(names[chapter.number], _chapter_text(copy))
        for name, data in images.items():
            archive.writestr(f"images/{name}", data)
    return out.getvalue()


def _readme_text(book: BookDoc) -> str:
    front = [
        "---",
        f"title: {json.dumps(book.title, ensure_ascii=False)}",
        f"author: {json.dumps(book.author, ensure_ascii=False)}",
        f"domains: {json.dumps(book.domains, ensure_ascii=False)}",
        "---",
        "",
    ]
    lines = write_markdown(book).split("\n")
    # The single-file writer ends with the heading over the chapters; a README has none.
    while lines and (not lines[-1].strip() or lines[-1].strip().lower() == "## chapter-wise notes"):
        lines.pop()
    return "\n".join(front + lines) + "\n"


def _chapter_text(chapter: ChapterDoc) -> str:
    """One chapter as the single-file writer writes it (so its escaping and tables read back
    exactly), under a level-1 ``# Chapter N - Title`` heading."""
    lines = write_markdown(
        BookDoc(title="Chapter", author="", domains=[], summary="", changelog=[], chapters=[chapter])
    ).split("\n")
    start = next(
        index for index, line in enumerate(lines) if line.startswith(f"## Chapter {chapter.number} ")
    )
    return "\n".join(["#" + lines[start][2:], *lines[start + 1 :]])


def is_bundle_folder(folder: Path) -> bool:
    """Say whether ``folder`` holds one book in files (a bundle) rather than one book per file:
    it has a README.md or index.md, or a Markdown file that starts with a chapter heading."""
    for path in folder.iterdir():
        if not path.is_file() or _is_ignored(path.name) or not path.name.lower().endswith(MARKDOWN_SUFFIXES):
            continue
        if path.name.lower() in README_NAMES:
            return True
        try:
            lines = split_lines(path.read_bytes()[: 64 * 1024].decode("utf-8", "replace"))
        except OSError:
            continue
        heading = _first_heading(lines, _front_matter_end(lines))
        if heading is not None and chapter_heading(heading[2])[0] is not None:
            return True
    return False


def _front_matter_end(lines: list[str]) -> int:
    try:
        return read_front_matter(lines)[1]
    except FormatError:
        return 0
