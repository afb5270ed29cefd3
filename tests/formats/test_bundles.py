"""Bundles: a folder or a .zip of per-chapter Markdown files (with images) is one book, in by
the command and the upload page, out as a zip download that imports back to the same book."""

import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import given
from PIL import Image

from notes.formats import FormatError, parse, write
from notes.formats import bundles as bundle_format
from notes.formats.bundles import (
    Bundle,
    bundle_from_folder,
    bundle_from_zip,
    chapter_heading,
    parse_bundle,
    relink_bundle,
    write_bundle,
)
from notes.formats.reports import import_report
from notes.models import Book, ChangeRequest
from notes.services.book_proposals import UploadError, notes_upload_propose
from notes.services.books import book_document
from notes.services.reviews import change_request_approve
from tests.factories import make_book, make_chapter
from tests.formats.test_format_round_trip_property import BOUNDED, books
from tests.paths import NOTES_FILES

pytestmark = pytest.mark.django_db

CHAPTERS = NOTES_FILES / "folder-chapters"
PARTS = NOTES_FILES / "folder-parts"
IMAGE_URL = re.compile(r"/media/images/[A-Za-z0-9_-]{22}\.(?:png|jpg)")


@pytest.fixture(autouse=True)
def memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def zip_of(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_folder(folder: Path, prefix: str = "") -> bytes:
    return zip_of(
        {
            prefix + path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*")
            if path.is_file()
        }
    )


def stored_images() -> list[str]:
    return default_storage.listdir("images")[1] if default_storage.exists("images") else []


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_notes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- Reading a folder of chapter files ---------------------------------------------------------


def test_a_folder_of_chapter_files_is_one_book_titled_by_its_readme_front_matter():
    result = parse_bundle(bundle_from_folder(CHAPTERS))

    book = result.book
    assert (book.title, book.author, book.domains) == (
        "Streaming Systems",
        "Tyler Akidau",
        ["Data Engineering", "Streaming"],
    )
    assert book.summary == "Reading notes, one file per chapter. The pictures live in `images/`."
    assert [(chapter.number, chapter.title) for chapter in book.chapters] == [
        (1, "Streaming 101"),
        (2, "The What, Where, When, and How"),
        (3, "Watermarks"),
    ]
    assert book.chapters[0].body.startswith("Unbounded data needs a clear vocabulary")


def test_a_gfm_table_in_a_chapter_file_becomes_a_comparison_table():
    chapter = parse_bundle(bundle_from_folder(CHAPTERS)).book.chapters[1]

    [table] = chapter.tables
    assert (table.slug, table.title) == ("batch-vs-streaming", "Batch vs Streaming")
    assert table.headers == ["Question", "Batch", "Streaming"]
    assert table.rows[2] == ["When", "At the end", "Triggers and watermarks"]
    assert "[[table:batch-vs-streaming]]" in chapter.body


def test_a_missing_image_is_a_warning_naming_the_file_and_the_line():
    result = parse_bundle(bundle_from_folder(CHAPTERS))

    assert result.warnings == [
        "03-watermarks.md line 5: the image 'images/heuristic-watermark.png' is not in the bundle; kept as written"
    ]
    assert sorted(result.images) == ["images/time-domains.png", "images/windows.jpg"]
    assert result.images["images/windows.jpg"].used_at == ["02-what-where-when-how.md line 7"]


def test_part_folders_open_their_first_chapter_with_a_heading_and_numbers_come_from_heading_or_file_name():
    result = parse_bundle(bundle_from_folder(PARTS))

    book = result.book
    assert (book.title, book.author, book.domains) == (
        "Database Internals",
        "Alex Petrov",
        ["Databases", "Distributed Systems"],
    )
    # 1 and 9 from the file names (no number in the heading, no heading at all), 2 and 8 from headings.
    assert [(chapter.number, chapter.title) for chapter in book.chapters] == [
        (1, "Introduction"),
        (2, "B-Tree Basics"),
        (8, "Introduction and Overview"),
        (9, "Failure detection"),
    ]
    assert book.chapters[0].body == (
        "## Part 1 - Storage Engines\n\nStorage engines keep data on disk and find it again."
    )
    # A part's README gives its heading and its opening text.
    assert book.chapters[2].body.startswith(
        "## Part II: Distributed Systems\n\nMany nodes, one answer.\n\nFailures"
    )
    assert book.chapters[1].tables[0].alignments == ["", "center", ""]
    assert result.warnings == []


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Chapter 3: Storage", (3, "Storage")),
        ("Chapter 3 - Storage", (3, "Storage")),
        ("CHAPTER 12 Storage", (12, "Storage")),
        ("Ch. 3 Storage", (3, "Storage")),
        ("Ch 3: Storage", (3, "Storage")),
        ("3. Storage", (3, "Storage")),
        ("3 - Storage", (3, "Storage")),
        ("Chapter 4", (4, "")),
        ("Introduction", (None, "Introduction")),
        ("10 things I learned", (None, "10 things I learned")),
        ("Challenges", (None, "Challenges")),
    ],
)
def test_a_chapter_files_first_heading_gives_its_number_and_title(heading, expected):
    assert chapter_heading(heading) == expected


