"""The text and Markdown notes formats: reading the seed, repairs, round trips and errors.

Pure tests: no database and no Django settings are needed.
"""

import datetime
import difflib
import re

import pytest

from notes.formats import (
    BookDoc,
    ChangelogEntry,
    ChapterDoc,
    FormatError,
    TableDoc,
    decode_source,
    parse,
    parse_markdown,
    parse_text,
    write,
    write_markdown,
    write_text,
)
from tests.paths import SEED_SOURCE

SEED = decode_source(SEED_SOURCE.read_bytes())
SEED_LINES = SEED.split("\n")

SEED_WARNINGS = [
    "line 50: table row split over 2 lines joined into one row of 5 cells",
    "line 52: table row split over 4 lines joined into one row of 5 cells",
    "line 112: table row split over 2 lines joined into one row of 3 cells",
    "line 114: table row has 2 cells, header has 3; padded with 1 empty cell",
]


def seed_line(number: int) -> str:
    return SEED_LINES[number - 1]


def seed_with(number: int, line: str) -> str:
    """The seed with its line ``number`` (1-based) replaced by ``line``."""
    lines = list(SEED_LINES)
    lines[number - 1] = line
    return "\n".join(lines)


def table(book: BookDoc, chapter: int, slug: str) -> TableDoc:
    return next(t for t in book.chapters[chapter - 1].tables if t.slug == slug)


def test_the_seed_file_is_as_these_tests_expect():
    assert len(SEED_LINES) == 114
    assert not SEED.endswith("\n")
    assert seed_line(50).startswith("| System Significance |")
    assert seed_line(114).startswith("| Disadvantages |")


def test_it_reads_the_seed_book_details_and_changelog():
    book = parse_text(SEED).book

    assert book.title == "Designing ML Systems"
    assert book.author == "Chip Huyen"
    assert book.domains == ["Machine Learning", "System Design"]
    assert book.summary == ""
    assert book.changelog == [
        ChangelogEntry(datetime.date(2026, 4, 20), "Added notes for Chapter 1"),
        ChangelogEntry(datetime.date(2026, 4, 21), "Added notes for Chapter 2"),
        ChangelogEntry(datetime.date(2026, 5, 9), "Added notes for Chapter 3 (Data Sources, Data Models)"),
    ]


def test_it_reads_the_seed_chapters_and_their_tables():
    book = parse_text(SEED).book

    assert [(c.number, c.title) for c in book.chapters] == [
        (1, "Overview of Machine Learning Systems"),
        (2, "Introduction to Machine Learning System Design"),
        (3, "Introduction to Machine Learning System Design"),
    ]
    assert [[(t.slug, t.title) for t in c.tables] for c in book.chapters] == [
        [
            (
                "ml-in-research-vs-production-have-different-requirements",
                "ML in research vs production have different requirements",
            )
        ],
        [("main-requirements-of-ml-systems", "Main requirements of ML systems")],
        [
            ("row-wise-versus-column-wise-storage", "Row-wise versus Column-wise Storage"),
            ("text-versus-binary-format-storage", "Text versus Binary Format storage"),
            (
                "document-data-model-versus-graph-data-models",
                "Document Data Model Versus Graph Data Models",
            ),
        ],
    ]
    research = table(book, 1, "ml-in-research-vs-production-have-different-requirements")
    assert research.headers == ["Aspect", "Research", "Production"]
    assert [row[0] for row in research.rows] == [
        "Requirements",
        "Data",
        "Computational Priority",
        "Fairness",
        "Interpretability",
    ]
    assert table(book, 3, "row-wise-versus-column-wise-storage").rows[2] == [
        "Typical applications",
        "- Write-heavy",
        "Column read-heavy",
    ]


