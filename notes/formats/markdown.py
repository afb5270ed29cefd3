"""The Markdown notes format: reads hand-written notes, writes a form it reads back exactly.

Reading (headings and tables inside fenced code are ignored):

* A YAML front matter block (``---`` on the first line, up to ``---`` or ``...``): its
  ``title:``, ``author:`` and ``domains:`` (or ``domain:``) win over the file's own; other
  keys are skipped with a warning naming them.
* The book title is the front matter's ``title:``, else the first level-1 heading (``#
  <title>``, ``<h1>``, or a line underlined with ``===``) that is neither a chapter nor a
  "Part" heading; one of the two is required. With a front matter title, only a heading
  with that very text is taken as the title line; any other stays in the summary. Lines
  before the title (badges, a "Reading notes" line, a cover image) start the summary, with
  a warning naming them.
* Before the first chapter, the first ``Author: X`` and the first ``Domain: A, B`` (or
  ``Domains:``) line are the details; a list marker and bold are allowed (``- Author:
  X``, ``**Author:** X``).
* A ``Changelog`` heading (level 2 or deeper) is followed by the changelog pipe table;
  a ``Chapter-wise Notes`` heading is dropped.
* Every other line before the first chapter is the summary (joined, then stripped); each
  other heading there (a table of contents, ``## Part 1 ...``, ``## [Book](...) written
  by ...``) gets a warning naming the lines of its section.
* A chapter heading is a heading (``#`` or ``<h1>``-``<h6>``) of any level that the one
  rule of :mod:`notes.formats.headings` reads as a chapter: ``Chapter 2: Data``, ``Ch. 2
  Data``, ``CHAPTER TWO``, ``Chapter II - Data``, ``Chapter 7`` alone (titled ``Chapter
  7``). A heading that opens with the word ``Chapter`` (``Chapter-wise`` aside) but reads
  as none (``Chapter: Data``) fails parsing, as does a number used twice. A file without
  chapter headings has as chapters its numbered headings (``## 3. Storage``, ``## 4:
  ...``, ``## 5 - ...``) of the shallowest level they use; in a file with chapter headings
  they are sections. A chapter runs to the next chapter heading, whatever the levels;
  other headings inside it are body.
* A "Part" heading (``## Part 2 Distributed storage``, ``# Part II: ...``) inside a
  chapter's lines, other than as their first line, starts a section that belongs to the
  chapter that follows: it and the lines under it open that chapter's body, with a
  warning (after the last chapter it stays where it is). Nothing is dropped.
* In a chapter, one blank line after the heading and one before the next heading are
  dropped; the rest is the body, verbatim except tables. A table (a ``|`` line, then a
  delimiter row; rows too must start with ``|``, or they stay text) is read and repaired
  as :func:`notes.formats.document.read_table` describes, its column alignment
  (``:---``, ``:---:``, ``---:``) kept. Its title is a heading just before it, or a
  single-line paragraph just before it that is bold (``**``/``__``) or short (at most
  ``MAX_PLAIN_CAPTION_LENGTH`` characters) and neither a sentence (ending in ``.``, ``!``,
  ``?``) nor HTML (one blank line between allowed), with the wrapping ``**``/``__`` or
  the heading's ``#`` removed. A heading stays in the body (the chapter's outline keeps
  it) and takes the blank line between it and the table; a paragraph title is taken with
  one blank line before it and one between it and the table; an untitled table takes up
  to two blank lines before it; each takes one blank line after it. The taken lines become one placeholder
  line. A code block still open at the end of the summary or a chapter is closed there,
  with a warning.
* A ``<!-- table: <slug> -->`` line (not indented, outside code) just above a table's header
  row gives the table that slug instead of the one its title gives; the title is then
  read above it as above the table.
* Outside fenced code, a line escaped by the writer (below) loses one backslash.

Writing undoes exactly that: both detail lines, even empty; one blank line after each
chapter heading and before the next; a table titled by the heading just above it as a
blank line, the table and a blank line; another titled table as a blank line, ``**<title>**``
(``__`` if the title holds ``**``), a blank line, the table and a blank line; an untitled
one as two blank lines, the table and a blank line (two blank lines keep a text line above
from being read as its title); a table whose slug its title would not give has its slug
line just above its header row. A heading ending in ``#`` gets a closing ``#``. Outside
fenced code, a body or summary line the reader would take for structure (a ``Chapter``
heading, a ``Changelog`` or ``Chapter-wise Notes`` heading, a "Part" heading that is not
the body's first line, a ``|`` line, a slug line; in the summary of a book without chapters, a
numbered heading) is written with a backslash after its indentation, and one that starts
with backslashes before such text gets one more: see
:func:`notes.formats.document.escape_line`. Plain lines like ``Changelog`` are text in
Markdown and are not escaped. Two table titles do not come back exactly: one holding both
``**`` and ``__``, and one made only of ``*``, ``_`` and ``-``.
"""

