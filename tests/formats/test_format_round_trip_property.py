"""Property test: any book, however hostile its text, survives export -> import -> export.

Hypothesis builds books whose titles, bodies and cells hold pipes, backslashes, lines that
read like chapter headings (in every style the heading rule knows, HTML included), table
rows or section keywords, headings and sentences just above tables, inline HTML, footnotes,
task lists, summaries (which the text format now keeps), unicode and empty cells; each
is written in a notes format, read back and written again, and the two files must be
identical. Bounded (50 examples per format, no deadline) so `make test` stays fast; no
example database is written.
"""

import datetime
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes.formats import BookDoc, ChangelogEntry, ChapterDoc, TableDoc, parse, write
from notes.formats.document import add_table, next_fence
from notes.lib.placeholders import table_placeholder

HOSTILE_LINES = [
    "Chapter 1 - Fake",
    "Chapter 2: Also fake",
    "Chapter 7",
    "Chapter X - Not a number",
    "## Chapter 3 - Fake heading",
    "### Chapter 9 Partitioning",
    "#### chapter 4: lower case",
    "## 3. Storage",
    "## Ch. 3: Fake short form",
    "# Ch 4 - Fake level one",
    "### CHAPTER TWO",
    "## Chapter IV. Roman",
    "#### 13: Estimating",
    "<h2>Chapter 5 - Fake in HTML</h2>",
    "<h1>A level-one heading in HTML</h1>",
    "### A section above a table",
    "Summary",
    "=====",
    "A sentence that ends here.",
    "<b>bold</b> and a<br>break",
    "<details><summary>More</summary>",
    "</details>",
    "- [ ] a task",
    "- [x] a done task",
    "A claim[^1]",
    "[^1]: the footnote",
    "## Part 2 Distributed storage",
    "# Part I. Foundations",
    "Changelog",
    "CHANGELOG",
    "<!-- table: a-slug-line -->",
    "<!-- table: Not A Slug -->",
    "\\<!-- table: escaped -->",
    "Book Details",
    "Chapter-wise Notes",
    "## Changelog",
    "## Chapter-wise Notes",
    "| a | b |",
    "|---|---|",
    "|:--|--:|",
    "| Date | Change Description |",
    "| lonely pipe",
    "  | indented row |",
    "ends with a pipe |",
    "\\| escaped pipe",
    "\\Chapter 1 - Already escaped",
    "\\\\Changelog",
    "\\",
    "- Author: Somebody Else",
    "Domain: Elsewhere",
    "[[table:nowhere]]",
    "**bold line**",
    "> a quote",
    "    indented code",
    "1. a list item",
    "- a bullet",
    "***",
    "# A level-one heading",
    "Ünïcødé — 日本語 ✓ ∑",
    "a \\| b | c",
    "",
    "",
    "   ",
]
ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Cc", "Zl", "Zp"),
    exclude_characters="\ufeff",  # a byte-order mark is dropped from the start of a file
    include_characters="|\\#*_-:.`~[]() \t",
)
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _no_fence(text: str) -> bool:
    return FENCE.match(text) is None and "\r" not in text and "\n" not in text


free_text = st.text(ALPHABET, max_size=30).filter(_no_fence)
line = st.one_of(st.sampled_from(HOSTILE_LINES), free_text)
# Titles, names and cells as the readers give them back: one line, stripped.
one_line = st.text(ALPHABET.filter(lambda c: c not in "\t"), min_size=1, max_size=40).map(str.strip)
title = st.one_of(st.sampled_from(HOSTILE_LINES).map(str.strip), one_line).filter(
    lambda text: text and text.strip("-:.\u2013\u2014 \\") and _no_fence(text)
)
# Two titles the Markdown writer documents it cannot keep: one holding both "**" and "__",
# and one made only of "*", "_" and "-" (in bold it reads as a thematic break).
table_title = st.one_of(st.just(""), title).filter(
    lambda text: not ("**" in text and "__" in text) and not re.fullmatch(r"[-*_\s]+", text)
)
cell = st.one_of(
    st.sampled_from(["", "a | b", "\\", "a\\|b", "| x |", "Chapter 1 - Fake", "---", ":---:", "日本"]),
    st.text(ALPHABET.filter(lambda c: c not in "\t"), max_size=15).map(str.strip),
)
name = st.text(st.characters(categories=("L", "N"), include_characters=" .'-"), max_size=20).map(str.strip)
code_block = st.lists(line, max_size=3).map(lambda lines: ["```", *lines, "```"])