def test_relinking_points_images_and_chapter_links_at_the_site():
    result = parse_bundle(bundle_from_folder(CHAPTERS))

    relink_bundle(
        result,
        image_urls={
            "images/time-domains.png": "/media/images/a.png",
            "images/windows.jpg": "/media/images/b.jpg",
        },
        link_url=lambda number, fragment: (
            f"/books/s/chapters/{number}/" + (f"#{fragment}" if fragment else "")
        ),
    )

    first, second, third = result.book.chapters
    assert "![Event time against processing time](/media/images/a.png)" in first.body
    assert "[windowing](/books/s/chapters/2/#windowing)" in first.body
    assert "![Fixed, sliding and session windows](/media/images/b.jpg)" in second.body
    assert "[the basics](/books/s/chapters/1/)" in second.body
    assert "![Heuristic watermark](images/heuristic-watermark.png)" in third.body  # missing: as written


def test_a_link_across_part_folders_with_escaped_spaces_reaches_the_chapter():
    result = parse_bundle(bundle_from_folder(PARTS))
    relink_bundle(result, image_urls={}, link_url=lambda number, fragment: f"/c/{number}/")

    assert "[B-Tree chapter](/c/2/)" in result.book.chapters[2].body


def test_two_files_with_one_chapter_number_are_refused_naming_both():
    bundle = Bundle(name="x", files={"a.md": b"# Chapter 1 - A\n", "b.md": b"# Chapter 1 - B\n"})

    with pytest.raises(FormatError, match=r"^b\.md: chapter 1 is also in a\.md; give each chapter file"):
        parse_bundle(bundle)


def test_a_bad_table_is_refused_naming_the_file_and_its_own_line():
    bundle = Bundle(
        name="x", files={"README.md": b"# B\n", "01-a.md": b"# Chapter 1 - A\n\n| a |\n|---|---|\n"}
    )

    with pytest.raises(FormatError, match=r"^01-a\.md line 4: the table's delimiter row has 2 cells"):
        parse_bundle(bundle)


def test_a_bundle_without_chapters_or_readme_says_so_and_takes_its_name():
    result = parse_bundle(Bundle(name="my-notes", files={"images/a.png": b"x"}))

    assert result.book.title == "my-notes"
    assert result.book.chapters == []
    assert import_report(result.book, result.warnings, lines=result.lines).alert == (
        "No chapters: the file gives a book with 0 chapters (it has no headings at all). A chapter starts at a "
        "heading like '## Chapter 3 - Title', '## Ch. 3: Title', '<h2>Chapter 3</h2>' or '## 3. Title'."
    )
    assert any("no README.md or index.md" in warning for warning in result.warnings)


# --- Zips: the same book, and safety ------------------------------------------------------------


def test_a_zip_with_one_top_folder_reads_as_the_folder_does():
    from_folder = parse_bundle(bundle_from_folder(CHAPTERS)).book
    from_zip = parse_bundle(
        bundle_from_zip(zip_folder(CHAPTERS, prefix="streaming/"), name="streaming.zip")
    ).book

    assert from_zip == from_folder


def test_system_and_hidden_files_are_skipped_and_other_files_are_named_in_a_warning():
    data = zip_of(
        {
            "README.md": "# B\n",
            "01-a.md": "# Chapter 1 - A\n",
            "__MACOSX/._01-a.md": "junk",
            ".DS_Store": "junk",
            ".git/config": "junk",
            "notes.pdf": "%PDF",
        }
    )

    bundle = bundle_from_zip(data, name="b.zip")

    assert sorted(bundle.files) == ["01-a.md", "README.md"]
    assert bundle.warnings == [
        "notes.pdf: not a Markdown file (.md) or an image (PNG, JPEG, GIF, WebP); skipped"
    ]