import re
from collections.abc import Callable

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
    read_front_matter,
    read_slug_marker,
    read_table,
    slug_marker_lines,
    split_lines,
    table_lines,
    unescape_line,
)
from notes.formats.headings import (
    chapter_heading,
    is_chapter_attempt,
    is_part_heading,
    line_heading,
    numbered_heading,
    setext_level,
)
from notes.lib.limits import MAX_PLAIN_CAPTION_LENGTH, MAX_TABLE_TITLE_LENGTH, MAX_TITLE_LENGTH
from notes.lib.placeholders import TABLE_PLACEHOLDER_RE, table_placeholder

# Lines that cannot be a one-line paragraph: indented code, list items, quotes, table
# lines, thematic breaks.
_NOT_PARAGRAPH_RE = re.compile(r" {4}|\t| {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>|\||(?:[-*_][ \t]*){3,}$)")
_BLANK, _TEXT, _HEADING, _PLACEHOLDER, _OTHER = range(5)  # kinds of body lines
_PARAGRAPH_BOUNDARIES = (_BLANK, _HEADING, _PLACEHOLDER)


def parse_markdown(text: str) -> ParseResult:
    """Read a book from Markdown notes; warnings name each repaired table row and each
    stretch of lines kept in the summary or moved to another chapter."""
    check_text(text)
    if not text.strip():
        raise FormatError("the file is empty; expected the book title as '# <title>'")
    lines = split_lines(text)
    warnings: list[str] = []
    front, front_end = _front_matter(lines, warnings)
    start = next((index for index in range(front_end, len(lines)) if lines[index].strip()), None)
    front_title = front.get("title") if isinstance(front.get("title"), str) else ""
    if start is None and not front_title:
        raise FormatError("expected the book title as '# <title>' after the front matter")
    start = len(lines) if start is None else start
    found = _title_index(lines, start, front_title)
    if found is None and not front_title:
        raise FormatError(
            f"expected the book title as a level-1 heading '# <title>', found '{lines[start].strip()}'",
            start + 1,
        )
    if found is None:
        # The front matter names the book; its text starts the summary.
        title_index, title_end, title = start, start, front_title
    else:
        title_index, title_end, heading_text = found
        title = front_title or unescape_line(heading_text, _is_title_structure)
    check_length("the book title", title, MAX_TITLE_LENGTH, title_index + 1)
    book = BookDoc(title=title, author="", domains=[], summary="", changelog=[], chapters=[])
    before_title = _trimmed(lines, start, title_index)
    if before_title:
        first, last = before_title
        warnings.append(
            f"{_line_span(first, last)}: text before the '# {title}' title kept at the start of "
            "the book summary"
        )
    headings = _chapter_headings(lines, title_end)
    bounds = [index for index, _, _ in headings] + [len(lines)]  # each chapter ends where the next starts
    _read_front(book, lines, title_end, bounds[0], warnings)
    _front_details(book, front, front_end)
    if before_title:
        book.summary = "\n\n".join(
            part for part in ("\n".join(lines[before_title[0] : before_title[1] + 1]), book.summary) if part
        )
    moved: tuple[int, int] | None = None  # a Part section handed on to the next chapter
    for position, (index, number, title) in enumerate(headings):
        end = bounds[position + 1]
        part = _part_section(lines, index + 1, end) if position + 1 < len(headings) else None
        tables: list[TableDoc] = []
        bodies = []
        if moved is not None:
            bodies.append(_read_body(lines, *moved, warnings, tables)[0])
        bodies.append(_read_body(lines, index + 1, part if part is not None else end, warnings, tables)[0])
        body = "\n".join(
            _unescaped("\n\n".join(text for text in bodies if text).split("\n"), _body_structure)
        )
        book.chapters.append(ChapterDoc(number=number, title=title, body=body, tables=tables))
        if part is not None:
            span = _trimmed(lines, part, end)
            warnings.append(
                f"{_line_span(*span)}: '{lines[part].strip()}' is not a chapter; kept at the start "
                f"of chapter {headings[position + 1][1]}"
            )
        moved = (part, end) if part is not None else None
    return ParseResult(book=book, warnings=warnings)


