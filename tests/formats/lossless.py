"""The suite's lossless checker: every non-blank line of a notes source must still be in the
Markdown export of the book read from it (its words, in that line's order).

Only what the formats rewrite on purpose is normalised: a chapter heading becomes ``##
Chapter N - Title`` (so its title is looked for), HTML tags and Markdown punctuation give way
to the words, a front-matter ``key: value`` line is looked for by its value, and a
line of punctuation only (a delimiter row, ``---``, ``===``) has nothing to lose."""

import html
import re

from notes.formats.headings import chapter_heading, line_heading, numbered_heading

_TAG_RE = re.compile(r"<[^>]+>")
_WORD_RE = re.compile(r"\w+")


def words(text: str) -> str:
    """The words of ``text``: tags dropped, entities read, numbers without leading zeros (a
    changelog date is written ``May 09``), ``Domains:`` as ``Domain:`` (as the details are written)."""
    found = _WORD_RE.findall(html.unescape(_TAG_RE.sub(" ", text)).casefold())
    return " ".join(
        "domain" if word == "domains" else word.lstrip("0") or "0" if word.isdigit() else word
        for word in found
    )


def lost_lines(source: str, export: str) -> list[str]:
    """The non-blank source lines whose words are not found, in order, on the export."""
    exported = f" {words(export.replace(chr(10), ' '))} "
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front_end = _front_matter_end(lines)
    lost = []
    for index, line in enumerate(lines):
        text = line
        if index < front_end and re.match(r"\s*[\w-]+\s*:", line):
            text = line.split(":", 1)[1]  # "title: X" is kept as the book's title
        key = _heading_key(text) or words(text)
        if key and f" {key} " not in exported:
            lost.append(line)
    return lost


def _heading_key(line: str) -> str:
    heading = line_heading(line)
    if heading is None:
        return ""
    chapter = chapter_heading(heading.text) or numbered_heading(heading.text)
    if chapter is None:
        return words(heading.text)
    return words(chapter.title) or f"chapter {chapter.number}"


def _front_matter_end(lines: list[str]) -> int:
    if not lines or lines[0].strip() != "---":
        return 0
    return next((index + 1 for index in range(1, len(lines)) if lines[index].strip() in {"---", "..."}), 0)