@pytest.mark.parametrize(
    "name", ["../evil.md", "a/../../evil.md", "/etc/evil.md", "C:/evil.md", "..\\evil.md"]
)
def test_a_zip_naming_a_path_outside_itself_is_refused(name):
    with pytest.raises(FormatError, match="points outside it; such zips are refused"):
        bundle_from_zip(zip_of({"README.md": "# B\n", name: "# Chapter 1 - X\n"}), name="b.zip")


def test_a_zip_bomb_is_refused_before_it_is_unpacked_whole(monkeypatch):
    monkeypatch.setattr(bundle_format, "MAX_BUNDLE_BYTES", 1024 * 1024)
    data = zip_of({"README.md": "# B\n", "01-a.md": "# Chapter 1 - A\n" + "a" * (3 * 1024 * 1024)})
    assert len(data) < 20 * 1024  # a few KB that would unpack to 3 MB

    with pytest.raises(FormatError, match=r"^the zip unpacks to more than 1 MB, the most a bundle may hold$"):
        bundle_from_zip(data, name="bomb.zip")


def test_a_zip_with_too_many_files_is_refused_before_any_is_read(monkeypatch):
    monkeypatch.setattr(bundle_format, "MAX_BUNDLE_FILES", 5)
    data = zip_of({f"{number:02d}-x.md": f"# Chapter {number} - X\n" for number in range(1, 7)})

    with pytest.raises(FormatError, match=r"^the zip holds 6 entries; a bundle holds at most 5 files$"):
        bundle_from_zip(data, name="many.zip")


def test_a_file_that_is_not_a_zip_is_refused_in_words():
    with pytest.raises(FormatError, match=r"^notes\.zip is not a zip file that can be opened"):
        bundle_from_zip(b"# not a zip", name="notes.zip")


# --- The command ------------------------------------------------------------------------------


def test_import_notes_reads_a_folder_of_chapter_files_as_one_book_with_its_images():
    out, err = run(str(CHAPTERS))

    book = Book.objects.get(slug="streaming-systems")
    assert out.strip() == (
        "Imported 'Streaming Systems' (streaming-systems) from folder-chapters: "
        "3 chapters, 1 table, 2 images, 1 warning."
    )
    assert "03-watermarks.md line 5: the image 'images/heuristic-watermark.png' is not in the bundle" in err
    assert len(stored_images()) == 2
    first = book.chapters.get(number=1)
    assert IMAGE_URL.search(first.body)
    assert "[windowing](/books/streaming-systems/chapters/2/#windowing)" in first.body
    assert book.chapters.get(number=2).tables.get().title == "Batch vs Streaming"


def test_import_notes_reads_a_zip_as_the_folder(tmp_path):
    (tmp_path / "parts.zip").write_bytes(zip_folder(PARTS))

    out, _ = run(str(tmp_path / "parts.zip"))

    assert "Imported 'Database Internals' (database-internals) from parts.zip: 4 chapters, 1 table" in out
    assert list(Book.objects.get().chapters.values_list("number", flat=True)) == [1, 2, 8, 9]


def test_import_notes_refuses_an_unsafe_zip_and_writes_nothing(tmp_path):
    (tmp_path / "evil.zip").write_bytes(zip_of({"README.md": "# B\n", "../evil.md": "# Chapter 1 - X\n"}))

    with pytest.raises(CommandError, match="evil.zip: the zip holds the path '../evil.md'"):
        run(str(tmp_path / "evil.zip"))

    assert not Book.objects.exists()


def test_a_bundle_refused_at_import_keeps_none_of_its_images(tmp_path):
    make_book(slug="streaming-systems", title="Streaming Systems")

    with pytest.raises(CommandError, match="a book with the slug 'streaming-systems' exists"):
        run(str(CHAPTERS))

    assert stored_images() == []


def test_a_zip_without_chapters_is_imported_with_a_loud_warning(tmp_path):
    (tmp_path / "empty.zip").write_bytes(zip_of({"README.md": "# Empty Book\n\nNothing yet.\n"}))

    _, err = run(str(tmp_path / "empty.zip"))

    assert (
        "empty.zip: WARNING: No chapters: empty.zip gives a book with 0 chapters (the headings it has are "
        "1 level-1 heading such as '# Empty Book')." in err
    )
    assert Book.objects.get().title == "Empty Book"


