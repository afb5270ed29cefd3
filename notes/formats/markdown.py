"""The Markdown notes format: reads hand-written notes, writes a form it reads back exactly.

Reading (headings and tables inside fenced code are ignored):

* A YAML front matter block (``---`` on the first line, up to ``---`` or ``...``) is
  skipped with a warning.
* The first non-blank line is the book title, ``# <title>``; required.
* Before the first heading of level 2 or deeper, the first ``Author: X`` and the first
  ``Domain: A, B`` (or ``Domains:``) line are the details; a list marker and bold are
  allowed (``- Author: X``, ``**Author:** X``).
* A ``Changelog`` heading (level 2 or deeper) is followed by the changelog pipe table;
  a ``Chapter-wise Notes`` heading is dropped.
* Every other line before the first chapter is the summary (joined, then stripped).
* A chapter heading is a heading of any level whose text starts with the word
  ``Chapter`` (``Chapter-wise`` aside); it must read ``Chapter <number> <title>`` with
  an optional ``-``, ``:``, ``.`` or dash after the number (``## Chapter 2: Data``,
  ``### Chapter 6 Partitioning``), else parsing fails, as does a number used twice. A
  chapter runs to the next chapter heading, whatever the levels; other headings inside
  it are body.
* In a chapter, one blank line after the heading and one before the next heading are
  dropped; the rest is the body, verbatim except tables. A table (a ``|`` line, then a
  delimiter row; rows too must start with ``|``, or they stay text) is read and repaired
  as :func:`notes.formats.document.read_table` describes. Its title is a single-line paragraph or a heading just before it (one blank
  line between allowed), with a wrapping ``**``/``__`` or the heading's ``#`` removed.
  A titled table takes its title line, one blank line before the title and one between
  title and table; an untitled table takes up to two blank lines before it; either takes
  one blank line after it. The taken lines become one placeholder line. A code block
  still open at the end of the summary or a chapter is closed there, with a warning.

Writing undoes exactly that: both detail lines, even empty; one blank line after each
chapter heading and before the next; a titled table as a blank line, ``**<title>**``
(``__`` if the title holds ``**``), a blank line, the table and a blank line; an untitled
one as two blank lines, the table and a blank line (two blank lines keep a text line above
from being read as its title). A title holding both ``**`` and ``__`` does not come back
exactly; neither does a summary holding a ``Changelog`` or chapter heading.
"""

import re

from notes.formats.document import (
    MAX_TABLE_TITLE,
    MAX_TITLE,
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
    detail_lines,
    is_table_start,
    next_fence,
    place_tables,
    read_changelog,
    read_detail,
    read_table,
    split_lines,
    table_lines,
)
from notes.placeholders import TABLE_PLACEHOLDER_RE, table_placeholder

_HEADING_RE = re.compile(r" {0,3}(?P<marks>#{1,6})[ \t]+(?P<text>.+?)(?:[ \t]+#+)?[ \t]*")
_CHAPTER_ATTEMPT_RE = re.compile(r"chapter\b(?!-\S)", re.IGNORECASE)
_CHAPTER_RE = re.compile(
    r"chapter\s+(?P<number>\d+)(?:\s*[-:.\u2013\u2014]\s*|\s+)(?P<title>\S.*)", re.IGNORECASE
)
# Lines that cannot be a one-line paragraph: indented code, list items, quotes, table
# lines, thematic breaks.
_NOT_PARAGRAPH_RE = re.compile(r" {4}|\t| {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>|\||(?:[-*_][ \t]*){3,}$)")
_BLANK, _TEXT, _HEADING, _PLACEHOLDER, _OTHER = range(5)  # kinds of body lines
_PARAGRAPH_BOUNDARIES = (_BLANK, _HEADING, _PLACEHOLDER)


