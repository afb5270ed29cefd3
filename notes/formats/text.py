"""The plain-text notes format (the seed's), read and written line by line.

The file::

    <book title>                         first non-blank line, required
    Book Details                         optional marker line
    - Author: <name>                     optional, at most once ("- Author:" is empty)
    - Domain: <domain>, <domain>         optional, at most once; split on commas
    Summary                              optional; the book summary (Markdown) follows
    <summary lines>
    Changelog                            optional; the next line starts the table
    | Date | Change Description |
    |---|---|
    | April 20, 2026 | Added notes for Chapter 1 |
    Chapter-wise Notes                   optional marker line
    Chapter 1 - <title>                  then the chapters
    <body lines>

Chapter headings: a line that starts with ``Chapter`` and then either a dash or colon
followed by a space (``Chapter - Foo``), one word and such a dash or colon (``Chapter X -
Foo``), or only a number (``Chapter 7``) is a heading attempt; it must read ``Chapter
<number> - <title>`` (``:`` is accepted for ``-``) or parsing fails, as does a chapter
number used twice. Any other line, ``Chapter-wise Notes`` and prose like ``Chapter 2
covers ...`` included, is body.

A chapter's body is every line up to the next heading, kept verbatim, except tables: a
``|`` line followed by a delimiter row (outside fenced code) starts a table, read and
repaired as :func:`notes.formats.document.read_table` describes. The body line just
before the table, if it is non-blank, not a table line and not fenced code, is the
table's title and is consumed; the title line and the table become one placeholder line.
An untitled table therefore cannot directly follow a text line in this format. A code
block still open at the end of a chapter is closed there, with a warning.

Lossless writing: a body line (or a book or table title) that the reader would take for
structure, a chapter heading attempt, a ``|`` line or a section keyword (``Changelog``,
``Book Details``, ``Chapter-wise Notes``), is written with a backslash in front, and one
that already starts with backslashes before such text gets one more; reading takes one
away (:func:`notes.formats.document.escape_line`). An untitled table right after another
table is written after a blank line, so their rows do not run together. A table's column
alignment is written in its delimiter row (``|:---|:---:|---:|``) and read back.

The book summary follows a ``Summary`` line after the details, up to the ``Changelog`` or
``Chapter-wise Notes`` line or the first chapter heading; it is written only when there is
one (so a file without a summary, the seed's, reads and writes back line for line). Its lines
that would end it (those keywords, a chapter heading attempt) are escaped as body lines are.

A table whose slug is not the one its title gives is written with a ``<!-- table: <slug> -->``
line between its title (if any) and its header row, and read back with that slug
(:func:`notes.formats.document.slug_marker_lines`); a body line that reads as one is escaped.

An untitled table is written after a blank line, and the reader drops one blank line just
before an untitled table: so an untitled table after a text line (a list item) is never read
back titled by it. Both detail lines are always written. A final newline ends the last line; ``write_text``
writes none unless the last line is empty.
"""

import re

from notes.formats.document import (
    NOTES_HEADING,
    BookDoc,
    ChapterDoc,
    FormatError,
    ParseResult,
    TableDoc,
    add_table,
    changelog_lines,
    check_details,
    check_length,
    check_text,
    claim_chapter_number,
    close_fence,
    detail_lines,
    escape_line,
    is_keyword_line,
    is_row_line,
    is_slug_marker,
    is_table_start,
    next_fence,
    place_tables,
    read_changelog,
    read_detail,
    read_slug_marker,
    read_table,
    slug_marker_lines,
    split_lines,
    table_lines,
    unescape_line,
)
from notes.lib.limits import MAX_TABLE_TITLE_LENGTH, MAX_TITLE_LENGTH
from notes.lib.placeholders import table_placeholder

_HEADING_ATTEMPT_RE = re.compile(r"Chapter(?:\s+\S+?)?\s*[-:](?:\s|$)|Chapter\s+\d+\s*$")
_HEADING_RE = re.compile(r"Chapter\s+(?P<number>\d+)\s*[-:]\s+(?P<title>\S.*?)\s*")
_EXPECTED_HEADING = "'Chapter <number> - <title>'"
SUMMARY_KEYWORD = "summary"