def write_markdown(book: BookDoc) -> str:
    """Write ``book`` as Markdown that :func:`parse_markdown` reads back to an equal book."""
    lines = [f"# {_heading_text(escape_line(book.title, _is_title_structure))}", "", *detail_lines(book), ""]
    if book.summary:
        summary_structure = _summary_structure(has_chapters=bool(book.chapters))
        lines += [*_closing_fence(_escaped(book.summary.split("\n"), summary_structure)), ""]
    if book.changelog:
        lines += ["## Changelog", "", *changelog_lines(book.changelog), ""]
    lines += ["## Chapter-wise Notes", ""]
    for chapter in book.chapters:
        lines += [_heading_text(f"## Chapter {chapter.number} - {chapter.title}"), ""]
        escaped = ChapterDoc(
            number=chapter.number,
            title=chapter.title,
            body="\n".join(_escaped(chapter.body.split("\n"), _body_structure)) if chapter.body else "",
            tables=chapter.tables,
        )
        lines += [*_closing_fence(_placed(escaped)), ""]
    return "\n".join(lines)


def _heading_text(heading: str) -> str:
    """A heading ending in ``#`` gets a closing sequence, so the reader keeps that ``#``."""
    return f"{heading} #" if heading.endswith("#") else heading


def _line_span(first: int, last: int) -> str:
    """``line 3`` or ``lines 3-7`` for the 0-based indices ``first`` to ``last``."""
    return f"line {first + 1}" if first == last else f"lines {first + 1}-{last + 1}"


def _trimmed(lines: list[str], start: int, end: int) -> tuple[int, int] | None:
    """The first and last non-blank indices of ``lines[start:end]``, or None if all are blank."""
    filled = [index for index in range(start, end) if lines[index].strip()]
    return (filled[0], filled[-1]) if filled else None


def book_title_heading(lines: list[str], start: int, front_title: str) -> tuple[int, int, str] | None:
    """The heading the reader takes for the book's title (see :func:`_title_index`), if any."""
    return _title_index(lines, start, front_title)


def _title_index(lines: list[str], start: int, front_title: str) -> tuple[int, int, str] | None:
    """(index, the index after it, text) of the book title: the first level-1 heading (``#``,
    ``<h1>`` or underlined with ``===``) outside fenced code that is neither a chapter nor a
    "Part" heading. When the front matter names the book, only a heading with that very
    title is taken (and dropped); any other stays in the summary."""
    fence: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is None:
            heading = line_heading(line)
            if heading is not None and heading.level == 1:
                text, end = heading.text, index + 1
            elif (
                heading is None
                and setext_level(line, lines[index + 1] if index + 1 < len(lines) else None) == 1
            ):
                text, end = line.strip(), index + 2
            else:
                text = None
            named = text is not None and (
                not front_title
                or unescape_line(text, _is_title_structure).casefold() == front_title.casefold()
            )
            if named and not _is_chapter_like(text) and not is_part_heading(text):
                return index, end, text
        fence = next_fence(fence, line)
    return None


def _is_chapter_like(text: str) -> bool:
    """Heading text that reads as a chapter: ``Chapter ...``, ``Ch. 3 ...`` or ``3. Storage``."""
    return is_chapter_attempt(text) or numbered_heading(text) is not None