def parse_markdown(text: str) -> ParseResult:
    """Read a book from Markdown notes; warnings name each repaired table row."""
    check_text(text)
    if not text.strip():
        raise FormatError("the file is empty; expected the book title as '# <title>'")
    lines = split_lines(text)
    warnings: list[str] = []
    start = next(
        (index for index in range(_skip_front_matter(lines, warnings), len(lines)) if lines[index].strip()),
        None,
    )
    if start is None:
        raise FormatError("expected the book title as '# <title>' after the front matter")
    heading = _HEADING_RE.fullmatch(lines[start])
    if heading is None or heading["marks"] != "#" or _CHAPTER_ATTEMPT_RE.match(heading["text"]):
        raise FormatError(
            f"expected the book title as a level-1 heading '# <title>', found '{lines[start].strip()}'",
            start + 1,
        )
    check_length("the book title", heading["text"], MAX_TITLE, start + 1)
    book = BookDoc(title=heading["text"], author="", domains=[], summary="", changelog=[], chapters=[])
    headings = _chapter_headings(lines, start + 1)
    bounds = [index for index, _, _ in headings] + [len(lines)]  # each chapter ends where the next starts
    _read_front(book, lines, start + 1, bounds[0], warnings)
    for position, (index, number, title) in enumerate(headings):
        body, tables = _read_body(lines, index + 1, bounds[position + 1], warnings)
        book.chapters.append(ChapterDoc(number=number, title=title, body=body, tables=tables))
    return ParseResult(book=book, warnings=warnings)


def render_markdown(book: BookDoc) -> str:
    """Write ``book`` as Markdown that :func:`parse_markdown` reads back to an equal book."""
    lines = [f"# {book.title}", "", *detail_lines(book), ""]
    if book.summary:
        lines += [*_closing_fence(book.summary.split("\n")), ""]
    if book.changelog:
        lines += ["## Changelog", "", *changelog_lines(book.changelog), ""]
    lines += ["## Chapter-wise Notes", ""]
    for chapter in book.chapters:
        lines += [f"## Chapter {chapter.number} - {chapter.title}", ""]
        lines += [*_closing_fence(place_tables(chapter, _table_block)), ""]
    return "\n".join(lines)


def _skip_front_matter(lines: list[str], warnings: list[str]) -> int:
    """Return the index after a YAML front matter block (``---`` on line 1 to ``---`` or
    ``...``), warning that it was skipped; 0 if the file has none."""
    if lines[0].rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in {"---", "..."}:
            warnings.append(
                f"line 1: front matter (lines 1-{index + 1}) skipped; the book is read from its "
                "'# <title>' heading and its 'Author:' and 'Domain:' lines"
            )
            return index + 1
    raise FormatError("the front matter that starts here is not closed; expected a '---' line after it", 1)


def _closing_fence(lines: list[str]) -> list[str]:
    """Return ``lines``, closing the fenced code block they end in, if any."""
    fence: str | None = None
    for line in lines:
        fence = next_fence(fence, line)
    return [*lines, fence] if fence is not None else lines


def _table_block(table: TableDoc) -> list[str]:
    marker = "__" if "**" in table.title else "**"
    title = ["", f"{marker}{table.title}{marker}"] if table.title else [""]
    return [*title, "", *table_lines(table.headers, table.rows), ""]


def _chapter_headings(lines: list[str], start: int) -> list[tuple[int, int, str]]:
    """Return (index, number, title) of each chapter heading outside fenced code."""
    headings: list[tuple[int, int, str]] = []
    first_lines: dict[int, int] = {}
    fence: str | None = None
    for index in range(start, len(lines)):
        heading = _HEADING_RE.fullmatch(lines[index]) if fence is None else None
        fence = next_fence(fence, lines[index])
        if heading is None or not _CHAPTER_ATTEMPT_RE.match(heading["text"]):
            continue
        match = _CHAPTER_RE.fullmatch(heading["text"])
        if match is None:
            raise FormatError(
                "expected a chapter heading like '## Chapter <number> - <title>', "
                f"found '{lines[index].strip()}'",
                index + 1,
            )
        claim_chapter_number(first_lines, int(match["number"]), index + 1)
        if not match["title"].strip("-:.\u2013\u2014 \t"):
            raise FormatError(
                f"chapter {match['number']} has no title; expected '## Chapter <number> - <title>'",
                index + 1,
            )
        check_length("the chapter title", match["title"], MAX_TITLE, index + 1)
        headings.append((index, int(match["number"]), match["title"]))
    return headings