def test_each_table_title_line_and_table_become_one_placeholder_line():
    chapter = parse_text(SEED).book.chapters[0]
    lines = chapter.body.split("\n")

    # Body lines 13-28, the placeholder for lines 29-36, then lines 37-40, verbatim.
    assert lines == [
        *SEED_LINES[12:28],
        "[[table:ml-in-research-vs-production-have-different-requirements]]",
        *SEED_LINES[36:40],
    ]


def test_it_repairs_a_row_split_over_lines():
    book = parse_text(SEED).book
    requirements = table(book, 2, "main-requirements-of-ml-systems")
    significance, notes = requirements.rows

    assert requirements.headers == ["Aspect", "Reliability", "Scalability", "Maintainability", "Adaptability"]
    assert all(len(row) == 5 for row in requirements.rows)
    assert significance[0] == "System Significance"
    assert significance[2].endswith("for data, models and other artifacts")
    assert significance[3].startswith("Is the system implementation")
    assert significance[3].endswith("can all work on the system seamlessly?")
    assert significance[4] == (
        "Can the system adapt to changing data distributions and business requirements? "
        "This ties together with maintability"
    )
    assert notes[0] == "Things to keep note of when building ML systems"
    assert notes[2].startswith("Scaling up for complexity")
    assert notes[3] == (
        "Code should be well-documented Models should be reproducible "
        "Easy debugging of problems and solution implementation"
    )
    assert (
        notes[4]
        == "Capacity for discovering performance improvement aspects and services upgrades without interruption"
    )


def test_it_pads_a_row_short_of_cells():
    book = parse_text(SEED).book
    models = table(book, 3, "document-data-model-versus-graph-data-models")

    assert all(len(row) == 3 for row in models.rows)
    assert models.rows[2][0] == "Advantages"
    assert models.rows[2][1].startswith("Better locality than relational models")
    assert models.rows[2][2] == "Faster to access data which are connected or related"
    assert models.rows[3] == [
        "Disadvantages",
        "Hard to use filters and complex joins since every document in the collection needs to be read",
        "",
    ]


def test_it_warns_once_per_repair_with_the_line_of_the_row():
    assert parse_text(SEED).warnings == SEED_WARNINGS


def test_it_joins_a_cell_broken_across_lines_with_one_space():
    text = "Book\nChapter 1 - One\n| A | B | C |\n|---|---|---|\n| a | b starts\nand ends | c |\nAfter"
    result = parse_text(text)

    assert result.book.chapters[0].tables[0].rows == [["a", "b starts and ends", "c"]]
    assert result.book.chapters[0].body == "[[table:table-1]]\nAfter"
    assert result.warnings == ["line 5: table row split over 2 lines joined into one row of 3 cells"]


def test_writing_the_seed_gives_back_the_seed_except_the_repaired_rows():
    rendered = write_text(parse_text(SEED).book)
    changes = [
        (tag, first + 1, last, rendered.split("\n")[new_first:new_last])
        for tag, first, last, new_first, new_last in difflib.SequenceMatcher(
            None, SEED_LINES, rendered.split("\n"), autojunk=False
        ).get_opcodes()
        if tag != "equal"
    ]

    assert not rendered.endswith("\n")
    assert changes == [
        # Seed lines 50-55: two rows split over 2 and 4 lines, now one line each.
        ("replace", 50, 55, [" ".join(SEED_LINES[49:51]), " ".join(SEED_LINES[51:55])]),
        # Seed lines 112-114: a row split over 2 lines, and a row padded with an empty cell.
        ("replace", 112, 114, [" ".join(SEED_LINES[111:113]), seed_line(114) + "  |"]),
    ]


def test_the_repaired_seed_reads_back_equal_and_without_warnings():
    book = parse_text(SEED).book
    again = parse_text(write_text(book))

    assert again.book == book
    assert again.warnings == []


def test_the_seed_survives_a_markdown_round_trip():
    book = parse_text(SEED).book
    again = parse_markdown(write_markdown(book))

    assert again.book == book
    assert again.warnings == []


