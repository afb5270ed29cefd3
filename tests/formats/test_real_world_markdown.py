"""Markdown notes as people keep them in public repositories (the files in tests/data/notes/).

Lines before the ``#`` title and sections before the first chapter go to the summary with a
warning naming their lines; "Part" headings are kept, in the summary or at the start of the
chapter that follows; chapter headings come at any level and numbered every common way.
"""

import pytest

from notes.formats import FormatError, decode_source, parse_markdown, write_markdown
from tests.paths import NOTES_FILES

DATA = NOTES_FILES


def read(name: str):
    return parse_markdown(decode_source((DATA / name).read_bytes()))


@pytest.mark.parametrize(
    ("name", "chapters"),
    [
        ("ddia-reading-notes.md", [1, 2, 3, 5, 6, 11]),
        ("system-design-interview.md", [1, 2, 3, 4, 5]),
        ("data-engineering-notes.md", [1, 2, 3, 4]),
    ],
)
def test_each_real_world_file_gives_its_chapters(name, chapters):
    assert [chapter.number for chapter in read(name).book.chapters] == chapters


def test_lines_before_the_title_and_sections_before_the_first_chapter_become_the_summary():
    result = read("ddia-reading-notes.md")
    book = result.book

    assert book.title == "Designing Data-Intensive Applications"
    assert book.author == "Martin Kleppmann"
    assert book.domains == ["Distributed Systems", "Databases"]
    assert book.summary.startswith("[![License: CC BY 4.0](https://img.shields.io/badge/")
    assert "_Reading notes | Completed in March 2024_" in book.summary
    assert (
        "![Designing Data-Intensive Applications cover](https://example.org/ddia-cover.jpg)" in book.summary
    )
    assert "## Table of contents" in book.summary
    assert book.summary.endswith(
        "## Part 1 Foundations of Data Systems\n\n"
        "The first four chapters go through the fundamental ideas that apply to all data systems."
    )
    assert result.warnings[:3] == [
        "lines 1-5: text before the '# Designing Data-Intensive Applications' title kept at the "
        "start of the book summary",
        "lines 12-22: the section '## Table of contents' is not a chapter; kept in the book summary",
        "lines 24-26: the section '## Part 1 Foundations of Data Systems' is not a chapter; "
        "kept in the book summary",
    ]


def test_a_part_heading_between_chapters_starts_the_chapter_that_follows():
    result = read("ddia-reading-notes.md")
    chapters = {chapter.number: chapter for chapter in result.book.chapters}

    assert chapters[3].body.endswith("- Page-oriented storage engines (B-trees)")
    assert chapters[5].body == (
        "## Part 2 Distributed storage\n\n"
        "Reasons to distribute a database across multiple machines: scalability, fault tolerance, "
        "latency.\n\n"
        "Leaders and followers; synchronous vs asynchronous replication."
    )
    assert chapters[11].body.startswith("## Part 3 Derived Data\n\nTransmitting event streams")
    assert result.warnings[3:] == [
        "lines 68-70: '## Part 2 Distributed storage' is not a chapter; kept at the start of chapter 5",
        "line 80: '## Part 3 Derived Data' is not a chapter; kept at the start of chapter 11",
    ]


def test_chapter_headings_of_any_level_and_separator_in_one_file():
    book = read("ddia-reading-notes.md").book
    titles = {chapter.number: chapter.title for chapter in book.chapters}

    assert titles[1] == "Reliable, Scalable, and Maintainable Applications"  # ### Chapter 1: ...
    assert titles[6] == "Partitioning"  # ### Chapter 6 Partitioning
    assert titles[11] == "Stream Processing"  # #### Chapter 11: Stream Processing
    # Sub-headings inside a chapter stay in its body.
    assert "#### Reliability" in book.chapters[0].body


def test_numbered_headings_without_the_word_chapter_are_the_chapters():
    result = read("system-design-interview.md")
    book = result.book

    assert [chapter.title for chapter in book.chapters] == [
        "Scale From Zero To Millions Of Users",
        "Back-of-the-envelope Estimation",
        "A Framework For System Design Interviews",
        "Design A Rate Limiter",
        "Design Consistent Hashing",
    ]
    # A deeper heading under a numbered chapter, and a numbered list, stay body.
    assert "### Cache considerations" in book.chapters[0].body
    assert book.chapters[2].body.startswith("1. Understand the problem")
    assert book.author == "Alex Xu"  # details are read anywhere before the first chapter
    assert book.summary.startswith("## [System Design Interview")
    assert result.warnings == [
        "lines 3-8: the section '## [System Design Interview \u2013 An Insider's Guide]"
        "(https://www.amazon.com/dp/B08CMF2CQF) written by Alex Xu' is not a chapter; kept in the book summary"
    ]


def test_numbered_headings_are_body_in_a_file_with_chapter_headings():
    book = parse_markdown("# Book\n\n## Chapter 1 - One\n\n### 1. First point\n\n### 2. Second point\n").book

    assert [chapter.number for chapter in book.chapters] == [1]
    assert book.chapters[0].body == "### 1. First point\n\n### 2. Second point"


def test_front_matter_text_before_the_title_and_a_level_one_part_heading():
    result = read("data-engineering-notes.md")
    book = result.book

    assert len(book.changelog) == 2
    assert book.summary.startswith("Notes kept by the data platform team.\n\n## About this book")
    assert book.summary.endswith("# Part I. Foundation and Building Blocks")
    assert book.chapters[2].body.startswith("## Part II: The Data Engineering Lifecycle in Depth\n\n")
    # A setext "Part" line is plain text of the chapter it sits in: nothing is dropped.
    assert "Part II: Practice\n-----------------" in book.chapters[1].body
    assert book.chapters[3].tables[0].alignments == ["left", "left"]
    assert "line 6: text before the '# Fundamentals of Data Engineering' title kept" in result.warnings[1]


@pytest.mark.parametrize("name", sorted(path.name for path in DATA.glob("*.md")))
def test_a_real_world_file_reads_back_equal_after_writing(name):
    book = read(name).book
    again = parse_markdown(write_markdown(book)).book

    assert again == book
    assert write_markdown(again) == write_markdown(book)


def test_a_file_without_any_level_one_heading_is_still_an_error():
    with pytest.raises(FormatError, match="^line 1: expected the book title as a level-1 heading"):
        parse_markdown("_Reading notes_\n\n## Chapter 1 - One\n")
