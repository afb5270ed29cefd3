"""Structure kept through the formats: a heading above a table stays in the outline, a long
lead-in sentence is no caption, the text format keeps the summary, and an untitled table
after a list item stays untitled."""

from notes.formats import parse_markdown, parse_text, write_markdown, write_text
from notes.formats.document import BookDoc, ChapterDoc, TableDoc

TABLE = "| a | b |\n|---|---|\n| 1 | 2 |"
LEAD_IN = (
    "The table below compares every engine we looked at in the reading group, "
    + "with its costs " * 6
    + "and more."
)


def _chapter(markdown_body: str) -> ChapterDoc:
    return parse_markdown(f"# Book\n\n## Chapter 1 - One\n\n{markdown_body}\n").book.chapters[0]


def test_a_heading_above_a_table_titles_it_and_stays_in_the_outline():
    chapter = _chapter(f"### Storage\n\nIntro.\n\n## Engines\n\n{TABLE}\n\n### B-trees\n\nText.")
    assert chapter.body.split("\n") == [
        "### Storage",
        "",
        "Intro.",
        "",
        "## Engines",
        "[[table:engines]]",
        "### B-trees",
        "",
        "Text.",
    ]
    assert chapter.tables[0].title == "Engines"
    # Written back under its heading, with no second title line; read back the same.
    written = write_markdown(parse_markdown(f"# Book\n\n## Chapter 1 - One\n\n## Engines\n\n{TABLE}\n").book)
    assert "## Engines\n\n| a | b |" in written and "**Engines**" not in written


def test_only_a_short_plain_line_becomes_a_caption():
    assert _chapter(f"Costs by engine\n\n{TABLE}").tables[0].title == "Costs by engine"
    long = _chapter(f"{LEAD_IN}\n\n{TABLE}")
    assert len(LEAD_IN) > 100
    assert (long.tables[0].title, long.body) == ("", f"{LEAD_IN}\n[[table:table-1]]")
    # A bold line is a title whatever its length (the writer writes titles so).
    assert _chapter(f"**{LEAD_IN}**\n\n{TABLE}").tables[0].title == LEAD_IN
    book = parse_markdown(f"# Book\n\n## Chapter 1 - One\n\n{LEAD_IN}\n\n{TABLE}\n").book
    assert parse_markdown(write_markdown(book)).book == book


def test_the_text_format_keeps_the_summary_and_its_keyword_lines():
    summary = "Notes from our group.\n\nChangelog\nChapter 2 - is discussed later\n\n- Author: not a detail"
    book = BookDoc("Book", "Ann", ["Data"], summary, [], [ChapterDoc(1, "One", "Text", [])])
    text = write_text(book)
    assert text.split("\n")[:8] == [
        "Book", "Book Details", "- Author: Ann", "- Domain: Data", "Summary", "Notes from our group.", "", "\\Changelog"
    ]  # fmt: skip
    assert parse_text(text).book == book


def test_an_untitled_table_after_a_list_item_is_not_read_back_titled():
    table = TableDoc(slug="table-1", title="", headers=["a"], rows=[["1"]])
    book = BookDoc(
        "Book", "", [], "", [], [ChapterDoc(1, "One", "- an item\n[[table:table-1]]\nafter", [table])]
    )
    again = parse_text(write_text(book)).book
    assert again == book
    assert parse_markdown(write_markdown(book)).book == book
