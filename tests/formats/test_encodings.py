"""Notes files in the encodings editors write: one reader (notes.formats.read_source) for a
single file, the import command, the upload and every file of a bundle."""

import pytest

from notes.formats import FormatError, parse_markdown, read_source
from notes.formats.bundles import Bundle, parse_bundle

NOTES = "# Caf\u00e9 notes\n\n## Chapter 1 \u2013 It\u2019s on\n\nS\u00f8ren\u2019s table \u2014 \u201cfine\u201d.\n"


@pytest.mark.parametrize(
    ("data", "encoding", "warning"),
    [
        (NOTES.encode("utf-8"), "utf-8", ""),
        (b"\xef\xbb\xbf" + NOTES.encode("utf-8"), "utf-8", ""),
        (
            NOTES.encode("utf-16"),
            "utf-16",
            "the file is UTF-16 text (it starts with a byte-order mark); read as UTF-16",
        ),
        (NOTES.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16", "read as UTF-16"),
        (
            NOTES.encode("cp1252"),
            "cp1252",
            "line 1: the file is not UTF-8 (the byte 0xe9 here); read as Windows-1252",
        ),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "windows-1252"],
)
def test_each_encoding_reads_to_the_same_book_with_a_warning_naming_it(data, encoding, warning):
    source = read_source(data)
    assert (source.encoding, source.text) == (encoding, NOTES)
    assert warning in source.warning if warning else source.warning == ""
    book = parse_markdown(source.text).book
    assert (book.title, book.chapters[0].title) == ("Caf\u00e9 notes", "It\u2019s on")


def test_a_cyrillic_windows_file_is_named_as_such():
    source = read_source(
        "# \u041a\u043d\u0438\u0433\u0430 \u043e \u0434\u0430\u043d\u043d\u044b\u0445\n\n## Chapter 1 - \u0413\u043b\u0430\u0432\u0430 \u043f\u0435\u0440\u0432\u0430\u044f\n".encode(
            "cp1251"
        )
    )
    assert source.encoding == "cp1251"
    assert "Windows-1251 (Cyrillic)" in source.warning


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8", b"# T\x00\n", b"\xff\xfe\x00\xd8"]
)
def test_binary_files_are_refused_not_guessed(data):
    with pytest.raises(FormatError, match="not a (UTF-8 )?text file"):
        read_source(data)


def test_a_bundle_reads_each_file_with_the_same_reader_and_names_the_file():
    files = {
        "README.md": "# Caf\u00e9\n".encode("cp1252"),
        "01-one.md": NOTES.split("\n", 2)[2].encode("utf-16"),
    }
    result = parse_bundle(Bundle(name="b", files=files))
    assert result.book.title == "Caf\u00e9"
    assert result.book.chapters[0].title == "It\u2019s on"
    assert result.warnings[:2] == [
        "README.md line 1: the file is not UTF-8 (the byte 0xe9 here); read as Windows-1252 (Western European): "
        "check its accented letters and dashes, or save it as UTF-8",
        "01-one.md: the file is UTF-16 text (it starts with a byte-order mark); read as UTF-16",
    ]


@pytest.mark.django_db
def test_the_command_names_the_encoding_and_warns_loudly_about_a_file_without_chapters():
    import io

    from django.core.management import call_command

    from notes.models import Book
    from tests.paths import NOTES_FILES

    out, err = io.StringIO(), io.StringIO()
    call_command("import_notes", str(NOTES_FILES / "windows-1252-en-dash.md"), stdout=out, stderr=err)
    assert (
        "windows-1252-en-dash.md: warning: line 6: the file is not UTF-8 (the byte 0x96 here); read as Windows-1252"
        in (err.getvalue())
    )
    assert (
        "Imported 'Clean Architecture' (clean-architecture): 2 chapters, 1 table, 0 images, 1 warning;"
        in out.getvalue()
    )
    assert Book.objects.get().chapters.get(number=1).title == "What Is Design and Architecture?"

    out, err = io.StringIO(), io.StringIO()
    call_command("import_notes", str(NOTES_FILES / "no-chapter-headings.md"), stdout=out, stderr=err)
    assert (
        "no-chapter-headings.md: WARNING: No chapters: no-chapter-headings.md gives a book with 0 chapters "
        "(the headings it has are 1 level-1 heading such as '# Thinking in Systems'; 3 level-2 headings such as "
        "'## Stocks and flows')." in err.getvalue()
    )
    assert "0 chapters, 0 tables, 0 images, 3 warnings" in out.getvalue()