def _is_part_heading(line: str) -> bool:
    heading = line_heading(line)
    return heading is not None and is_part_heading(heading.text)


def _part_section(lines: list[str], start: int, end: int) -> int | None:
    """The index of the first "Part" heading in a chapter's lines that is not its first
    line: from there to the next chapter, the lines belong to the chapter that follows."""
    fence: str | None = None
    seen_text = False
    for index in range(start, end):
        line = lines[index]
        if fence is None and seen_text and _is_part_heading(line):
            return index
        fence = next_fence(fence, line)
        seen_text = seen_text or bool(line.strip())
    return None


def _is_title_structure(text: str) -> bool:
    return _is_chapter_like(text)


def _body_structure(line: str, is_first: bool) -> bool:
    """A chapter body line the reader would take for structure: a chapter heading (of any
    style the rule in :mod:`notes.formats.headings` knows), a "Part" heading (it would move to
    the next chapter), a table row, a section keyword heading. Plain lines such as ``Chapter
    1 - Fake`` or ``Changelog`` are text in Markdown and stay as written (a backslash before
    a letter would show)."""
    heading = line_heading(line)
    if heading is not None and (
        is_chapter_attempt(heading.text)
        or is_keyword_line(heading.text)
        or (is_part_heading(heading.text) and not is_first)
    ):
        return True
    return is_row_line(line) or is_slug_marker(line)


def _summary_structure(*, has_chapters: bool) -> Callable[[str, bool], bool]:
    """Summary lines the reader would take for structure; numbered headings (``## 3.
    Storage``) only read as chapters in a file without ``Chapter`` headings."""

    def is_structure(line: str, is_first: bool) -> bool:
        heading = line_heading(line)
        if heading is None:
            return False
        text = heading.text
        # Chapters come at any level, level 1 included; a level-1 keyword heading is a
        # section kept in the summary, not the changelog.
        return bool(
            is_chapter_attempt(text)
            or (is_keyword_line(text) and heading.level > 1)
            or (not has_chapters and numbered_heading(text) is not None)
        )

    return is_structure


def _escaped(lines: list[str], is_structure: Callable[[str, bool], bool]) -> list[str]:
    return _map_outside_fences(lines, is_structure, escape_line)


def _unescaped(lines: list[str], is_structure: Callable[[str, bool], bool]) -> list[str]:
    return _map_outside_fences(lines, is_structure, unescape_line)


def _map_outside_fences(lines, is_structure, change) -> list[str]:
    """Apply ``change`` (escape or unescape) to each line outside fenced code; the first
    non-blank line is told apart (a "Part" heading there stays with its chapter)."""
    out: list[str] = []
    fence: str | None = None
    seen_text = False
    for line in lines:
        if fence is None:
            first = not seen_text
            line = change(line, lambda text, first=first: is_structure(text, first))
        fence = next_fence(fence, line)
        seen_text = seen_text or bool(line.strip())
        out.append(line)
    return out


def _front_matter(lines: list[str], warnings: list[str]) -> tuple[dict, int]:
    """The values of a YAML front matter block and the index after it (``{}``, 0 if none);
    a warning names the keys that were not read."""
    values, end = read_front_matter(lines)
    if end:
        skipped = sorted(key for key in values if key not in _FRONT_KEYS)
        if skipped or not any(key in values for key in _FRONT_KEYS):
            warnings.append(
                f"line 1: front matter (lines 1-{end}): "
                + (f"'{', '.join(skipped)}' skipped; " if skipped else "skipped; ")
                + "the book is read from 'title:', 'author:' and 'domains:' there, else from its "
                "'# <title>' heading and its 'Author:' and 'Domain:' lines"
            )
    return values, end


_FRONT_KEYS = ("title", "author", "domains", "domain")


def _front_details(book: BookDoc, values: dict, end: int) -> None:
    """The front matter's author and domains win over the lines in the file."""
    if isinstance(values.get("author"), str):
        book.author = values["author"]
    domains = values.get("domains", values.get("domain"))
    if isinstance(domains, str):
        domains = [piece.strip() for piece in domains.split(",") if piece.strip()]
    if isinstance(domains, list):
        book.domains = domains
    check_details(book, 1)


