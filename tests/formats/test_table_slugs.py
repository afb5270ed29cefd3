"""A table's slug survives both notes formats, not only the slug its title would give.

A table whose slug is not the one the reader derives from its title (its title changed
after it was made, or its slug was made unique with ``-2``, or an untitled table that is
no longer the n-th) is written with a ``<!-- table: <slug> -->`` line just above its header
row; the reader gives the table that slug. A table whose slug is the derived one (every
table of the seed) is written without it.
"""

import pytest
from markdown_it import MarkdownIt

from notes.formats import BookDoc, ChapterDoc, FormatError, TableDoc, parse, write

FORMATS = ["text", "markdown"]


def table(slug: str, title: str) -> TableDoc:
    return TableDoc(slug=slug, title=title, headers=["Aspect", "Value"], rows=[["Speed", "fast"]])


def book_with(body: str, tables: list[TableDoc]) -> BookDoc:
    return BookDoc(
        title="Slugs",
        author="A",
        domains=["D"],
        summary="",
        changelog=[],
        chapters=[ChapterDoc(number=1, title="One", body=body, tables=tables)],
    )


@pytest.mark.parametrize("format", FORMATS)
def test_a_renamed_a_deduplicated_and_a_moved_untitled_table_keep_their_slugs(format):
    tables = [
        table("old-name", "New name"),  # renamed after it was made
        table("storage-2", "Storage"),  # "storage" was taken when it was made
        table("table-1", ""),  # untitled, now second: its title would give "table-3"
        table("storage", "Storage"),
    ]
    body = "Intro\n[[table:old-name]]\n- a list item\n[[table:storage-2]]\n\n### Notes\n\n[[table:table-1]]\n[[table:storage]]\nThe end."
    book = book_with(body, tables)

    exported = write(book, format)
    again = parse(exported, format).book

    assert again.chapters == book.chapters
    assert "<!-- table: old-name -->" in exported
    assert "<!-- table: storage-2 -->" in exported
    assert "<!-- table: table-1 -->" in exported
    # The last table's slug is the one its title gives after the others: no line for it.
    assert "<!-- table: storage -->" not in exported


@pytest.mark.parametrize("format", FORMATS)
def test_a_table_whose_slug_its_title_gives_is_written_without_a_slug_line(format):
    book = book_with(
        "[[table:storage]]\n[[table:storage-2]]", [table("storage", "Storage"), table("storage-2", "Storage")]
    )

    exported = write(book, format)

    assert "<!--" not in exported
    assert parse(exported, format).book.chapters == book.chapters


@pytest.mark.parametrize("format", FORMATS)
def test_a_body_line_that_reads_as_a_slug_line_is_escaped_and_read_back(format):
    body = "<!-- table: not-a-slug-line -->\n[[table:x]]\n<!-- table: x -->"
    book = book_with(body, [table("x", "X")])

    exported = write(book, format)

    assert "\\<!-- table: not-a-slug-line -->" in exported
    assert parse(exported, format).book.chapters == book.chapters


@pytest.mark.parametrize(
    ("format", "text", "message"),
    [
        (
            "text",
            "B\nChapter 1 - One\nTitle\n<!-- table: Not A Slug -->\n| a |\n|---|\n| 1 |\n",
            "line 4: the table slug 'Not A Slug' is not one: use lowercase letters, digits and '-'",
        ),
        (
            "markdown",
            "# B\n\n## Chapter 1 - One\n\n<!-- table: -->\n| a |\n|---|\n| 1 |\n",
            "line 5: the table slug '' is not one",
        ),
        (
            "markdown",
            "# B\n\n## Chapter 1 - One\n\n<!-- table: x -->\n| a |\n|---|\n| 1 |\n\n<!-- table: x -->\n| b |\n|---|\n| 2 |\n",
            "line 10: the table slug 'x' is used twice in this chapter",
        ),
        (
            "text",
            "B\nChapter 1 - One\nX\n| a |\n|---|\n| 1 |\n<!-- table: x -->\n| b |\n|---|\n| 2 |\n",
            "line 7: the table slug 'x' is used twice in this chapter",
        ),
    ],
)
def test_a_slug_line_that_names_no_usable_slug_is_refused_with_its_line(format, text, message):
    with pytest.raises(FormatError) as error:
        parse(text, format)
    assert str(error.value).startswith(message)


def test_a_slug_line_in_markdown_code_or_indented_stays_text():
    text = "# B\n\n## Chapter 1 - One\n\n    <!-- table: x -->\n| a |\n|---|\n| 1 |\n"

    chapter = parse(text, "markdown").book.chapters[0]

    assert [found.slug for found in chapter.tables] == ["table-1"]
    assert "    <!-- table: x -->" in chapter.body


def test_a_slug_line_is_a_comment_a_markdown_viewer_shows_nothing_of():
    # The exported file opened in a CommonMark viewer: the line stays an HTML comment (not
    # text on the page) and the table under it is still a table.
    html = (
        MarkdownIt("commonmark")
        .enable("table")
        .render("**Title**\n\n<!-- table: old-name -->\n| a |\n|---|\n| 1 |\n")
    )

    assert "<!-- table: old-name -->\n<table>" in html
    assert "&lt;!--" not in html
