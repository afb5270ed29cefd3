"""The notes corpus (tests/data/notes): one file or folder per shape people keep notes in,
each read to the chapters and tables a reader sees, without losing a line, and each round-
tripping through Markdown, text and zip to an equal book."""

import pytest

from notes.formats import parse_markdown, parse_text, read_source, write_markdown, write_text
from notes.formats.bundles import bundle_from_folder, bundle_from_zip, parse_bundle, write_bundle
from notes.formats.reports import import_report
from tests.formats.lossless import lost_lines
from tests.paths import NOTES_FILES

# file -> (its chapter numbers, its table titles chapter by chapter, the encoding it is in)
FILES = {
    "ddia-reading-notes.md": (
        [1, 2, 3, 5, 6, 11],
        [[""], ["Relational vs document"], [], [], [], []],
        "utf-8",
    ),
    "system-design-interview.md": ([1, 2, 3, 4, 5], [[], [""], [], [], []], "utf-8"),
    "data-engineering-notes.md": ([1, 2, 3, 4], [[], [], [], [""]], "utf-8"),
    "ch-dot-numbered-sections.md": ([1, 2, 7], [[], ["9: DRY"], []], "utf-8"),
    "setext-title-ch-level-one.md": ([1, 2, 4], [[], [""], []], "utf-8"),
    "untitled-and-upper-chapters.md": ([1, 2, 3], [[], [], [""]], "utf-8"),
    "html-headings-and-inline-html.md": ([1, 2, 3], [[], [""], []], "utf-8"),
    "front-matter-part-heading.md": ([1, 2, 5], [[], [], [""]], "utf-8"),
    "spelled-and-roman-chapters.md": ([1, 2, 3, 4], [[], [], [], []], "utf-8"),
    "heading-over-table.md": ([1, 2], [["Comparison of layouts", ""], ["Costs by operation"]], "utf-8"),
    "no-chapter-headings.md": ([], [], "utf-8"),
    "windows-1252-en-dash.md": ([1, 2], [[], [""]], "cp1252"),
    "utf-16-with-bom.md": ([1, 3], [[], [""]], "utf-16"),
}
# Lines a file loses on purpose, each with a warning: front matter keys other than the book's.
LOST = {"data-engineering-notes.md": ["tags: [books, data]"]}
FOLDERS = {
    "folder-chapters": ([1, 2, 3], [[], ["Batch vs Streaming"], []]),
    "folder-parts": ([1, 2, 8, 9], None),
}


def _read(name: str):
    source = read_source((NOTES_FILES / name).read_bytes())
    return source, parse_markdown(source.text)


def _zip_round_trip(book):
    data = write_bundle(book, image_prefix="/media/images/", image_name_re="x", read_image=lambda name: None)
    return parse_bundle(bundle_from_zip(data, name="book.zip")).book


def test_the_corpus_has_a_dozen_files_and_two_folders():
    assert len(FILES) >= 12 and len(FOLDERS) >= 2
    assert sorted(path.name for path in NOTES_FILES.iterdir() if path.is_file()) == sorted(FILES)


@pytest.mark.parametrize("name", FILES)
def test_each_file_gives_its_chapters_and_tables_and_loses_no_line(name):
    numbers, tables, encoding = FILES[name]
    source, result = _read(name)
    book = result.book

    assert source.encoding == encoding
    assert [chapter.number for chapter in book.chapters] == numbers
    assert [[table.title for table in chapter.tables] for chapter in book.chapters] == tables
    assert lost_lines(source.text, write_markdown(book)) == LOST.get(name, [])
    for line in LOST.get(name, []):
        assert any(f"'{line.split(':')[0]}' skipped" in warning for warning in result.warnings)


@pytest.mark.parametrize("name", FILES)
def test_each_file_round_trips_through_markdown_text_and_zip(name):
    book = _read(name)[1].book

    assert parse_markdown(write_markdown(book)).book == book
    assert parse_text(write_text(book)).book == book
    assert _zip_round_trip(book) == book


def test_a_file_without_chapters_gives_the_loud_warning_naming_its_headings():
    source, result = _read("no-chapter-headings.md")
    report = import_report(result.book, result.warnings, lines=source.text.split("\n"), source="x.md")
    assert report.alert.startswith(
        "No chapters: x.md gives a book with 0 chapters (the headings it has are 1 level-1 heading such as "
        "'# Thinking in Systems'; 3 level-2 headings such as '## Stocks and flows')."
    )


@pytest.mark.parametrize("name", FOLDERS)
def test_each_folder_gives_its_chapters_loses_no_line_and_round_trips(name):
    numbers, tables = FOLDERS[name]
    result = parse_bundle(bundle_from_folder(NOTES_FILES / name))
    book = result.book

    assert [chapter.number for chapter in book.chapters] == numbers
    if tables is not None:
        assert [[table.title for table in chapter.tables] for chapter in book.chapters] == tables
    export = write_markdown(book)
    for path in sorted((NOTES_FILES / name).rglob("*.md")):
        assert lost_lines(read_source(path.read_bytes()).text, export) == [], path.name
    assert parse_markdown(export).book == book
    assert parse_text(write_text(book)).book == book
    assert _zip_round_trip(book) == book


def test_the_checker_finds_a_lost_line():
    assert lost_lines("# T\n\nKept line\n\nDropped line\n", "# T\n\nKept line\n") == ["Dropped line"]
    assert lost_lines("## Ch. 3: Storage\n|---|\n", "## Chapter 3 - Storage\n") == []
