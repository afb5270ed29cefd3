"""What a heading is, and which headings are chapters: the one rule every notes reader uses.

Headings (:func:`line_heading`, :func:`setext_level`):

* ATX ``## Text`` (an optional closing ``#`` run dropped), at levels 1-6;
* an HTML heading on a line of its own, ``<h2>Text</h2>`` (attributes allowed, inner tags
  such as ``<b>`` dropped from the text);
* setext, a text line over a ``===`` (level 1) or ``---`` (level 2) line.

Chapter headings (:func:`chapter_heading`), at any level:

* the word ``Chapter`` (any case), ``Chap.``, ``Ch.`` or ``Ch``;
* a number: digits, a Roman numeral in capitals (``IV``, up to 399) or a number spelled out
  (``one`` to ``ninety-nine``) -- with the word in front none of these is ambiguous;
* then ``-``, ``:``, ``.``, ``)``, an en or em dash, a space or the end of the heading;
* then the title, which may be empty: ``Chapter 7`` alone is titled ``Chapter 7``.

Without the word, a heading that starts with digits and a separator (``3. Storage``, ``13:
Estimating``, ``5 - Caching``) is a *numbered section*. A reader takes numbered sections as
chapters only in a file that has no chapter headings, so that ``#### 13: Estimating``
under ``## Ch. 4`` stays a section of chapter 4.

:func:`heading_styles` names the heading styles a file uses, for the warning an import
gives when it finds no chapter.
"""

import html as html_module
import re
from dataclasses import dataclass

from notes.formats.document import next_fence

ATX_RE = re.compile(r" {0,3}(?P<marks>#{1,6})[ \t]+(?P<text>.+?)(?:[ \t]+#+)?[ \t]*")
_HTML_HEADING_RE = re.compile(
    r" {0,3}<h(?P<level>[1-6])(?:\s[^>]*)?>(?P<text>.*?)</h(?P=level)\s*>[ \t]*", re.I
)
_TAG_RE = re.compile(r"<[^>]*>")
_SETEXT_UNDERLINE_RE = re.compile(r" {0,3}(?P<mark>=+|-+)[ \t]*")

_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SPELLED_NUMBERS = {word: value for value, word in enumerate(_ONES, start=1)}
for _position, _tens in enumerate(_TENS):
    SPELLED_NUMBERS[_tens] = 20 + 10 * _position
    for _value, _one in enumerate(_ONES[:9], start=1):
        SPELLED_NUMBERS[f"{_tens}-{_one}"] = SPELLED_NUMBERS[f"{_tens} {_one}"] = 20 + 10 * _position + _value