def test_text_to_markdown_to_text_gives_the_same_text():
    book = parse_text(SEED).book
    through_markdown = parse_markdown(write_markdown(book)).book

    assert write_text(through_markdown) == write_text(book)


def test_parse_and_write_dispatch_on_the_format_name():
    book = parse(SEED, "text").book

    assert write(book, "text") == write_text(book)
    assert parse(write(book, "markdown"), "markdown").book == book
    with pytest.raises(ValueError, match="unknown notes format 'rtf'"):
        parse(SEED, "rtf")


def crafted_book() -> BookDoc:
    """A book with everything the Markdown writer must keep apart."""
    pros = TableDoc("pros-and-cons", "Pros and cons", ["Option", "Pro", "Con"], [["A", "fast", ""]])
    untitled = TableDoc("table-2", "", ["Key", "Value"], [["pipe", "a | b"], ["empty", ""]])
    after_text = TableDoc("table-3", "", ["X"], [["1"]])
    bold = TableDoc("a-vs-b", "**A** vs B", ["A", "B"], [["1", "2"]])
    return BookDoc(
        title="Crafted Notes",
        author="A. Writer",
        domains=["Testing"],
        summary="A summary with *emphasis*.\n\nAnd a second paragraph.",
        changelog=[],
        chapters=[
            ChapterDoc(
                number=1,
                title="Tables everywhere",
                body="\n".join(
                    [
                        "[[table:pros-and-cons]]",
                        "Text right after a table.",
                        "",
                        "",
                        "[[table:table-2]]",
                        "A line just before an untitled table",
                        "[[table:table-3]]",
                        "[[table:a-vs-b]]",
                        "",
                    ]
                ),
                tables=[pros, untitled, after_text, bold],
            ),
            ChapterDoc(
                number=2,
                title="No tables",
                body="\nStarts with a blank line.\n\n\nThree blank lines above.\n#### A sub-heading\n",
                tables=[],
            ),
            ChapterDoc(number=3, title="Empty", body="", tables=[]),
        ],
    )


def test_markdown_round_trips_summary_tables_blank_lines_and_an_empty_changelog():
    book = crafted_book()
    result = parse_markdown(write_markdown(book))

    assert result.book == book
    assert result.warnings == []


def test_markdown_writes_a_titled_table_as_a_bold_line_between_blank_lines():
    chapter = write_markdown(crafted_book()).split("## Chapter 1 - Tables everywhere\n")[1]

    assert chapter.startswith(
        "\n\n**Pros and cons**\n\n| Option | Pro | Con |\n|---|---|---|\n| A | fast |  |\n\nText right after"
    )
    assert "| pipe | a \\| b |" in chapter


DDIA_NOTES = """\
# Designing Data-Intensive Applications

**Author:** Martin Kleppmann
Domains: Databases, Distributed Systems

Notes from our reading group. *Spoilers ahead.*

## Changelog

| Date | Change Description |
| :--- | --- |
| March 3, 2026 | Started the notes |
| March 10, 2026 | Added chapter 6 \\| partitioning |

## Chapter 2: Data Models and Query Languages

Relational versus document models.

#### Relational model
- Tables of rows
- Joins are cheap

**Document versus relational**

| Aspect | Document | Relational |
|--------|----------|------------|
| Schema | On read | On write |
| Joins | Weak \\| none | Strong |

```text
| not | a | table |
|---|---|---|
## Chapter 9 is not a heading in code
```

### Chapter 6 Partitioning

#### Replication
Partitioning is usually combined with replication.

### Strategies

| Strategy | Good at | Bad at |
|---|---|---|
| Key range | Range scans | Hot
spots |
| Hash | Even spread
"""