def _read_front(book: BookDoc, lines: list[str], start: int, end: int, warnings: list[str]) -> None:
    """Read details, changelog and summary from the lines before the first chapter."""
    summary: list[str] = []
    in_preamble, in_changelog = True, False
    details_seen: set[str] = set()
    fence: str | None = None
    opened = start + 1  # line of the latest code fence opened
    index = start
    while index < end:
        line = lines[index]
        heading = _HEADING_RE.fullmatch(line) if fence is None else None
        detail = read_detail(line) if fence is None and in_preamble else None
        if heading is not None and heading["marks"] != "#":
            name = heading["text"].lower()
            in_preamble, in_changelog = False, name == "changelog"
            if name in {"changelog", NOTES_HEADING}:
                index += 1
                continue
        elif fence is None and in_changelog and is_table_start(lines, index, end):
            entries, index = read_changelog(lines, index, end)
            book.changelog.extend(entries)
            in_changelog = False
            continue
        elif detail is not None and detail[0] not in details_seen:
            details_seen.add(detail[0])
            setattr(book, *detail)
            check_details(book, index + 1)
            index += 1
            continue
        outside = fence is None
        fence = next_fence(fence, line)
        if outside and fence is not None:
            opened = index + 1
        summary.append(line)
        index += 1
    if fence is not None:
        summary.append(fence)
        warnings.append(f"line {opened}: code block not closed; closed it at the end of the summary")
    book.summary = "\n".join(summary).strip()


def _read_body(lines: list[str], start: int, end: int, warnings: list[str]) -> tuple[str, list[TableDoc]]:
    if start < end and not lines[start].strip():
        start += 1
    if end > start and not lines[end - 1].strip():
        end -= 1
    body: list[str] = []
    kinds: list[int] = []
    tables: list[TableDoc] = []
    fence: str | None = None
    opened = start + 1  # line of the latest code fence opened
    index = start
    while index < end:
        line = lines[index]
        if fence is None and is_table_start(lines, index, end):
            title = _take_title(body, kinds)
            check_length("the title of this table", title, MAX_TABLE_TITLE, index + 1)
            headers, rows, index = read_table(lines, index, end, warnings)
            body.append(table_placeholder(add_table(tables, title, headers, rows).slug))
            kinds.append(_PLACEHOLDER)
            if index < end and not lines[index].strip():
                index += 1
            continue
        outside = fence is None
        fence = next_fence(fence, line)
        if outside and fence is not None:
            opened = index + 1
        kinds.append(_kind(line) if outside and fence is None else _OTHER)
        body.append(line)
        index += 1
    if fence is not None:
        body.append(fence)
        warnings.append(f"line {opened}: code block not closed; closed it at the end of the chapter")
    return "\n".join(body), tables


def _kind(line: str) -> int:
    if not line.strip():
        return _BLANK
    if TABLE_PLACEHOLDER_RE.fullmatch(line):
        return _PLACEHOLDER
    if _HEADING_RE.fullmatch(line):
        return _HEADING
    return _OTHER if _NOT_PARAGRAPH_RE.match(line) else _TEXT


def _take_title(body: list[str], kinds: list[int]) -> str:
    """Remove the title of a table about to start (and the blank lines it takes) from ``body``."""
    at = len(body) - (2 if kinds and kinds[-1] == _BLANK else 1)
    paragraph = at >= 0 and kinds[at] == _TEXT and (at == 0 or kinds[at - 1] in _PARAGRAPH_BOUNDARIES)
    title = _title_text(body[at]) if paragraph or (at >= 0 and kinds[at] == _HEADING) else ""
    blanks = 2
    if title:
        del body[at:], kinds[at:]
        blanks = 1
    while blanks and kinds and kinds[-1] == _BLANK:
        body.pop()
        kinds.pop()
        blanks -= 1
    return title


def _title_text(line: str) -> str:
    heading = _HEADING_RE.fullmatch(line)
    text = heading["text"].strip() if heading else line.strip()
    for marker in ("**", "__"):
        inner = text[2:-2]
        if len(text) > 4 and text.startswith(marker) and text.endswith(marker) and marker not in inner:
            return inner.strip()
    return text