def test_an_image_the_checks_refuse_is_a_warning_naming_where_it_is_shown(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "README.md").write_text("# Broken Pictures\n")
    (folder / "01-a.md").write_text("# Chapter 1 - A\n\nText.\n\n![chart](chart.png)\n")
    (folder / "chart.png").write_bytes(b"not a png at all")

    _, err = run(str(folder))

    assert (
        "01-a.md line 5: the image 'chart.png' was not imported: This is not a JPEG, PNG, WebP or GIF image."
        in err
    )
    assert "![chart](chart.png)" in Book.objects.get().chapters.get().body


# --- The upload page ----------------------------------------------------------------------------


def test_an_uploaded_zip_becomes_one_new_book_request_that_publishes_the_images(editor, reviewer):
    outcome = notes_upload_propose(author=editor, data=zip_folder(CHAPTERS), filename="streaming.zip")

    [request] = outcome.requests
    assert request.kind == ChangeRequest.Kind.BOOK_FROM_FILE
    assert outcome.made == "3 chapters, 1 table, 2 images, 1 warning"
    assert outcome.alert == ""
    assert len(stored_images()) == 2
    assert not Book.objects.exists()

    change_request_approve(change_request=request, reviewer=reviewer)

    book = Book.objects.get(slug="streaming-systems")
    assert IMAGE_URL.search(book.chapters.get(number=2).body)
    assert book.chapters.get(number=2).tables.count() == 1


def test_the_upload_page_takes_a_zip_and_reports_what_it_made(client, editor):
    client.force_login(editor)

    response = client.post(
        "/import/",
        {"notes_file": SimpleUploadedFile("streaming.zip", zip_folder(CHAPTERS)), "book": ""},
        follow=True,
    )
    preview = response.content.decode()
    assert "Read: 3 chapters, 1 table, 2 images, 1 warning." in preview
    assert "Chapter 2 &ndash; The What, Where, When, and How" in preview
    assert not ChangeRequest.objects.exists()

    response = client.post(response.redirect_chain[-1][0], {"action": "propose"}, follow=True)
    page = response.content.decode()
    assert "Read: 3 chapters, 1 table, 2 images, 1 warning." in page
    assert "03-watermarks.md line 5: the image" in page
    assert ChangeRequest.objects.count() == 1


def test_the_upload_page_refuses_a_zip_over_its_size_limit_before_reading_it(client, editor, monkeypatch):
    from notes.forms import uploads

    monkeypatch.setattr(uploads, "MAX_BUNDLE_UPLOAD_BYTES", 1024)
    client.force_login(editor)

    response = client.post("/import/", {"notes_file": SimpleUploadedFile("big.zip", b"x" * 2048), "book": ""})

    assert response.status_code == 400
    assert "The zip is 0.0 MB; the limit is 1 KB." in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_an_uploaded_zip_without_chapters_carries_a_loud_alert(editor):
    outcome = notes_upload_propose(author=editor, data=zip_of({"README.md": "# Empty\n"}), filename="e.zip")

    assert outcome.alert.startswith("No chapters: e.zip gives a book with 0 chapters")


def test_an_unsafe_uploaded_zip_is_refused_and_nothing_is_kept(editor):
    data = zip_of({"README.md": "# B\n", "../01-a.md": "# Chapter 1 - A\n", "images/a.png": b"x"})

    with pytest.raises(UploadError, match="e.zip: the zip holds the path '../01-a.md'"):
        notes_upload_propose(author=editor, data=data, filename="e.zip")

    assert not ChangeRequest.objects.exists()
    assert stored_images() == []


def test_a_zip_for_an_existing_book_proposes_its_new_chapter(editor):
    book = make_book(slug="streaming-systems", title="Streaming Systems")

    outcome = notes_upload_propose(author=editor, data=zip_folder(CHAPTERS), filename="s.zip", book=book)

    kinds = sorted(request.kind for request in outcome.requests)
    assert kinds.count(ChangeRequest.Kind.CHAPTER_NEW) == 3
    new_first = next(
        r for r in outcome.requests if r.kind == ChangeRequest.Kind.CHAPTER_NEW and r.number == 1
    )
    assert "(/books/streaming-systems/chapters/2/#windowing)" in new_first.body


# --- The zip download ---------------------------------------------------------------------------