def test_it_reads_hand_written_markdown_notes():
    result = parse_markdown(DDIA_NOTES)
    book = result.book

    assert book.title == "Designing Data-Intensive Applications"
    assert book.author == "Martin Kleppmann"
    assert book.domains == ["Databases", "Distributed Systems"]
    assert book.summary == "Notes from our reading group. *Spoilers ahead.*"
    assert book.changelog == [
        ChangelogEntry(datetime.date(2026, 3, 3), "Started the notes"),
        ChangelogEntry(datetime.date(2026, 3, 10), "Added chapter 6 | partitioning"),
    ]
    assert [(c.number, c.title) for c in book.chapters] == [
        (2, "Data Models and Query Languages"),
        (6, "Partitioning"),
    ]
    data_models, partitioning = book.chapters
    assert data_models.tables == [
        TableDoc(
            "document-versus-relational",
            "Document versus relational",
            ["Aspect", "Document", "Relational"],
            [["Schema", "On read", "On write"], ["Joins", "Weak | none", "Strong"]],
        )
    ]
    assert data_models.body.split("\n") == [
        "Relational versus document models.",
        "",
        "#### Relational model",
        "- Tables of rows",
        "- Joins are cheap",
        "[[table:document-versus-relational]]",
        "```text",
        "| not | a | table |",
        "|---|---|---|",
        "## Chapter 9 is not a heading in code",
        "```",
    ]
    assert partitioning.body.split("\n") == [
        "#### Replication",
        "Partitioning is usually combined with replication.",
        "",
        # The heading above the table titles it and stays in the chapter's outline.
        "### Strategies",
        "[[table:strategies]]",
    ]
    assert partitioning.tables[0].title == "Strategies"
    assert partitioning.tables[0].rows == [
        ["Key range", "Range scans", "Hot spots"],
        ["Hash", "Even spread", ""],
    ]
    assert result.warnings == [
        "line 45: table row split over 2 lines joined into one row of 3 cells",
        "line 47: table row has 2 cells, header has 3; padded with 1 empty cell",
    ]
    assert parse_markdown(DDIA_NOTES.replace("\n", "\r\n")) == result


def test_hand_written_markdown_reads_back_equal_after_writing():
    book = parse_markdown(DDIA_NOTES).book

    assert parse_markdown(write_markdown(book)).book == book
    assert parse_text(write_text(book)).book == book  # the summary too


def test_a_code_block_left_open_is_closed_at_the_end_of_its_chapter():
    markdown = parse_markdown("# Book\n\n## Chapter 1 - One\n\n```python\nx = 1\n\n## Chapter 2 - Two\n")
    text = parse_text("Book\nChapter 1 - One\n~~~\nx = 1\nChapter 2 - Two\nText")

    assert [c.body for c in markdown.book.chapters] == ["```python\nx = 1\n\n## Chapter 2 - Two\n```"]
    assert markdown.warnings == ["line 5: code block not closed; closed it at the end of the chapter"]
    assert [c.body for c in text.book.chapters] == ["~~~\nx = 1\n~~~", "Text"]
    assert text.warnings == ["line 3: code block not closed; closed it at the end of the chapter"]


def test_a_book_without_details_writes_empty_detail_lines_and_reads_back():
    book = BookDoc("Bare", "", [], "Author: not a detail here", [], [])

    assert write_markdown(book).startswith("# Bare\n\n- Author:\n- Domain:\n\nAuthor: not a detail here\n")
    assert parse_markdown(write_markdown(book)).book == book
    assert parse_text(write_text(book)).book == book  # the summary too


def test_it_numbers_untitled_tables_and_de_duplicates_slugs():
    text = "\n".join(
        [
            "Book",
            "Chapter 1 - One",
            "| A |",
            "|---|",
            "Same",
            "| B |",
            "|---|",
            "Same",
            "| C |",
            "|:-:|",
        ]
    )
    tables = parse_text(text).book.chapters[0].tables

    assert [(t.slug, t.title) for t in tables] == [("table-1", ""), ("same", "Same"), ("same-2", "Same")]


