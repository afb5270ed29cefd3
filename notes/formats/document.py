"""The format-neutral book document, and the pipe-table grammar both notes formats share.

``parse_text`` and ``parse_markdown`` build a :class:`BookDoc`; ``write_text`` and
``write_markdown`` write one back. Both formats write tables, including the changelog,
as pipe tables: ``| a | b |`` rows under a ``|---|---|`` delimiter row. Inside a cell an
escaped pipe ``\\|`` is cell text: it does not split the row, it is stored as ``|`` and it
is written back as ``\\|``.

Broken tables are repaired by :func:`read_table`, one warning per repair:

* A row that starts with ``|`` and is short of cells (or whose last cell is not closed
  by a ``|``) takes the following lines that do not start with ``|`` but end with ``|``
  as continuation lines. After a line that ended with ``|`` a continuation line adds
  cells; otherwise its first piece continues the open cell, joined with one space.
* A row still short of cells is padded with empty cells.
* A row with more cells than the header is an error: no text is ever dropped.
"""

import datetime
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from notes.lib.limits import (
    MAX_BOOK_AUTHOR_LENGTH,
    MAX_BOOK_DOMAINS_LENGTH,
    MAX_SLUG_LENGTH,
    chapter_number_refusal,
)
from notes.lib.placeholders import TABLE_PLACEHOLDER_RE


@dataclass
class TableDoc:
    slug: str  # unique in the chapter: see add_table
    title: str  # "" if none
    headers: list[str]
    rows: list[list[str]]  # each row has len(headers) cells
    # One of "", "left", "center", "right" per column (GFM ":---", ":---:", "---:");
    # [] when no column is aligned.
    alignments: list[str] = field(default_factory=list)


@dataclass
class ChapterDoc:
    number: int
    title: str
    body: str  # Markdown; each table is a placeholder line "[[table:<slug>]]"
    tables: list[TableDoc]  # in order of appearance


@dataclass
class ChangelogEntry:
    date: datetime.date
    summary: str


@dataclass
class BookDoc:
    title: str
    author: str
    domains: list[str]
    summary: str  # Markdown; always "" from the text format
    changelog: list[ChangelogEntry]  # in file order
    chapters: list[ChapterDoc]


@dataclass
class ParseResult:
    book: BookDoc
    warnings: list[str]  # each "line N: <what was repaired>"