def download(client, slug: str) -> zipfile.ZipFile:
    response = client.get(f"/books/{slug}/download/zip/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.zip"'
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_book_page_links_the_zip_download(client, book):
    page = client.get(f"/books/{book.slug}/").content.decode()

    assert (
        f'<a href="/books/{book.slug}/download/zip/" download>Zip (a file per chapter, with images)</a>'
        in page
    )


def test_the_zip_download_holds_a_readme_a_file_per_chapter_and_the_images(client):
    run(str(CHAPTERS))

    archive = download(client, "streaming-systems")

    names = archive.namelist()
    assert names[:4] == [
        "README.md",
        "01-streaming-101.md",
        "02-the-what-where-when-and-how.md",
        "03-watermarks.md",
    ]
    assert sorted(name.rsplit(".", 1)[1] for name in names[4:]) == ["jpg", "png"]
    readme = archive.read("README.md").decode()
    assert readme.startswith(
        '---\ntitle: "Streaming Systems"\nauthor: "Tyler Akidau"\ndomains: ["Data Engineering", "Streaming"]\n---\n'
    )
    first = archive.read("01-streaming-101.md").decode()
    assert first.startswith("# Chapter 1 - Streaming 101\n")
    assert re.search(r"!\[Event time against processing time\]\(images/[A-Za-z0-9_-]{22}\.png\)", first)
    assert "[windowing](02-the-what-where-when-and-how.md#windowing)" in first
    assert (
        "| When | At the end | Triggers and watermarks |"
        in archive.read("02-the-what-where-when-and-how.md").decode()
    )


def test_an_exported_zip_imports_back_to_the_same_book(client, seed):
    make_chapter(
        book=seed, number=7, title="Links", body="See [chapter 2](/books/designing-ml-systems/chapters/2/#x)."
    )
    before = book_document(book=seed)

    exported = download(client, "designing-ml-systems")
    result = parse_bundle(
        bundle_from_zip(client.get("/books/designing-ml-systems/download/zip/").content, name="d.zip")
    )
    relink_bundle(
        result,
        image_urls={},
        link_url=lambda number, fragment: (
            f"/books/designing-ml-systems/chapters/{number}/" + (f"#{fragment}" if fragment else "")
        ),
    )

    assert (
        "See [chapter 2](02-"
        in exported.read(next(n for n in exported.namelist() if n.startswith("07-"))).decode()
    )
    assert result.warnings == []
    assert result.book == before


def test_an_exported_zip_with_images_imports_back_with_its_images(client):
    run(str(CHAPTERS))
    before = book_document(book=Book.objects.get())
    data = client.get("/books/streaming-systems/download/zip/").content

    out, _ = run_zip(data, "--replace")

    after = book_document(book=Book.objects.get())
    assert "2 images" in out
    strip = lambda text: IMAGE_URL.sub("IMAGE", text)  # noqa: E731 - new uploads get new names
    assert [strip(chapter.body) for chapter in after.chapters] == [
        strip(chapter.body) for chapter in before.chapters
    ]
    assert (after.title, after.summary, after.chapters[1].tables) == (
        before.title,
        before.summary,
        before.chapters[1].tables,
    )


def run_zip(data: bytes, *args: str) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.zip"
        path.write_bytes(data)
        return run(str(path), *args)


@BOUNDED
@given(book=books())
def test_any_book_written_as_a_zip_reads_back_equal(book):
    # As in the single-file property test: once through the Markdown reader, a book is in
    # the shape the readers make, and the zip keeps it exactly. Files name their chapters'
    # order, so a zip gives them in number order, as the wiki shows them.
    first = parse(write(book, "markdown"), "markdown").book
    first.chapters.sort(key=lambda chapter: chapter.number)
    data = write_bundle(
        first, image_prefix="/media/images/", image_name_re=r"x", read_image=lambda name: None
    )

    assert parse_bundle(bundle_from_zip(data, name="book.zip")).book == first


def test_images_past_the_bundle_limit_stay_as_written_with_a_warning(monkeypatch, tmp_path):
    from notes.services import bundles as bundle_service

    monkeypatch.setattr(bundle_service, "MAX_BUNDLE_IMAGES", 1)

    out, err = run(str(CHAPTERS))

    assert "1 image," in out
    assert (
        "02-what-where-when-how.md line 7: the image 'images/windows.jpg' was not imported: "
        "a bundle brings at most 1 images"
    ) in err
    assert len(stored_images()) == 1


def test_a_folder_of_chapter_files_without_a_readme_is_one_book_named_after_the_folder(tmp_path):
    folder = tmp_path / "my-notes"
    folder.mkdir()
    (folder / "a.md").write_text("# Chapter 1: One\n\nFirst.\n")
    (folder / "b.md").write_text("# Ch. 2 Two\n\nSecond.\n")

    out, err = run(str(folder), "--slug", "mine")

    book = Book.objects.get()
    assert (book.slug, book.title) == ("mine", "my-notes")
    assert list(book.chapters.values_list("number", "title")) == [(1, "One"), (2, "Two")]
    assert "no README.md or index.md: the book is titled 'my-notes'" in err


def test_an_uploaded_zip_for_a_taken_address_is_refused_and_keeps_no_image(editor):
    make_book(slug="streaming-systems", title="Streaming Systems")

    with pytest.raises(UploadError, match="A book with the slug 'streaming-systems' exists"):
        notes_upload_propose(author=editor, data=zip_folder(CHAPTERS), filename="s.zip")

    assert stored_images() == []
    assert not ChangeRequest.objects.exists()


def test_a_downloaded_zip_uploaded_back_to_its_book_proposes_nothing_and_stores_nothing(client, editor):
    run(str(CHAPTERS))
    book = Book.objects.get()
    data = client.get("/books/streaming-systems/download/zip/").content

    outcome = notes_upload_propose(author=editor, data=data, filename="streaming-systems.zip", book=book)

    assert outcome.requests == []
    assert outcome.notes == ["The file holds nothing that differs from the book: no request was made."]
    assert outcome.made == "3 chapters, 1 table, 2 images, 1 warning"  # the missing image, still missing
    assert len(stored_images()) == 2


def test_an_image_named_like_a_stored_one_but_with_other_bytes_is_stored_anew(editor):
    run(str(CHAPTERS))
    [name, *_] = stored_images()
    other = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 128, 0)).save(other, format="PNG")
    png = other.getvalue()
    data = zip_of(
        {
            "README.md": "# Other\n",
            "01-a.md": f"# Chapter 1 - A\n\n![x](images/{name})\n",
            f"images/{name}": png,
        }
    )

    outcome = notes_upload_propose(author=editor, data=data, filename="o.zip")

    assert len(stored_images()) == 3
    assert f"/media/images/{name}" not in outcome.requests[0].body