def test_an_empty_file_is_an_error():
    for text in ("", "  \n\n\t"):
        with pytest.raises(FormatError) as error:
            parse_text(text)
        assert str(error.value) == "the file is empty; expected the book title on the first line"
        assert error.value.line is None
    with pytest.raises(FormatError, match=r"^the file is empty; expected the book title as '# <title>'$"):
        parse_markdown("\n")


def test_a_binary_file_is_an_error():
    with pytest.raises(FormatError) as error:
        decode_source(b"Designing ML Systems\n\x00\x01\x02")
    assert str(error.value) == "not a UTF-8 text file: it contains a NUL byte, as binary files do"

    with pytest.raises(FormatError) as error:
        decode_source(b"Title\n\xff\xd8\xff\xe0")
    assert str(error.value) == (
        "line 2: not a UTF-8 text file: the byte 0xff at offset 6 is not valid UTF-8, and the file is "
        "in no Windows encoding either; save the file as UTF-8 text"
    )
    assert error.value.line == 2

    with pytest.raises(FormatError, match="^not a UTF-8 text file: it contains a NUL byte"):
        parse_text("Title\x00")
    with pytest.raises(
        FormatError, match="^not a UTF-8 text file: it contains bytes that are not valid UTF-8$"
    ):
        parse_markdown(b"# Title\n\xff".decode("utf-8", "surrogateescape"))


def test_decode_source_drops_a_byte_order_mark():
    assert decode_source("\ufeffTitle\n".encode()) == "Title\n"


def test_a_missing_title_is_an_error():
    without_title = "\n".join(SEED_LINES[1:])
    with pytest.raises(FormatError) as error:
        parse_text(without_title)
    assert str(error.value) == "line 1: expected the book title on the first line, found 'Book Details'"
    assert error.value.line == 1

    with pytest.raises(FormatError) as error:
        parse_markdown("Designing ML Systems\n\n## Chapter 1 - Overview\n")
    assert str(error.value) == (
        "line 1: expected the book title as a level-1 heading '# <title>', found 'Designing ML Systems'"
    )


@pytest.mark.parametrize("heading", ["Chapter - Introduction", "Chapter X - Introduction", "Chapter 2 -"])
def test_a_chapter_heading_with_no_number_or_title_is_an_error(heading):
    with pytest.raises(FormatError) as error:
        parse_text(seed_with(41, heading))

    assert str(error.value) == f"line 41: expected 'Chapter <number> - <title>', found '{heading}'"
    assert error.value.line == 41


def test_prose_starting_with_the_word_chapter_stays_in_the_body():
    book = parse_text(seed_with(57, "Chapter 2 covers framing - in depth")).book

    assert "\nChapter 2 covers framing - in depth\n" in book.chapters[1].body


@pytest.mark.parametrize("heading", ["## Chapter: Storage", "### Chapter Foo", "## Chapter 3rd"])
def test_a_markdown_chapter_heading_with_no_number_is_an_error(heading):
    with pytest.raises(FormatError) as error:
        parse_markdown(f"# Book\n\n## Chapter 1 - One\n\nText\n\n{heading}\n")

    assert str(error.value) == (
        f"line 7: expected a chapter heading like '## Chapter <number> - <title>', found '{heading}'"
    )


def test_an_unreadable_changelog_date_is_an_error():
    with pytest.raises(FormatError) as error:
        parse_text(seed_with(8, "| Aprill 20, 2026 | Added notes for Chapter 1 |"))

    assert (
        str(error.value)
        == "line 8: cannot read the date 'Aprill 20, 2026'; expected a date like 'April 20, 2026'"
    )
    assert error.value.line == 8


def test_a_date_without_a_leading_zero_is_read():
    book = parse_text(seed_with(10, "| May 9, 2026 | Added notes for Chapter 3 |")).book

    assert book.changelog[2].date == datetime.date(2026, 5, 9)