def _closing_fence(lines: list[str]) -> list[str]:
    """Return ``lines``, closing the fenced code block they end in, if any."""
    fence: str | None = None
    for line in lines:
        fence = next_fence(fence, line)
    return [*lines, fence] if fence is not None else lines


def _placed(chapter: ChapterDoc) -> list[str]:
    """The chapter's lines with its tables in place. A table titled by the heading just above
    it is written under that heading without a title line: the reader takes the heading for
    its title again."""
    out: list[str] = []
    written: list[TableDoc] = []  # the chapter's tables so far, as the reader will have them
    for item in place_tables(chapter, lambda table: [table]):
        if not isinstance(item, TableDoc):
            out.append(item)
            continue
        above = line_heading(out[-1]) if out else None
        slug = slug_marker_lines(item, written)
        if item.title and above is not None and _title_text(out[-1]) == item.title:
            out += ["", *slug, *table_lines(item.headers, item.rows, item.alignments), ""]
        else:
            out += _table_block(item, slug)
    return out


def _table_block(table: TableDoc, slug: list[str]) -> list[str]:
    marker = "__" if "**" in table.title else "**"
    title = ["", f"{marker}{table.title}{marker}"] if table.title else [""]
    return [*title, "", *slug, *table_lines(table.headers, table.rows, table.alignments), ""]


def _chapter_headings(lines: list[str], start: int) -> list[tuple[int, int, str]]:
    """Return (index, number, title) of each chapter heading outside fenced code.

    Chapter headings are those :func:`notes.formats.headings.chapter_heading` reads, at any
    level; a heading that opens with the word ``Chapter`` but reads as none is refused. A
    file with none has as chapters its numbered headings (``## 3. Storage``) of the
    shallowest level they use.
    """
    headings: list[tuple[int, int, str]] = []
    numbered: list[tuple[int, int, int, str]] = []  # (index, level, number, title)
    first_lines: dict[int, int] = {}
    fence: str | None = None
    for index in range(start, len(lines)):
        heading = line_heading(lines[index]) if fence is None else None
        fence = next_fence(fence, lines[index])
        if heading is None:
            continue
        chapter = chapter_heading(heading.text)
        if chapter is None and not is_chapter_attempt(heading.text):
            section = numbered_heading(heading.text)
            if section is not None:
                numbered.append((index, heading.level, section.number, section.title))
            continue
        if chapter is None:
            raise FormatError(
                "expected a chapter heading like '## Chapter <number> - <title>', "
                f"found '{lines[index].strip()}'",
                index + 1,
            )
        headings.append(_chapter_heading(first_lines, index, chapter.number, chapter.title))
    if headings or not numbered:
        return headings
    level = min(level for _, level, _, _ in numbered)
    return [
        _chapter_heading(first_lines, index, number, title)
        for index, depth, number, title in numbered
        if depth == level
    ]


def _chapter_heading(
    first_lines: dict[int, int], index: int, number: int, title: str
) -> tuple[int, int, str]:
    """A chapter heading checked: its number used once and in range, its title short
    enough; ``Chapter 7`` alone is titled ``Chapter 7``."""
    claim_chapter_number(first_lines, number, index + 1)
    title = title or f"Chapter {number}"
    check_length("the chapter title", title, MAX_TITLE_LENGTH, index + 1)
    return index, number, title


def _read_front(book: BookDoc, lines: list[str], start: int, end: int, warnings: list[str]) -> None:
    """Read details, changelog and summary from the lines before the first chapter.

    Every other section there (a table of contents, "Part 1", "About the book") is kept in
    the summary, with a warning naming its lines.
    """
    summary: list[str] = []
    in_changelog = False
    details_seen: set[str] = set()
    fence: str | None = None
    opened = start + 1  # line of the latest code fence opened
    index = start
    while index < end:
        line = lines[index]
        heading = line_heading(line) if fence is None else None
        detail = read_detail(line) if fence is None else None
        if heading is not None and heading.level == 1:
            _warn_kept_section(lines, index, end, warnings)
        elif heading is not None:
            name = heading.text.lower()
            in_changelog = name == "changelog"
            if name in {"changelog", NOTES_HEADING}:
                index += 1
                continue
            _warn_kept_section(lines, index, end, warnings)
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
    structure = _summary_structure(has_chapters=end < len(lines))
    book.summary = "\n".join(_unescaped(summary, structure)).strip()


