"""import_notes / export_notes on a real database: the seed, round trips, history, errors."""

import io

import pytest
from django.core.management import CommandError, call_command

from notes.models import Book, Chapter, ComparisonTable
from notes.selectors.books import changelog
from notes.services.books import book_document
from tests.paths import SEED_SOURCE

pytestmark = pytest.mark.django_db

SEED = SEED_SOURCE
SEED_CHANGELOG = [
    "April 20, 2026 | Added notes for Chapter 1",
    "April 21, 2026 | Added notes for Chapter 2",
    "May 09, 2026 | Added notes for Chapter 3 (Data Sources, Data Models)",
]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_seed(*extra) -> tuple[str, str]:
    return run("import_notes", str(SEED), *extra)


def export(slug: str = "designing-ml-systems", fmt: str = "text") -> str:
    return run("export_notes", slug, "--format", fmt)[0]


def changelog_lines(book: Book) -> list[str]:
    return [f"{entry.date:%B %d, %Y} | {entry.summary}" for entry in changelog(book=book)]


def history_snapshot(book: Book) -> list[tuple]:
    """The history of the book's current objects, keyed by what they are, not by ids."""
    rows = [("book", "", r.history_date, r.history_change_reason, r.history_type) for r in book.history.all()]
    for chapter in book.chapters.all():
        rows += [
            ("chapter", chapter.number, r.history_date, r.history_change_reason, r.history_type)
            for r in chapter.history.all()
        ]
        for table in chapter.tables.all():
            rows += [
                (
                    "table",
                    f"{chapter.number}/{table.slug}",
                    r.history_date,
                    r.history_change_reason,
                    r.history_type,
                )
                for r in table.history.all()
            ]
    return sorted(rows, key=lambda row: (row[0], str(row[1]), row[2]))


def test_importing_the_seed_creates_the_book_its_chapters_and_tables():
    out, _ = import_seed()
    book = Book.objects.get(slug="designing-ml-systems")
    assert (book.title, book.author, book.domain_list) == (
        "Designing ML Systems",
        "Chip Huyen",
        ["Machine Learning", "System Design"],
    )
    assert [(c.number, c.tables.count()) for c in book.chapters.all()] == [(1, 1), (2, 1), (3, 3)]
    assert (
        "Imported 'Designing ML Systems' (designing-ml-systems): 3 chapters, 5 tables, 0 images, 4 warnings; "
        "3 changelog lines." in out
    )
    # Rendered HTML is stored at import time, with the tables in place.
    chapter = book.chapters.get(number=3)
    assert 'id="table-row-wise-versus-column-wise-storage"' in chapter.body_html
    assert chapter.body_html.index("Third-party data") < chapter.body_html.index(
        "Row-wise versus Column-wise"
    )


def test_the_changelog_is_generated_from_history_and_reads_exactly_as_the_seed(client):
    import_seed()
    book = Book.objects.get()
    assert changelog_lines(book) == SEED_CHANGELOG
    html = client.get("/books/designing-ml-systems/changelog/?order=oldest").content.decode()
    for line in SEED_CHANGELOG:
        date, summary = line.split(" | ")
        assert date in html and summary in html
    assert html.index("April 20, 2026") < html.index("April 21, 2026") < html.index("May 09, 2026")
    newest = client.get("/books/designing-ml-systems/changelog/").content.decode()  # the page's default
    assert newest.index("May 09, 2026") < newest.index("April 21, 2026") < newest.index("April 20, 2026")


def test_each_changelog_line_is_a_history_row_on_the_chapter_it_names():
    import_seed()
    chapter = Chapter.objects.get(number=3)
    created = chapter.history.get(history_type="+")
    assert created.history_date.date().isoformat() == "2026-05-09"
    assert created.history_change_reason == "Added notes for Chapter 3 (Data Sources, Data Models)"
    assert Book.history.get().history_change_reason == ""


def test_the_broken_seed_tables_are_repaired_with_a_warning_per_repair():
    _, err = import_seed()
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 4, err
    assert all(": warning: line " in line for line in warnings)
    for table in ComparisonTable.objects.all():
        assert all(len(row) == len(table.headers) for row in table.rows), table.slug
    requirements = ComparisonTable.objects.get(chapter__number=2)
    assert [len(row) for row in requirements.rows] == [5, 5]
    assert requirements.rows[0][3].startswith("Is the system implementation")