@st.composite
def tables(draw, count: int) -> list[TableDoc]:
    built: list[TableDoc] = []
    for _ in range(count):
        width = draw(st.integers(1, 4))
        headers = draw(st.lists(cell, min_size=width, max_size=width))
        rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=3))
        aligned = draw(
            st.lists(st.sampled_from(["", "left", "center", "right"]), min_size=width, max_size=width)
        )
        # Some tables keep a slug their title does not give (renamed, or made unique).
        slug = draw(st.one_of(st.none(), st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)))
        if slug in {table.slug for table in built}:
            slug = None
        add_table(built, draw(table_title), headers, rows, aligned if any(aligned) else [], slug=slug)
    return built


@st.composite
def bodies(draw, placeholders: list[str]) -> str:
    blocks = draw(st.lists(st.one_of(line.map(lambda text: [text]), code_block), max_size=8))
    for slug in placeholders:
        blocks.insert(draw(st.integers(0, len(blocks))), [table_placeholder(slug)])
    return "\n".join(text for block in blocks for text in block)


@st.composite
def chapters(draw) -> list[ChapterDoc]:
    numbers = draw(st.lists(st.integers(1, 9999), unique=True, max_size=4))
    built = []
    for number in numbers:
        chapter_tables = draw(tables(draw(st.integers(0, 2))))
        body = draw(bodies([table.slug for table in chapter_tables]))
        built.append(ChapterDoc(number=number, title=draw(title), body=body, tables=chapter_tables))
    return built


@st.composite
def books(draw) -> BookDoc:
    changelog = draw(
        st.lists(
            st.builds(
                ChangelogEntry,
                date=st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)),
                summary=cell,
            ),
            max_size=3,
        )
    )
    summary = draw(bodies([])).strip()
    return BookDoc(
        title=draw(title),
        author=draw(name),
        domains=draw(st.lists(name.filter(bool), max_size=3)),
        summary=summary,
        changelog=changelog,
        chapters=draw(chapters()),
    )


# CW_PROPERTY_EXAMPLES=2000 for a long hunt; 50 keeps `make test` fast.
BOUNDED = settings(
    max_examples=int(os.environ.get("CW_PROPERTY_EXAMPLES", "50")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.parametrize("format", ["text", "markdown"])
@BOUNDED
@given(book=books())
def test_export_import_export_gives_the_same_file(format, book):
    exported = write(book, format)
    again = write(parse(exported, format).book, format)
    assert again == exported


@pytest.mark.parametrize("format", ["text", "markdown"])
@BOUNDED
@given(book=books())
def test_every_table_comes_back_with_its_slug(format, book):
    again = parse(write(book, format), format).book
    assert [sorted(table.slug for table in chapter.tables) for chapter in again.chapters] == [
        sorted(table.slug for table in chapter.tables) for chapter in book.chapters
    ]


@BOUNDED
@given(book=books())
def test_a_book_read_from_markdown_reads_back_equal(book):
    # Once through the reader, a book is in the shape the reader makes: from there the
    # round trip keeps every chapter, table, cell and alignment exactly.
    first = parse(write(book, "markdown"), "markdown").book
    assert parse(write(first, "markdown"), "markdown").book == first


def test_the_generator_makes_fences_only_in_closed_pairs():
    # The bodies above never leave a code fence open, so a placeholder is never inside one.
    fence = None
    for text in ["```", "Chapter 1 - Fake", "```", "[[table:x]]"]:
        fence = next_fence(fence, text)
    assert fence is None
