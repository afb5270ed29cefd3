"""Import and export of whole books: the text format (the seed's) and Markdown.

``parse(text, format)`` reads a book and returns it with warnings about repaired tables;
``write(book, format)`` writes one. ``format`` is ``"text"`` or ``"markdown"``. Files
are read as bytes and passed through ``decode_source`` first.
"""

from collections.abc import Callable

from notes.formats.document import (
    BookDoc,
    ChangelogEntry,
    ChapterDoc,
    FormatError,
    ParseResult,
    SourceText,
    TableDoc,
    decode_source,
    read_source,
)
from notes.formats.markdown import parse_markdown, write_markdown
from notes.formats.text import parse_text, write_text

__all__ = [
    "FORMATS",
    "BookDoc",
    "ChangelogEntry",
    "ChapterDoc",
    "FormatError",
    "ParseResult",
    "TableDoc",
    "SourceText",
    "decode_source",
    "read_source",
    "parse",
    "parse_markdown",
    "parse_text",
    "write",
    "write_markdown",
    "write_text",
]

_PARSERS: dict[str, Callable[[str], ParseResult]] = {"text": parse_text, "markdown": parse_markdown}
_WRITERS: dict[str, Callable[[BookDoc], str]] = {"text": write_text, "markdown": write_markdown}
FORMATS = tuple(_PARSERS)


def parse(text: str, format: str) -> ParseResult:
    """Read a book from ``text`` in ``format``; raises FormatError for a file it cannot read."""
    return _PARSERS[_known(format)](text)


def write(book: BookDoc, format: str) -> str:
    """Write ``book`` in ``format``."""
    return _WRITERS[_known(format)](book)


def _known(format: str) -> str:
    if format not in _PARSERS:
        raise ValueError(f"unknown notes format {format!r}; expected one of {', '.join(FORMATS)}")
    return format
