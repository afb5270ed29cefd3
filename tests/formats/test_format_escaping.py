"""Lossless notes formats: body lines that read as structure are escaped, alignments kept.

A chapter body line that the reader would take for a chapter heading, a table row or a
section keyword is written with a backslash in front and read back without it, in both
formats; a column alignment (``:---:``) is a field of the table and comes back.
"""

import pytest

from notes.formats import BookDoc, ChapterDoc, TableDoc, parse, write
from notes.lib.markup import render_markdown as markup
from notes.lib.markup import render_table

HOSTILE_BODY = "\n".join(
    [
        "Chapter 1 - Fake",
        "Changelog",
        "Book Details",
        "Chapter-wise Notes",
        "| not | a table |",
        "|---|---|",
        "\\Chapter 2 - already starts with a backslash",
        "## Chapter 3 - Fake heading",
        "## Changelog",
        "Chapter 2 covers this - in depth",
    ]
)


def book_with(body: str, tables=()) -> BookDoc:
    return BookDoc(
        title="Hostile",
        author="A",
        domains=["D"],
        summary="",
        changelog=[],
        chapters=[ChapterDoc(number=1, title="Real", body=body, tables=list(tables))],
    )


@pytest.mark.parametrize("format", ["text", "markdown"])
def test_structure_lines_in_a_body_are_escaped_and_read_back(format):
    exported = write(book_with(HOSTILE_BODY), format)
    book = parse(exported, format).book

    assert [chapter.number for chapter in book.chapters] == [1]
    assert book.chapters[0].body == HOSTILE_BODY
    assert book.chapters[0].tables == []
    assert "\n\\| not | a table |\n\\|---|---|\n" in exported
    assert "\nChapter 2 covers this - in depth" in exported  # prose stays as it is


def test_text_escapes_heading_and_keyword_lines():
    exported = write(book_with(HOSTILE_BODY), "text")

    assert "\n\\Chapter 1 - Fake\n\\Changelog\n\\Book Details\n\\Chapter-wise Notes\n" in exported
    assert "\n\\\\Chapter 2 - already starts with a backslash\n" in exported


def test_markdown_escapes_what_its_reader_would_take_for_structure_only():
    exported = write(book_with(HOSTILE_BODY), "markdown")

    assert "\n\\## Chapter 3 - Fake heading\n\\## Changelog\n" in exported
    # Plain text lines are not structure in Markdown: they stay readable.
    assert "\nChapter 1 - Fake\nChangelog\nBook Details\n" in exported


def test_text_escapes_a_hostile_book_title_and_table_title():
    # The slug its title gives, so no slug line stands between the title and the table.
    table = TableDoc(slug="changelog", title="Changelog", headers=["a"], rows=[["1"]])
    book = book_with("[[table:changelog]]", [table])
    book.title = "Chapter 9 - Not the title"

    exported = write(book, "text")
    again = parse(exported, "text").book

    assert exported.startswith("\\Chapter 9 - Not the title\n")
    assert "\n\\Changelog\n| a |\n" in exported
    assert again.title == "Chapter 9 - Not the title"
    assert again.chapters[0].tables[0].title == "Changelog"


def test_markdown_escapes_headings_only_outside_code_blocks():
    body = "```\n## Chapter 2 - inside code\n| a |\n```\n## Chapter 3 - outside"
    exported = write(book_with(body), "markdown")

    assert "```\n## Chapter 2 - inside code\n| a |\n```\n\\## Chapter 3 - outside" in exported
    assert parse(exported, "markdown").book.chapters[0].body == body


def test_markdown_keeps_a_part_heading_that_opens_a_chapter_and_escapes_one_inside_it():
    body = "## Part 2 Distributed storage\n\nIntro.\n\n## Part 3 Derived data\n\nMore."
    exported = write(book_with(body), "markdown")

    assert "## Chapter 1 - Real\n\n## Part 2 Distributed storage\n" in exported
    assert "\n\\## Part 3 Derived data\n" in exported
    assert parse(exported, "markdown").book.chapters[0].body == body


def test_a_chapter_title_ending_in_a_hash_keeps_it_in_markdown():
    book = book_with("x")
    book.chapters[0].title = "C#"
    assert parse(write(book, "markdown"), "markdown").book.chapters[0].title == "C#"


@pytest.mark.parametrize("format", ["text", "markdown"])
def test_column_alignment_is_read_and_written(format):
    table = TableDoc(
        slug="t", title="Aligned", headers=["l", "c", "r", "n"], rows=[["1", "2", "3", "4"]],
        alignments=["left", "center", "right", ""],
    )  # fmt: skip
    exported = write(book_with("[[table:t]]", [table]), format)

    assert "| l | c | r | n |\n|:---|:---:|---:|---|\n" in exported
    assert parse(exported, format).book.chapters[0].tables[0].alignments == ["left", "center", "right", ""]


def test_a_table_without_aligned_columns_has_no_alignments_and_writes_plain_dashes():
    exported = "Book\nChapter 1 - One\nT\n| a | b |\n|---|---|\n| 1 | 2 |"
    table = parse(exported, "text").book.chapters[0].tables[0]

    assert table.alignments == []
    assert write(parse(exported, "text").book, "text").endswith("T\n| a | b |\n|---|---|\n| 1 | 2 |")


def test_two_untitled_tables_in_a_row_stay_two_tables_in_the_text_format():
    first = TableDoc(slug="table-1", title="", headers=["a"], rows=[["1"]])
    second = TableDoc(slug="table-2", title="", headers=["b"], rows=[["2"]])
    exported = write(book_with("[[table:table-1]]\n[[table:table-2]]", [first, second]), "text")

    tables = parse(exported, "text").book.chapters[0].tables
    assert [table.headers for table in tables] == [["a"], ["b"]]


def test_alignment_is_rendered_as_a_class_never_an_inline_style():
    table = TableDoc(slug="t", title="", headers=["a", "b"], rows=[["1", "2"]], alignments=["", "right"])
    html = render_table(table)

    assert '<th scope="col" class="align-right">b</th>' in html
    assert '<td class="align-right">2</td>' in html
    assert "style" not in html


def test_a_gfm_table_typed_in_a_body_renders_its_alignment_as_a_class():
    html = markup("| a | b |\n|:-:|--:|\n| 1 | 2 |")

    assert '<th class="align-center">a</th>' in html
    assert '<td class="align-right">2</td>' in html
    assert "style" not in html