def test_a_changelog_row_without_two_cells_is_an_error():
    with pytest.raises(FormatError) as error:
        parse_text(seed_with(9, "| April 21, 2026 | Added notes | for Chapter 2 |"))

    assert str(error.value) == (
        "line 9: expected a changelog row '| <date> | <change> |' with 2 cells, found 3"
    )


def test_a_row_with_too_many_cells_is_an_error():
    with pytest.raises(FormatError) as error:
        parse_text(seed_with(33, "| Data | Clean | Messy | Extra |"))
    assert str(error.value) == (
        "line 33: table row has 4 cells but the header has 3; expected at most 3 (write a '|' inside a cell as '\\|')"
    )

    # Too many once the continuation lines are joined: reported at the row's first line.
    with pytest.raises(FormatError, match=r"^line 112: table row has 4 cells but the header has 3;"):
        parse_text(seed_with(113, "Faster to access related data | and more |"))


def test_an_escaped_pipe_stays_cell_text():
    text = "Book\nChapter 1 - One\nPipes\n| Shell | Meaning |\n|---|---|\n| a \\| b | pipe a into b |"
    book = parse_text(text).book

    assert book.chapters[0].tables[0].rows == [["a | b", "pipe a into b"]]
    assert write_text(book).endswith("| a \\| b | pipe a into b |")


def test_a_chapter_number_used_twice_is_an_error():
    with pytest.raises(FormatError) as error:
        parse_text(seed_with(67, "Chapter 2 - Data Engineering Fundamentals"))

    assert (
        str(error.value)
        == "line 67: chapter 2 appears twice (first on line 41); expected each chapter number once"
    )


def test_a_binary_file_is_refused_with_the_line_of_the_first_bad_byte():
    data = "# Notes\n\n## Chapter 1 - Caf\u00e9s\x00\n".encode("latin-1")
    with pytest.raises(FormatError) as error:
        decode_source(data)
    assert error.value.line == 3
    assert str(error.value).startswith("line 3: not a UTF-8 text file: the byte 0xe9")


def test_markdown_front_matter_names_the_book_and_other_keys_are_skipped_with_a_warning():
    text = (
        "---\ntitle: Other\ntags: [db]\n---\n\n# DDIA\n\n- Author: Martin Kleppmann\n\n## Chapter 1 - One\n"
    )
    result = parse_markdown(text)
    # The front matter's title wins; the other heading is kept, in the summary.
    assert (result.book.title, result.book.author, result.book.summary) == (
        "Other",
        "Martin Kleppmann",
        "# DDIA",
    )
    assert [chapter.number for chapter in result.book.chapters] == [1]
    assert result.warnings[0] == (
        "line 1: front matter (lines 1-4): 'tags' skipped; the book is read from 'title:', 'author:' and "
        "'domains:' there, else from its '# <title>' heading and its 'Author:' and 'Domain:' lines"
    )


def test_a_front_matter_title_and_author_win_over_a_part_heading():
    text = "---\ntitle: Streaming Systems\nauthor: Tyler Akidau\n---\n\n# Part I: Basics\n\n## Ch. 1: Streaming 101\n\nText\n"
    book = parse_markdown(text).book
    assert (book.title, book.author) == ("Streaming Systems", "Tyler Akidau")
    assert book.summary == "# Part I: Basics"
    assert [(chapter.number, chapter.title) for chapter in book.chapters] == [(1, "Streaming 101")]


def test_unclosed_or_lonely_front_matter_is_an_error():
    with pytest.raises(FormatError, match="^line 1: the front matter that starts here is not closed"):
        parse_markdown("---\ntitle: x\n\n# Book\n")
    with pytest.raises(FormatError, match="after the front matter$"):
        parse_markdown("---\ntags: x\n---\n\n")