class FormatError(ValueError):
    """A file that cannot be read as notes; ``str()`` starts with ``line N:`` when known."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


CHANGELOG_HEADERS = ["Date", "Change Description"]
NOTES_HEADING = "chapter-wise notes"
SECTION_KEYWORDS = frozenset({"book details", "changelog", NOTES_HEADING})
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(_MONTHS, start=1)}
_DATE_RE = re.compile(r"(?P<month>[A-Za-z]+)\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})")
_DETAIL_RE = re.compile(
    r"\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>author|domains?)"
    r"(?:\s*:\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*(?P<value>.*?)\s*",
    re.IGNORECASE,
)
ALIGNMENTS = {(True, False): "left", (True, True): "center", (False, True): "right"}
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER_CELL = re.compile(r":?-+:?")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


# Encodings a notes file may come in besides UTF-8: the single-byte ones editors on Windows
# write. A file in none of them is refused rather than guessed.
SINGLE_BYTE_ENCODINGS = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1257": "Windows-1257 (Baltic)",
}


@dataclass
class SourceText:
    text: str
    encoding: str  # the codec it was read with: "utf-8", "utf-16", "cp1252", ...
    warning: str  # "" for UTF-8; else names the encoding it was read as


def read_source(data: bytes) -> SourceText:
    """Decode a notes file: UTF-8 (a byte-order mark dropped), UTF-16 with a byte-order mark,
    or a single-byte Windows encoding recognised by charset-normalizer, the last two with a
    warning naming the encoding. FormatError("not a UTF-8 text file: ...") for anything else
    (binary files, a NUL byte, text in an encoding not recognised)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise FormatError(
                "not a UTF-8 text file: it starts as UTF-16 text does (a byte-order mark) but is not; "
                "save it as UTF-8 text"
            ) from None
        check_text(text.removeprefix("\ufeff"))
        return SourceText(
            text=text.removeprefix("\ufeff"),
            encoding="utf-16",
            warning="the file is UTF-16 text (it starts with a byte-order mark); read as UTF-16",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = _single_byte(data)
        if text is None:
            raise FormatError(
                f"not a UTF-8 text file: the byte 0x{data[error.start]:02x} at offset {error.start} "
                "is not valid UTF-8, and the file is in no Windows encoding either; save the file as UTF-8 text",
                data.count(b"\n", 0, error.start) + 1,
            ) from None
        check_text(text.text)
        line = data.count(b"\n", 0, error.start) + 1
        text.warning = (
            f"line {line}: the file is not UTF-8 (the byte 0x{data[error.start]:02x} here); read as "
            f"{SINGLE_BYTE_ENCODINGS[text.encoding]}: check its accented letters and dashes, or save it as UTF-8"
        )
        return text
    check_text(text)
    return SourceText(text=text, encoding="utf-8", warning="")


def _single_byte(data: bytes) -> SourceText | None:
    """The file read in the single-byte Windows encoding charset-normalizer finds likeliest
    (Windows-1252 among equals); None for a binary file or text that reads as noise in all."""
    if b"\x00" in data:
        return None
    matches = [
        match
        for match in from_bytes(data, cp_isolation=list(SINGLE_BYTE_ENCODINGS))
        if match.encoding in SINGLE_BYTE_ENCODINGS and match.chaos < _MOST_CHAOS
    ]
    if not matches:
        return None
    least = min(match.chaos for match in matches)
    best = [match for match in matches if match.chaos == least]
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and any(str(match) == western or match.encoding == "cp1252" for match in best):
        return SourceText(text=western, encoding="cp1252", warning="")
    return SourceText(text=str(best[0]), encoding=best[0].encoding, warning="")


# charset-normalizer's "chaos" (0 to 1) above which decoded bytes read as noise, not text:
# bytes of an image read as Windows-1252 score about 0.18.
_MOST_CHAOS = 0.15


def decode_source(data: bytes) -> str:
    """The text of a notes file (see :func:`read_source`), without the warning."""
    return read_source(data).text


def check_text(text: str) -> None:
    """Raise FormatError if ``text`` holds a NUL or undecodable bytes (lone surrogates)."""
    if "\x00" in text:
        raise FormatError("not a UTF-8 text file: it contains a NUL byte, as binary files do")
    if _SURROGATE_RE.search(text):
        raise FormatError("not a UTF-8 text file: it contains bytes that are not valid UTF-8")


def split_lines(text: str) -> list[str]:
    """Split ``text`` on ``\\n``, ``\\r\\n`` or ``\\r``, dropping a leading byte-order mark."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_detail(line: str) -> tuple[str, str | list[str]] | None:
    """Read ``Author: X`` as ``("author", "X")``, ``Domain: A, B`` as ``("domains", ["A", "B"])``.

    A list marker and bold are allowed (``- Author: X``, ``**Author:** X``); else None.
    """
    match = _DETAIL_RE.fullmatch(line)
    if match is None:
        return None
    if match["key"].lower() == "author":
        return "author", match["value"]
    return "domains", [domain.strip() for domain in match["value"].split(",") if domain.strip()]


def detail_lines(book: BookDoc) -> list[str]:
    """Write both detail lines, even empty: ``Author: X`` in a summary is then never a detail."""
    return [f"- Author: {book.author}".rstrip(), f"- Domain: {', '.join(book.domains)}".rstrip()]


def check_length(what: str, text: str, limit: int, line: int) -> None:
    """Raise FormatError if ``text`` is longer than the database takes (notes.lib.limits):
    refused with its line, rather than failing in the database."""
    if len(text) > limit:
        raise FormatError(f"{what} is {len(text)} characters long; expected at most {limit}", line)


def check_details(book: BookDoc, line: int) -> None:
    """Check the lengths of the author and the domains read on ``line``."""
    check_length("the author", book.author, MAX_BOOK_AUTHOR_LENGTH, line)
    check_length("the domain list", ", ".join(book.domains), MAX_BOOK_DOMAINS_LENGTH, line)


def claim_chapter_number(first_lines: dict[int, int], number: int, line: int) -> None:
    """Record that chapter ``number`` starts on ``line``; a number seen before is an error."""
    refusal = chapter_number_refusal(number)
    if refusal:
        raise FormatError(refusal, line)
    if number in first_lines:
        raise FormatError(
            f"chapter {number} appears twice (first on line {first_lines[number]}); "
            "expected each chapter number once",
            line,
        )
    first_lines[number] = line


def next_fence(fence: str | None, line: str) -> str | None:
    """Return the code fence open after ``line`` (``None`` outside fenced code)."""
    stripped = line.strip()
    if fence is None:
        match = _FENCE_RE.match(line)
        return match.group(1) if match else None
    closes = stripped.startswith(fence) and set(stripped) == {fence[0]}
    return None if closes else fence


def split_cells(line: str) -> tuple[list[str], bool]:
    """Split a pipe-table line into stripped cell texts; also say if a ``|`` closes it."""
    text = line.strip().removeprefix("|")
    closed = text.endswith("|") and not text.endswith("\\|")
    if closed:
        text = text[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(text)], closed


def is_row_line(line: str) -> bool:
    """Say whether ``line`` is a table line: it starts with ``|``."""
    return line.lstrip().startswith("|")


def is_table_start(lines: list[str], index: int, end: int) -> bool:
    """Say whether a table starts at ``lines[index]``: a row line, then a delimiter row."""
    if not (index + 1 < end and is_row_line(lines[index]) and is_row_line(lines[index + 1])):
        return False
    cells, _ = split_cells(lines[index + 1])
    return all(_DELIMITER_CELL.fullmatch(cell) for cell in cells)


def _is_continuation(line: str) -> bool:
    text = line.strip()
    return not is_row_line(line) and text.endswith("|") and not text.endswith("\\|")


def read_table(
    lines: list[str], start: int, end: int, warnings: list[str]
) -> tuple[list[str], list[list[str]], int]:
    """Read the table starting at ``lines[start]`` (see :func:`is_table_start`).

    Returns the headers, the repaired rows, the column alignments (see
    :func:`read_alignments`) and the index of the first line after the table; each repair
    appends a ``line N: ...`` warning.
    """
    headers, _ = split_cells(lines[start])
    width = len(headers)
    delimiters = split_cells(lines[start + 1])[0]
    delimiter_width = len(delimiters)
    if delimiter_width != width:
        raise FormatError(
            f"the table's delimiter row has {delimiter_width} cells but its header has {width}; "
            "expected one '---' per column",
            start + 2,
        )
    rows: list[list[str]] = []
    index = start + 2
    while index < end and is_row_line(lines[index]):
        first = index
        cells, closed = split_cells(lines[index])
        index += 1
        while index < end and (len(cells) < width or not closed) and _is_continuation(lines[index]):
            more, _ = split_cells(lines[index])
            if not closed:
                cells[-1] = f"{cells[-1]} {more.pop(0)}".strip()
            cells.extend(more)
            closed = True
            index += 1
        if index - first > 1:
            warnings.append(
                f"line {first + 1}: table row split over {index - first} lines "
                f"joined into one row of {len(cells)} cells"
            )
        if len(cells) > width:
            raise FormatError(
                f"table row has {len(cells)} cells but the header has {width}; expected at most "
                f"{width} (write a '|' inside a cell as '\\|')",
                first + 1,
            )
        if len(cells) < width:
            missing = width - len(cells)
            warnings.append(
                f"line {first + 1}: table row has {len(cells)} cells, header has {width}; "
                f"padded with {missing} empty cell{'s' if missing > 1 else ''}"
            )
            cells.extend([""] * missing)
        rows.append(cells)
    return headers, rows, read_alignments(delimiters), index


def read_alignments(delimiters: list[str]) -> list[str]:
    """Read a delimiter row's cells (``:---``, ``:---:``, ``---:``, ``---``) as alignments;
    ``[]`` when no column is aligned."""
    alignments = [
        ALIGNMENTS.get((cell.startswith(":"), cell.endswith(":") and len(cell) > 1), "")
        for cell in delimiters
    ]
    return alignments if any(alignments) else []


def delimiter_cells(alignments: list[str], width: int) -> list[str]:
    """The delimiter row's cells for ``width`` columns aligned as ``alignments``."""
    marks = {alignment: mark for mark, alignment in ALIGNMENTS.items()}
    cells = []
    for column in range(width):
        left, right = marks.get(alignments[column] if column < len(alignments) else "", (False, False))
        cells.append(f"{':' if left else ''}---{':' if right else ''}")
    return cells


def table_slug(title: str, tables: list[TableDoc]) -> str:
    """The slug a table titled ``title`` gets after ``tables`` when its file does not name one.

    The slug is the title in ASCII lowercase with runs of other characters turned into
    ``-`` and cut to 100 characters, else ``table-<n>`` (n = the table's 1-based
    position); a taken slug gets ``-2``, ``-3``, ...
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    # Room under the slug limit for a "-<n>" suffix.
    base = (
        re.sub(r"[^a-z0-9]+", "-", ascii_title.lower())[: MAX_SLUG_LENGTH - 20].strip("-")
        or f"table-{len(tables) + 1}"
    )
    taken = {table.slug for table in tables}
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def add_table(
    tables: list[TableDoc],
    title: str,
    headers: list[str],
    rows: list[list[str]],
    alignments: list[str] | None = None,
    *,
    slug: str | None = None,
    line: int | None = None,
) -> TableDoc:
    """Append a table to a chapter's ``tables`` with a slug unique in the chapter, and return it.

    ``slug`` is the one its file names (:func:`read_slug_marker`), refused at ``line`` if it
    is not a slug or another table of the chapter has it; without one the slug comes from
    the title (:func:`table_slug`).
    """
    if slug is None:
        slug = table_slug(title, tables)
    else:
        _check_named_slug(slug, tables, line)
    table = TableDoc(slug=slug, title=title, headers=headers, rows=rows, alignments=alignments or [])
    tables.append(table)
    return table


# A table whose slug is not the one its title gives (its title changed after it was made, or
# its slug was made unique with "-2") is written with this line just above its header row,
# so that reading the file back gives it its own slug: its placeholder and the threads on
# it stay where they were. An HTML comment, which Markdown shows as nothing.
_SLUG_MARKER_RE = re.compile(r"<!--[ \t]*table:[ \t]*(?P<slug>.*?)[ \t]*-->[ \t]*")
_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")


def read_slug_marker(line: str) -> str | None:
    """The slug a ``<!-- table: <slug> -->`` line names (checked when the table is added), or None."""
    match = _SLUG_MARKER_RE.fullmatch(line)
    return match["slug"] if match else None


def is_slug_marker(line: str) -> bool:
    """Say whether ``line`` reads as a slug line; a body line that does is written escaped."""
    return read_slug_marker(line) is not None


def slug_marker_lines(table: TableDoc, written: list[TableDoc]) -> list[str]:
    """The slug line to write just above ``table``'s header row, if the reader would not
    derive its slug from its title after the tables ``written`` before it in the chapter
    (``[]`` then, as for every table of the seed); ``table`` is added to ``written``.

    A slug no placeholder can name is not written: such a table could not be placed anyway.
    """
    derived = table_slug(table.title, written)
    written.append(table)
    if table.slug == derived or not _is_slug(table.slug):
        return []
    return [f"<!-- table: {table.slug} -->"]


def _is_slug(text: str) -> bool:
    return len(text) <= MAX_SLUG_LENGTH and _SLUG_RE.fullmatch(text) is not None


def _check_named_slug(slug: str, tables: list[TableDoc], line: int | None) -> None:
    if not _is_slug(slug):
        raise FormatError(
            f"the table slug '{slug}' is not one: use lowercase letters, digits and '-' (starting with "
            f"a letter or digit), at most {MAX_SLUG_LENGTH} characters",
            line,
        )
    if any(table.slug == slug for table in tables):
        raise FormatError(f"the table slug '{slug}' is used twice in this chapter", line)


def table_lines(headers: list[str], rows: list[list[str]], alignments: list[str] | None = None) -> list[str]:
    """Write a pipe table: ``| a | b |`` rows, ``|---|---|`` delimiter (``:---:`` and the
    like for aligned columns), pipes escaped.

    A line break inside a cell (possible in edited data) is written as one space.
    """

    def row(cells: list[str]) -> str:
        texts = [re.sub(r"\s*[\r\n]+\s*", " ", cell).replace("|", "\\|") for cell in cells]
        return "| " + " | ".join(texts) + " |"

    delimiter = "|" + "".join(f"{cell}|" for cell in delimiter_cells(alignments or [], len(headers)))
    return [row(headers), delimiter, *(row(cells) for cells in rows)]


_ESCAPABLE = re.compile(r"(?P<indent>[ \t]*)(?P<slashes>\\*)(?P<rest>.*)", re.DOTALL)


def escape_line(line: str, is_structure: Callable[[str], bool]) -> str:
    """Write a text line that would read as structure (a heading, a table row, a section
    keyword) with a backslash in front, after its indentation.

    A line that already starts with backslashes followed by such text gets one more, so
    :func:`unescape_line` can always take exactly one away: the pair is lossless.
    """
    match = _ESCAPABLE.fullmatch(line)
    if is_structure(match["indent"] + match["rest"]):
        return f"{match['indent']}\\{match['slashes']}{match['rest']}"
    return line


def unescape_line(line: str, is_structure: Callable[[str], bool]) -> str:
    """Undo :func:`escape_line`: drop one backslash from an escaped structure line."""
    match = _ESCAPABLE.fullmatch(line)
    if match["slashes"] and is_structure(match["indent"] + match["rest"]):
        return match["indent"] + match["slashes"][1:] + match["rest"]
    return line


def is_keyword_line(line: str) -> bool:
    """Say whether ``line`` is a section keyword of the formats (``Changelog`` and the like)."""
    return line.strip().lower() in SECTION_KEYWORDS


def close_fence(lines: list[str]) -> list[str]:
    """Return ``lines``, closing the fenced code block they end in, if any (as the readers do)."""
    fence: str | None = None
    for line in lines:
        fence = next_fence(fence, line)
    return [*lines, fence] if fence is not None else lines


def place_tables(chapter: ChapterDoc, block: Callable[[TableDoc], list[str]]) -> list[str]:
    """Return the lines of ``chapter.body`` with each placeholder line replaced by ``block(table)``.

    A placeholder naming no table, or a table placed before, stays as written; tables
    the body never places are appended at its end, so none is lost.
    """
    unplaced = {table.slug: table for table in chapter.tables}
    lines: list[str] = []
    for line in chapter.body.split("\n") if chapter.body else []:
        match = TABLE_PLACEHOLDER_RE.fullmatch(line)
        table = unplaced.pop(match["slug"], None) if match else None
        lines.extend(block(table) if table is not None else [line])
    for table in unplaced.values():
        lines.extend(block(table))
    return lines


def read_changelog(lines: list[str], start: int, end: int) -> tuple[list[ChangelogEntry], int]:
    """Read the changelog table at ``lines[start]`` (rows of exactly 2 cells); return the
    entries and the index of the first line after it."""
    if len(split_cells(lines[start])[0]) != len(CHANGELOG_HEADERS):
        raise FormatError("expected the changelog header '| Date | Change Description |'", start + 1)
    entries: list[ChangelogEntry] = []
    index = start + 2
    while index < end and is_row_line(lines[index]):
        cells, _ = split_cells(lines[index])
        if len(cells) != 2:
            raise FormatError(
                f"expected a changelog row '| <date> | <change> |' with 2 cells, found {len(cells)}",
                index + 1,
            )
        entries.append(ChangelogEntry(date=_parse_date(cells[0], index + 1), summary=cells[1]))
        index += 1
    return entries, index


def changelog_lines(entries: list[ChangelogEntry]) -> list[str]:
    """Write the changelog table, dates like ``May 09, 2026``."""
    rows = [
        [f"{_MONTHS[entry.date.month - 1]} {entry.date.day:02d}, {entry.date.year}", entry.summary]
        for entry in entries
    ]
    return table_lines(CHANGELOG_HEADERS, rows)


def _parse_date(text: str, line: int) -> datetime.date:
    match = _DATE_RE.fullmatch(text)
    if match and match["month"].lower() in _MONTH_NUMBERS:
        try:
            return datetime.date(
                int(match["year"]), _MONTH_NUMBERS[match["month"].lower()], int(match["day"])
            )
        except ValueError:
            pass
    raise FormatError(f"cannot read the date '{text}'; expected a date like 'April 20, 2026'", line)


def read_front_matter(lines: list[str]) -> tuple[dict[str, str | list[str]], int]:
    """The ``key: value`` pairs of a leading ``---`` block, and the index after it (0 if none).

    Only the simple YAML a notes file has: strings (quoted or not) and lists of strings
    (``[a, b]`` or ``- a`` lines).
    """
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() in {"---", "..."}), None)
    if end is None:
        raise FormatError(
            "the front matter that starts here is not closed; expected a '---' line after it", 1
        )
    values: dict[str, str | list[str]] = {}
    key = None
    for line in lines[1:end]:
        item = re.fullmatch(r"\s*-\s+(?P<value>.+?)\s*", line)
        if item and key is not None:
            existing = values.get(key)
            values[key] = [*(existing if isinstance(existing, list) else []), _scalar(item["value"])]
            continue
        pair = re.fullmatch(r"(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*", line)
        if pair is None:
            continue
        key = pair["key"].lower()
        value = pair["value"]
        if value.startswith("[") and value.endswith("]"):
            values[key] = _list(value)
        else:
            values[key] = _scalar(value)
    return values, end + 1


def _list(text: str) -> list[str]:
    """``["a", "b"]`` (as JSON, which YAML reads too) or ``[a, b]``."""
    try:
        loaded = json.loads(text)
    except ValueError:
        loaded = None
    if isinstance(loaded, list):
        return [str(item) for item in loaded]
    return [_scalar(piece) for piece in text[1:-1].split(",") if _scalar(piece)]


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            return str(json.loads(text))
        except ValueError:
            return text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text