_SPELLED = "|".join(sorted((re.escape(word) for word in SPELLED_NUMBERS), key=len, reverse=True))
_ROMAN_RE = re.compile(r"C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_SEPARATORS = "-:.)\u2013\u2014"
_CHAPTER_WORD = r"(?:chapter|chap\.|ch\.|ch\b)"
_CHAPTER_RE = re.compile(
    rf"{_CHAPTER_WORD}[ \t]*(?P<number>\d+|(?-i:[IVXLC]+)|{_SPELLED})"
    rf"(?:[ \t]*[{_SEPARATORS}][ \t]*|[ \t]+|$)(?P<title>.*)",
    re.IGNORECASE,
)
# The word "Chapter" opening a heading that the rule above cannot read (``Chapter: Storage``,
# ``Chapter Foo``): a mistyped chapter heading, refused rather than guessed.
_CHAPTER_ATTEMPT_RE = re.compile(r"chapter\b(?!-\S)", re.IGNORECASE)
# Without the word a separator is needed: "10 things I learned" is not chapter 10.
_NUMBERED_RE = re.compile(rf"(?P<number>\d{{1,6}})[ \t]*[{_SEPARATORS}][ \t]*(?P<title>[^\W\d_].*)")
_PART_RE = re.compile(
    r"part\s+(?:\d+|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    style: str  # "atx", "html" or "setext"


@dataclass(frozen=True)
class ChapterHeading:
    number: int
    title: str  # "" for "Chapter 7" alone: a notes file titles it "Chapter 7", a chapter file by its name


def line_heading(line: str) -> Heading | None:
    """The heading a single line is: ``## Text`` or ``<h2>Text</h2>``; None otherwise."""
    atx = ATX_RE.fullmatch(line)
    if atx is not None:
        return Heading(level=len(atx["marks"]), text=atx["text"].strip(), style="atx")
    html = _HTML_HEADING_RE.fullmatch(line)
    if html is not None:
        text = " ".join(_TAG_RE.sub("", html["text"]).split())
        if text:
            return Heading(level=int(html["level"]), text=html_module.unescape(text), style="html")
    return None


def setext_level(line: str, next_line: str | None) -> int | None:
    """1 or 2 if ``line`` is a setext heading's text, underlined by ``next_line``; else None.

    A list item, a quote, a table row or an indented line is no heading's text, and a
    ``---`` line under a blank line is a thematic break."""
    if next_line is None or not line.strip() or line.startswith(("    ", "\t")):
        return None
    if line.lstrip().startswith(("|", "-", "*", "+", ">", "#", "<", "```", "~~~")) or re.match(
        r"\s*\d{1,9}[.)]\s", line
    ):
        return None
    underline = _SETEXT_UNDERLINE_RE.fullmatch(next_line)
    if underline is None:
        return None
    return 1 if underline["mark"][0] == "=" else 2


def chapter_heading(text: str) -> ChapterHeading | None:
    """The chapter a heading's text names (``Ch. 3: Storage`` -> 3, "Storage"); None if none."""
    match = _CHAPTER_RE.fullmatch(text.strip())
    if match is None:
        return None
    number = _number(match["number"])
    if number is None:
        return None
    title = match["title"].strip()
    if not title.strip(_SEPARATORS + " \t"):
        title = ""
    return ChapterHeading(number=number, title=title)


def numbered_heading(text: str) -> ChapterHeading | None:
    """The numbered section a heading's text names (``13: Estimating``); None if none."""
    match = _NUMBERED_RE.fullmatch(text.strip())
    if match is None:
        return None
    return ChapterHeading(number=int(match["number"]), title=match["title"].strip())


def is_chapter_attempt(text: str) -> bool:
    """Whether a heading's text means to be a chapter heading: it reads as one, or it opens
    with the word ``Chapter`` (``Chapter-wise`` aside) and so is refused if it does not."""
    return chapter_heading(text) is not None or _CHAPTER_ATTEMPT_RE.match(text.strip()) is not None


def is_part_heading(text: str) -> bool:
    """``Part 2 Distributed storage``, ``Part II: ...``, ``PART ONE``."""
    return _PART_RE.match(text.strip()) is not None


def heading_styles(lines: list[str], *, limit: int = 4) -> list[str]:
    """The heading styles ``lines`` use, for the warning about a file without chapters:
    ``"level-2 headings such as '## Overview' (3)"``, deepest last, at most ``limit``."""
    seen: dict[tuple[str, int], list[str]] = {}
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is None:
            heading = line_heading(line)
            level = setext_level(line, lines[index + 1] if index + 1 < len(lines) else None)
            if heading is None and level is not None:
                heading = Heading(level=level, text=line.strip(), style="setext")
            if heading is not None:
                seen.setdefault((heading.style, heading.level), []).append(line.strip())
        fence = next_fence(fence, line)
    names = {"atx": "", "html": "HTML ", "setext": "underlined "}
    out = []
    for (style, level), examples in sorted(seen.items(), key=lambda item: (item[0][1], item[0][0])):
        out.append(f"{len(examples)} {names[style]}level-{level} heading{'s' if len(examples) > 1 else ''} "
                   f"such as '{examples[0][:60]}'")  # fmt: skip
    return out[:limit]


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text.lower() in SPELLED_NUMBERS:
        return SPELLED_NUMBERS[text.lower()]
    if _ROMAN_RE.fullmatch(text) and text:
        values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
        total = 0
        for position, letter in enumerate(text):
            value = values[letter]
            following = values[text[position + 1]] if position + 1 < len(text) else 0
            total += -value if value < following else value
        return total
    return None