def parse_text(text: str) -> ParseResult:
    """Read a book in the text format; warnings name each repaired table row."""
    check_text(text)
    if not text.strip():
        raise FormatError("the file is empty; expected the book title on the first line")
    lines = split_lines(text)
    if lines[-1] == "":
        lines.pop()
    index = next(index for index, line in enumerate(lines) if line.strip())
    title = unescape_line(lines[index].strip(), _is_structure)
    if _is_structure(lines[index].strip()):
        raise FormatError(f"expected the book title on the first line, found '{title}'", index + 1)
    check_length("the book title", title, MAX_TITLE_LENGTH, index + 1)
    book = BookDoc(title=title, author="", domains=[], summary="", changelog=[], chapters=[])
    warnings: list[str] = []
    index = _read_front(book, lines, index + 1)
    book.chapters = _read_chapters(lines, index, warnings)
    return ParseResult(book=book, warnings=warnings)


def write_text(book: BookDoc) -> str:
    """Write ``book`` in the text format."""
    lines = [escape_line(book.title, _is_structure), "Book Details", *detail_lines(book)]
    if book.summary.strip():
        lines += ["Summary", *(escape_line(line, _is_summary_structure) for line in book.summary.split("\n"))]
    lines += ["Changelog", *changelog_lines(book.changelog), "Chapter-wise Notes"]
    for chapter in book.chapters:
        lines.append(f"Chapter {chapter.number} - {chapter.title}")
        escaped = ChapterDoc(
            number=chapter.number,
            title=chapter.title,
            body="\n".join(escape_line(line, _is_body_structure) for line in chapter.body.split("\n"))
            if chapter.body
            else "",
            tables=chapter.tables,
        )
        written: list[TableDoc] = []  # the chapter's tables so far, as the reader will have them
        blocks = place_tables(escaped, lambda table, written=written: _marked_table_block(table, written))
        lines += close_fence(_separate_tables(blocks))
    text = "\n".join(lines)
    return text + "\n" if lines[-1] == "" else text


_TABLE_START, _TABLE_END, _UNTITLED_START = object(), object(), object()


def _is_summary_structure(line: str) -> bool:
    """A summary line the reader would take for the end of the summary."""
    return is_keyword_line(line) or _HEADING_ATTEMPT_RE.match(line) is not None


def _marked_table_block(table: TableDoc, written: list[TableDoc]) -> list:
    return [_TABLE_START if table.title else _UNTITLED_START, *_table_block(table, written), _TABLE_END]


def _separate_tables(items: list) -> list[str]:
    """Drop the block marks, with a blank line before each untitled table: the reader drops
    it again, and without it a text line (or a table's rows) just above would be read as
    the table's title (or run into it)."""
    lines: list[str] = []
    for item in items:
        if item is _UNTITLED_START:
            lines.append("")
        elif item not in (_TABLE_START, _TABLE_END):
            lines.append(item)
    return lines


def _table_block(table: TableDoc, written: list[TableDoc]) -> list[str]:
    title = [escape_line(table.title, _is_title_structure)] if table.title else []
    return [
        *title,
        *slug_marker_lines(table, written),
        *table_lines(table.headers, table.rows, table.alignments),
    ]


def _is_body_structure(line: str) -> bool:
    """A body line the reader would take for a chapter heading, a table row or a section
    keyword, or a table's slug line: written escaped (``\\Chapter 1 - ...``), read back unescaped."""
    return (
        _HEADING_ATTEMPT_RE.match(line) is not None
        or is_row_line(line)
        or is_keyword_line(line)
        or is_slug_marker(line)
    )


def _is_title_structure(line: str) -> bool:
    """A table title would also open a code block if it read as a fence."""
    return _is_body_structure(line) or next_fence(None, line) is not None


def _is_structure(line: str) -> bool:
    return (
        line.lower() in {"book details", "changelog", NOTES_HEADING, SUMMARY_KEYWORD}
        or read_detail(line) is not None
        or _HEADING_ATTEMPT_RE.match(line) is not None
        or is_row_line(line)
    )