def test_a_readme_with_only_front_matter_takes_its_title_from_it():
    readme = b'---\ntitle: "Chapter 1 of my life"\nauthor: Me\ndomains:\n  - Memoir\n  - Notes\n---\n\nJust a summary.\n'

    book = parse_bundle(Bundle(name="x", files={"README.md": readme, "01-a.md": b"# Chapter 1 - A\n"})).book

    assert (book.title, book.author, book.domains, book.summary) == (
        "Chapter 1 of my life",
        "Me",
        ["Memoir", "Notes"],
        "Just a summary.",
    )


def test_front_matter_that_is_never_closed_or_too_long_is_refused_naming_the_readme():
    with pytest.raises(
        FormatError, match=r"^README\.md line 1: the front matter that starts here is not closed"
    ):
        parse_bundle(Bundle(name="x", files={"README.md": b"---\ntitle: A\n"}))
    with pytest.raises(
        FormatError, match=r"^README\.md: the author is 201 characters long; expected at most 200"
    ):
        parse_bundle(Bundle(name="x", files={"README.md": f"---\nauthor: {'a' * 201}\n---\n# B\n".encode()}))


def test_a_chapter_file_without_a_heading_on_top_keeps_its_inner_headings_in_the_body():
    text = b"Some notes first.\n\n## Details\n\nMore.\n"

    [chapter] = parse_bundle(
        Bundle(name="x", files={"README.md": b"# B\n", "04-loose-notes.md": text})
    ).book.chapters

    assert (chapter.number, chapter.title) == (4, "Loose notes")
    assert chapter.body == "Some notes first.\n\n## Details\n\nMore."


def test_a_setext_heading_names_its_chapter():
    text = b"Chapter 5: Replication\n======================\n\nLeaders and followers.\n"

    [chapter] = parse_bundle(Bundle(name="x", files={"README.md": b"# B\n", "x.md": text})).book.chapters

    assert (chapter.number, chapter.title, chapter.body) == (5, "Replication", "Leaders and followers.")