def _warn_kept_section(lines: list[str], index: int, end: int, warnings: list[str]) -> None:
    """Warn that the section under the heading at ``index`` is not a chapter: it stays in
    the summary. The section runs to the next heading before the first chapter."""
    fence: str | None = None
    stop = end
    for position in range(index + 1, end):
        if fence is None and line_heading(lines[position]):
            stop = position
            break
        fence = next_fence(fence, lines[position])
    last = _trimmed(lines, index, stop)[1]
    warnings.append(
        f"{_line_span(index, last)}: the section '{lines[index].strip()}' is not a chapter; "
        "kept in the book summary"
    )


def _read_body(
    lines: list[str], start: int, end: int, warnings: list[str], tables: list[TableDoc]
) -> tuple[str, list[TableDoc]]:
    """Read a chapter's lines into its body, adding its tables to ``tables``."""
    if start < end and not lines[start].strip():
        start += 1
    if end > start and not lines[end - 1].strip():
        end -= 1
    body: list[str] = []
    kinds: list[int] = []
    fence: str | None = None
    opened = start + 1  # line of the latest code fence opened
    index = start
    while index < end:
        line = lines[index]
        if fence is None and is_table_start(lines, index, end):
            # A slug line just above the header row (outside code, not indented) names the slug.
            slug = read_slug_marker(body[-1]) if kinds and kinds[-1] == _TEXT else None
            slug_line = index  # its number, 1-based
            if slug is not None:
                body.pop()
                kinds.pop()
            title = _take_title(body, kinds)
            check_length("the title of this table", title, MAX_TABLE_TITLE_LENGTH, index + 1)
            headers, rows, alignments, index = read_table(lines, index, end, warnings)
            table = add_table(tables, title, headers, rows, alignments, slug=slug, line=slug_line)
            body.append(table_placeholder(table.slug))
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
    if line_heading(line):
        return _HEADING
    return _OTHER if _NOT_PARAGRAPH_RE.match(line) else _TEXT


def _take_title(body: list[str], kinds: list[int]) -> str:
    """The title of a table about to start, taking it (and the blank lines it takes) from
    ``body``. A heading just above titles the table and stays in the body, so the chapter's
    outline keeps it; a paragraph line titles it only if bold or short (a long lead-in
    sentence stays text)."""
    at = len(body) - (2 if kinds and kinds[-1] == _BLANK else 1)
    if at >= 0 and kinds[at] == _HEADING:
        del body[at + 1 :], kinds[at + 1 :]
        return _title_text(body[at])
    paragraph = at >= 0 and kinds[at] == _TEXT and (at == 0 or kinds[at - 1] in _PARAGRAPH_BOUNDARIES)
    title = _title_text(body[at]) if paragraph and _is_caption(body[at]) else ""
    blanks = 2
    if title:
        del body[at:], kinds[at:]
        blanks = 1
    while blanks and kinds and kinds[-1] == _BLANK:
        body.pop()
        kinds.pop()
        blanks -= 1
    return title


def _is_caption(line: str) -> bool:
    """A bold line (as the writer writes a title), or a short plain one that is no sentence
    (ending in ``.``, ``!`` or ``?``) and no HTML."""
    text = line.strip()
    if _title_text(line) != text:
        return True
    return (
        len(text) <= MAX_PLAIN_CAPTION_LENGTH
        and not text.endswith((".", "!", "?"))
        and not text.startswith("<")
    )


def _title_text(line: str) -> str:
    heading = line_heading(line)
    text = heading.text if heading else line.strip()
    for marker in ("**", "__"):
        inner = text[2:-2]
        if len(text) > 4 and text.startswith(marker) and text.endswith(marker) and marker not in inner:
            return inner.strip()
    return text