def _read_front(book: BookDoc, lines: list[str], index: int) -> int:
    """Read details and changelog into ``book``; return the index where chapters begin."""
    detail_lines: dict[str, int] = {}
    while index < len(lines):
        line = lines[index].strip()
        if _HEADING_ATTEMPT_RE.match(lines[index]):
            return index
        if line.lower() == NOTES_HEADING:
            return index + 1
        if line.lower() == "changelog":
            if not is_table_start(lines, index + 1, len(lines)):
                raise FormatError(
                    "expected the changelog table '| Date | Change Description |' after 'Changelog'",
                    index + 2,
                )
            entries, index = read_changelog(lines, index + 1, len(lines))
            book.changelog.extend(entries)
            continue
        if line.lower() == SUMMARY_KEYWORD and not book.summary:
            index = _read_summary(book, lines, index + 1)
            continue
        detail = read_detail(line)
        if detail is not None:
            key, value = detail
            if key in detail_lines:
                raise FormatError(
                    f"the {key} line appears twice (first on line {detail_lines[key]})", index + 1
                )
            detail_lines[key] = index + 1
            setattr(book, key, value)
            check_details(book, index + 1)
        elif line and line.lower() != "book details":
            raise FormatError(
                f"unexpected line '{line}'; expected '- Author: <name>', '- Domain: <domains>', "
                "'Changelog' or 'Chapter-wise Notes'",
                index + 1,
            )
        index += 1
    return index


def _read_summary(book: BookDoc, lines: list[str], index: int) -> int:
    """Read the summary from ``lines[index]`` to the line that ends it; return that line's index."""
    summary: list[str] = []
    while index < len(lines) and not _is_summary_structure(lines[index]):
        summary.append(unescape_line(lines[index], _is_summary_structure))
        index += 1
    book.summary = "\n".join(summary).strip()
    return index


def _read_chapters(lines: list[str], index: int, warnings: list[str]) -> list[ChapterDoc]:
    headings: list[tuple[int, int, str]] = []
    first_lines: dict[int, int] = {}
    for position in range(index, len(lines)):
        line = lines[position]
        if _HEADING_ATTEMPT_RE.match(line):
            match = _HEADING_RE.fullmatch(line)
            if match is None:
                raise FormatError(f"expected {_EXPECTED_HEADING}, found '{line.strip()}'", position + 1)
            claim_chapter_number(first_lines, int(match["number"]), position + 1)
            check_length("the chapter title", match["title"], MAX_TITLE_LENGTH, position + 1)
            headings.append((position, int(match["number"]), match["title"]))
        elif not headings and line.strip():
            raise FormatError(
                f"expected a chapter heading {_EXPECTED_HEADING}, found '{line.strip()}'", position + 1
            )
    bounds = [start for start, _, _ in headings] + [len(lines)]  # each chapter ends where the next starts
    chapters = []
    for position, (start, number, title) in enumerate(headings):
        body, tables = _read_body(lines, start + 1, bounds[position + 1], warnings)
        chapters.append(ChapterDoc(number=number, title=title, body=body, tables=tables))
    return chapters


def _read_body(lines: list[str], start: int, end: int, warnings: list[str]) -> tuple[str, list[TableDoc]]:
    body: list[str] = []
    tables: list[TableDoc] = []
    fence: str | None = None
    can_title = False  # body[-1] may title a table that starts on the next line
    could_title = False  # body[-2] may: a slug line may stand between a title and its table
    opened = start + 1  # line of the latest code fence opened
    index = start
    while index < end:
        line = lines[index]
        if fence is None and is_table_start(lines, index, end):
            slug = read_slug_marker(body[-1]) if can_title else None
            slug_line = index  # the slug line's number, 1-based: the line above the table
            if slug is not None:
                body.pop()
                can_title = could_title
            title = unescape_line(body.pop().strip(), _is_title_structure) if can_title else ""
            if not title and body and not body[-1].strip():
                body.pop()  # the blank line the writer puts before an untitled table
            check_length("the title of this table", title, MAX_TABLE_TITLE_LENGTH, index + 1)
            headers, rows, alignments, index = read_table(lines, index, end, warnings)
            table = add_table(tables, title, headers, rows, alignments, slug=slug, line=slug_line)
            body.append(table_placeholder(table.slug))
            can_title = could_title = False
            continue
        outside = fence is None
        fence = next_fence(fence, line)
        if outside and fence is not None:
            opened = index + 1
        could_title = can_title
        can_title = outside and fence is None and bool(line.strip()) and not is_row_line(line)
        body.append(line)
        index += 1
    if fence is not None:
        body.append(fence)
        warnings.append(f"line {opened}: code block not closed; closed it at the end of the chapter")
    return "\n".join(unescape_line(line, _is_body_structure) for line in body), tables
