"""The one chapter-heading rule (notes/formats/headings.py), as a single Markdown file and a
bundle's chapter files both read it."""

import pytest

from notes.formats import FormatError, parse_markdown, write_markdown
from notes.formats.bundles import Bundle, chapter_heading, parse_bundle
from notes.formats.headings import heading_styles, line_heading

STYLES = [
    ("## Chapter 3: Storage", 3, "Storage"),
    ("## Chapter 3 - Storage", 3, "Storage"),
    ("## Chapter 3. Storage", 3, "Storage"),
    ("## Chapter 3 Storage", 3, "Storage"),
    ("## Chapter 3 \u2013 Storage", 3, "Storage"),
    ("## Ch. 3: Storage", 3, "Storage"),
    ("# Ch 3: Storage", 3, "Storage"),
    ("#### CHAPTER 3 STORAGE", 3, "STORAGE"),
    ("### Chapter 3", 3, "Chapter 3"),
    ("## Chapter Three: Storage", 3, "Storage"),
    ("## Chapter twenty-one - Storage", 21, "Storage"),
    ("## Chapter IV. Storage", 4, "Storage"),
    ("<h1>Chapter 3 - Storage</h1>", 3, "Storage"),
    ('<h2 id="c3">Ch. 3 <em>Storage</em></h2>', 3, "Storage"),
]


@pytest.mark.parametrize(("heading", "number", "title"), STYLES)
def test_every_chapter_heading_style_is_a_chapter_in_a_notes_file(heading, number, title):
    text = f"# Book\n\nSummary.\n\n{heading}\n\nBody text.\n\n#### 13: Estimating\n\nMore.\n"
    book = parse_markdown(text).book
    # Chapters win over numbered sections: "13: Estimating" stays in the chapter's body.
    assert [(chapter.number, chapter.title) for chapter in book.chapters] == [(number, title)]
    assert "#### 13: Estimating" in book.chapters[0].body
    assert parse_markdown(write_markdown(book)).book == book


@pytest.mark.parametrize(("heading", "number", "title"), STYLES)
def test_a_chapter_file_reads_its_heading_by_the_same_rule(heading, number, title):
    files = {"README.md": b"# Book\n", "notes.md": f"{heading}\n\nBody text.\n".encode()}
    book = parse_bundle(Bundle(name="b", files=files)).book
    expected = (number, "Notes" if title == f"Chapter {number}" else title)  # the file name titles it
    assert [(chapter.number, chapter.title) for chapter in book.chapters] == [expected]
    assert chapter_heading(line_heading(heading).text) == (
        number,
        "" if title == f"Chapter {number}" else title,
    )


@pytest.mark.parametrize(
    "heading", ["## Chess 3 openings", "## Chapter-wise Notes", "## Charter 3", "## 10 things I learned"]
)
def test_headings_that_only_look_like_chapters_are_not(heading):
    book = parse_markdown(f"# Book\n\n## Chapter 1 - One\n\n{heading}\n\nText\n").book
    assert [chapter.number for chapter in book.chapters] == [1]


def test_ambiguous_numbers_without_the_word_are_not_chapters_and_lowercase_roman_is_refused():
    with pytest.raises(FormatError, match="expected a chapter heading like"):
        parse_markdown("# Book\n\n## Chapter iv - Lower\n")
    # Numbered sections are the chapters only in a file without chapter headings.
    book = parse_markdown("# Book\n\n## 1. One\n\n### 1.1 Detail\n\n## 2: Two\n").book
    assert [(chapter.number, chapter.title) for chapter in book.chapters] == [(1, "One"), (2, "Two")]


def test_a_setext_title_is_the_book_title():
    book = parse_markdown(
        "Streaming Systems\n=================\n\nAuthor: Tyler\n\nChapter 1\n---------\n\n## Ch. 1: One\n\nText\n"
    ).book
    assert (book.title, book.author) == ("Streaming Systems", "Tyler")
    assert [chapter.number for chapter in book.chapters] == [1]


def test_heading_styles_name_what_a_file_without_chapters_uses():
    lines = [
        "# Notes",
        "",
        "## Intro",
        "",
        "## Setup",
        "",
        "<h3>Deep</h3>",
        "",
        "```",
        "## not a heading",
        "```",
        "",
    ]
    assert heading_styles(lines) == [
        "1 level-1 heading such as '# Notes'",
        "2 level-2 headings such as '## Intro'",
        "1 HTML level-3 heading such as '<h3>Deep</h3>'",
    ]