def test_text_export_reproduces_the_seed_line_for_line_except_the_repaired_rows():
    import_seed()
    seed_lines = SEED.read_text().split("\n")
    exported = export().split("\n")
    assert len(exported) == len(seed_lines) - 5  # 2 + 4 + 2 physical lines joined into 3 rows
    differing = [line for line in exported if line not in seed_lines]
    assert len(differing) == 4
    assert all(line.startswith("| ") and line.endswith(" |") for line in differing)
    assert exported[-1] == (
        "| Disadvantages | Hard to use filters and complex joins since every document "
        "in the collection needs to be read |  |"
    )
    unchanged = [line for line in seed_lines if line in exported]
    assert unchanged == [line for line in exported if line not in differing]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_importing_an_export_gives_back_the_same_chapters_tables_and_changelog(tmp_path, fmt):
    import_seed()
    original = book_document(book=Book.objects.get())
    path = tmp_path / f"export.{'md' if fmt == 'markdown' else 'txt'}"
    path.write_text(export(fmt=fmt))
    run("import_notes", str(path), "--format", fmt, "--slug", "copy")
    copy = Book.objects.get(slug="copy")
    assert book_document(book=copy) == original
    assert changelog_lines(copy) == SEED_CHANGELOG


def test_importing_an_existing_slug_is_refused_unless_replace():
    import_seed()
    with pytest.raises(
        CommandError, match="a book with the slug 'designing-ml-systems' exists; pass --replace"
    ):
        import_seed()
    assert Book.objects.count() == 1
    import_seed("--replace")
    book = Book.objects.get()
    assert changelog_lines(book) == SEED_CHANGELOG
    assert book.chapters.count() == 3


def test_replace_is_refused_for_a_book_with_change_requests_and_nothing_is_lost():
    from notes.models import ChangeRequest
    from notes.services.reviews import change_request_create
    from tests.factories import make_user

    import_seed()
    chapter = Chapter.objects.get(number=1)
    change_request_create(
        author=make_user("ed", role="Editor"),
        book=chapter.book,
        chapter=chapter,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        summary="Tighten chapter 1",
        content={"title": chapter.title, "body": chapter.body + "\nMore."},
    )
    with pytest.raises(CommandError, match="has change requests in the wiki; --replace only replaces"):
        import_seed("--replace")
    assert Book.objects.get().chapters.count() == 3
    assert Chapter.history.filter(history_type="-").count() == 0


MARKDOWN_NOTES = """# Designing Data-Intensive Applications

- Author: Martin Kleppmann
- Domain: Databases, Distributed Systems

## Chapter 2: Data Models and Query Languages

Relational versus document.

**Relational vs Document**

| Aspect | Relational | Document |
|---|---|---|
| Joins | Good | Weak |

### Chapter 6 Partitioning

#### Partitioning by key range
Keys sorted.
"""


def test_a_real_world_markdown_file_imports_with_chapters_at_any_level(tmp_path):
    path = tmp_path / "ddia.md"
    path.write_text(MARKDOWN_NOTES)
    run("import_notes", str(path))
    book = Book.objects.get(slug="designing-data-intensive-applications")
    assert [(c.number, c.title) for c in book.chapters.all()] == [
        (2, "Data Models and Query Languages"),
        (6, "Partitioning"),
    ]
    table = ComparisonTable.objects.get()
    assert (table.title, table.headers, table.rows) == (
        "Relational vs Document",
        ["Aspect", "Relational", "Document"],
        [["Joins", "Good", "Weak"]],
    )
    assert '<h4 id="partitioning-by-key-range">' in book.chapters.get(number=6).body_html


def _assert_nothing_written():
    assert Book.objects.count() == 0
    assert Chapter.objects.count() == 0
    assert ComparisonTable.objects.count() == 0
    assert Book.history.count() == Chapter.history.count() == ComparisonTable.history.count() == 0


SEED_TEXT = SEED.read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary\xff\xfe", "not a UTF-8 text file"),
        (b"\xff\xfe\xfd", "not a UTF-8 text file"),
        (SEED_TEXT.replace("Designing ML Systems\n", "Book Details\n", 1).encode(), "title"),
        (SEED_TEXT.replace("Chapter 2 - Introduction", "Chapter - Introduction").encode(), "line 41: "),
        (
            SEED_TEXT.replace("April 21, 2026", "Aprill 21, 2026").encode(),
            "line 9: cannot read the date 'Aprill 21, 2026'",
        ),
    ],
    ids=["empty", "blank", "binary", "not-utf8", "missing-title", "chapter-without-number", "bad-date"],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_written(tmp_path, content, message):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run("import_notes", str(path), "--format", "text")
    assert message in str(error.value)
    assert str(path) in str(error.value)
    _assert_nothing_written()


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="cannot read the file"):
        run("import_notes", "/no/such/file.txt")


def test_an_error_late_in_the_import_rolls_back_everything(tmp_path, monkeypatch):
    from notes.services import books

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(books, "table_render", fail)
    with pytest.raises(RuntimeError):
        import_seed()
    _assert_nothing_written()