@pytest.mark.parametrize(
    "heading", ["## Chapter 2 -", "## Chapter 2 :", "### Chapter 2 \u2014", "#### Chapter 2"]
)
def test_a_markdown_chapter_heading_with_a_number_but_no_title_is_titled_by_its_number(heading):
    book = parse_markdown(f"# Book\n\n## Chapter 1 - One\n\n{heading}\n\nText\n").book
    assert [(chapter.number, chapter.title, chapter.body) for chapter in book.chapters[1:]] == [
        (2, "Chapter 2", "Text")
    ]
    assert parse_markdown(write_markdown(book)).book == book


LONG = "x" * 201


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"# {LONG}\n", "line 1: the book title is 201 characters long; expected at most 200"),
        (f"# B\n\n- Author: {LONG}\n", "line 3: the author is 201 characters long; expected at most 200"),
        (
            f"# B\n\n- Domain: {'y' * 301}\n",
            "line 3: the domain list is 301 characters long; expected at most 300",
        ),
        (f"# B\n\n## Chapter 1 - {LONG}\n", "line 3: the chapter title is 201 characters long"),
        (
            f"# B\n\n## Chapter 1 - A\n\n**{'t' * 301}**\n\n| a |\n|---|\n| 1 |\n",
            "line 7: the title of this table is 301 characters long; expected at most 300",
        ),
        (
            "# B\n\n## Chapter 99999999999999999999 - Big\n",
            "line 3: Chapter numbers run from 1 to 9999; 99999999999999999999 is not one.",
        ),
    ],
    ids=["book-title", "author", "domains", "chapter-title", "table-title", "chapter-number"],
)
def test_a_value_longer_than_the_database_takes_is_an_error_with_its_line(text, message):
    with pytest.raises(FormatError, match="^" + re.escape(message)):
        parse_markdown(text)


def test_the_text_format_checks_the_same_lengths():
    with pytest.raises(FormatError, match="^line 1: the book title is 201 characters long"):
        parse_text(f"{LONG}\n")
    with pytest.raises(FormatError, match="^line 41: the chapter title is 201 characters long"):
        parse_text(seed_with(41, f"Chapter 2 - {LONG}"))
    with pytest.raises(FormatError, match="^line 3: the author is 201 characters long"):
        parse_text(seed_with(3, f"- Author: {LONG}"))
    with pytest.raises(
        FormatError, match="^line 41: Chapter numbers run from 1 to 9999; 3000000000 is not one."
    ):
        parse_text(seed_with(41, "Chapter 3000000000 - Big"))


def test_a_long_table_title_makes_a_slug_the_database_takes_and_the_same_one_again():
    title = "Word " * 59  # 295 characters, within the title's limit
    text = f"# B\n\n## Chapter 1 - A\n\n**{title.strip()}**\n\n| a |\n|---|\n| 1 |\n"
    [table] = parse_markdown(text).book.chapters[0].tables
    assert len(table.slug) <= 100 and table.slug.startswith("word-word-")
    again = parse_markdown(write_markdown(parse_markdown(text).book)).book
    assert again.chapters[0].tables[0].slug == table.slug


def test_the_length_limits_are_the_models():
    from notes.lib.limits import (
        MAX_BOOK_AUTHOR_LENGTH,
        MAX_BOOK_DOMAINS_LENGTH,
        MAX_SLUG_LENGTH,
        MAX_TABLE_TITLE_LENGTH,
        MAX_TITLE_LENGTH,
    )
    from notes.models import Book, Chapter, ComparisonTable

    def length(model, field):
        return model._meta.get_field(field).max_length

    assert length(Book, "title") == length(Chapter, "title") == MAX_TITLE_LENGTH
    assert length(Book, "author") == MAX_BOOK_AUTHOR_LENGTH
    assert length(Book, "domains") == MAX_BOOK_DOMAINS_LENGTH
    assert length(ComparisonTable, "title") == MAX_TABLE_TITLE_LENGTH
    assert length(Book, "slug") == length(ComparisonTable, "slug") == MAX_SLUG_LENGTH