def test_export_of_an_unknown_book_is_a_clear_error():
    with pytest.raises(CommandError, match="no book with the slug 'nope'"):
        export("nope")


def stored_html(book: Book) -> list[str]:
    html = [book.summary_html]
    for chapter in book.chapters.all():
        html += [chapter.body_html] + [table.html for table in chapter.tables.all()]
    return html


def test_the_fixture_equals_a_fresh_import_of_the_seed(seed):
    book = seed
    from_fixture = (book_document(book=book), history_snapshot(book), stored_html(book))
    assert from_fixture[0].chapters and len(from_fixture[1]) == 1 + 3 + 5
    assert changelog_lines(book) == SEED_CHANGELOG

    import_seed("--replace")
    book = Book.objects.get(slug="designing-ml-systems")
    assert (book_document(book=book), history_snapshot(book), stored_html(book)) == from_fixture


@pytest.mark.parametrize("slug", ["Bad Slug!", "../x", "caf\u00e9-notes", "x" * 121])
def test_a_slug_that_urls_or_the_database_cannot_take_is_refused(tmp_path, slug):
    with pytest.raises(CommandError, match="--slug"):
        run("import_notes", str(SEED), "--slug", slug)
    _assert_nothing_written()


def test_a_title_too_long_for_a_slug_asks_for_one_and_writes_nothing(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(f"# {'Word ' * 30}\n\n## Chapter 1 - One\n\nText\n")
    with pytest.raises(
        CommandError, match="is 149 characters long; the limit is 120. Pass another with --slug."
    ):
        run("import_notes", str(path))
    _assert_nothing_written()
    run("import_notes", str(path), "--slug", "words")
    assert Book.objects.get().slug == "words"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (f"# {'T' * 201}\n", "line 1: the book title is 201 characters long"),
        (
            "# B\n\n## Chapter 99999999999999999999 - Big\n",
            "line 3: Chapter numbers run from 1 to 9999; 99999999999999999999",
        ),
        ("# B\n\n## Chapter: One\n", "line 3: expected a chapter heading like"),
        ("# Caf\xe9\x00\n", "line 1: not a UTF-8 text file"),
    ],
    ids=["long-title", "huge-chapter-number", "mistyped-chapter", "binary"],
)
def test_a_markdown_file_the_database_could_not_take_is_refused_by_line(tmp_path, content, message):
    path = tmp_path / "notes.md"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(CommandError) as error:
        run("import_notes", str(path))
    assert f"{path}: {message}" in str(error.value)
    _assert_nothing_written()


REAL_WORLD_MARKDOWN = """\ufeff---\r
permalink: /ddia/\r
---\r
\r
# Designing Data-Intensive Applications\r
\r
**Author:** Martin Kleppmann\r
- Domain: Databases, Distributed Systems\r
\r
## Changelog\r
\r
| Date | Change Description |\r
|:-----|-------------------:|\r
| April 20, 2026 | Added notes for Chapter 1 |\r
| April 22, 2026 | Added notes for Chapter 6 |\r
\r
### Chapter 6 Partitioning\r
\r
| Strategy | Pros \\| cons | Code |\r
|:---|:---:|---:|\r
| Key range | fast \\| hot spots | `a\\|b` |\r
\r
## Chapter 2: Data Models\r
\r
#### Chapter 1 - Reliable\r
"""


def test_real_world_markdown_imports_and_both_exports_import_back_the_same(tmp_path):
    path = tmp_path / "ddia.md"
    path.write_bytes(REAL_WORLD_MARKDOWN.encode())
    _, err = run("import_notes", str(path), "--slug", "ddia")
    assert "front matter (lines 1-3): 'permalink' skipped" in err
    book = Book.objects.get(slug="ddia")
    assert [(c.number, c.title) for c in book.chapters.all()] == [
        (1, "Reliable"),
        (2, "Data Models"),
        (6, "Partitioning"),
    ]
    table = ComparisonTable.objects.get()
    assert table.headers == ["Strategy", "Pros | cons", "Code"]
    assert table.rows == [["Key range", "fast | hot spots", "`a|b`"]]
    original = book_document(book=book)
    for fmt in ("text", "markdown"):
        exported = tmp_path / f"export.{fmt}"
        exported.write_text(export("ddia", fmt))
        run("import_notes", str(exported), "--format", fmt, "--slug", f"again-{fmt}")
        again = book_document(book=Book.objects.get(slug=f"again-{fmt}"))
        assert again.chapters == original.chapters, fmt
        assert again.changelog == original.changelog, fmt
        assert changelog_lines(Book.objects.get(slug=f"again-{fmt}")) == changelog_lines(book)
