"""The EPUB download: an e-book of the published book that e-readers open (EbookLib reads
it back here), chapters in order with their tables, a contents page, valid XHTML, uploaded
images packed in, and nothing that is not published."""

import zipfile
from io import BytesIO

import pytest
from django.test import override_settings
from ebooklib import epub
from lxml import etree
from PIL import Image

from notes.models import ChangeRequest
from notes.services.images import image_store
from tests.factories import make_book, make_chapter, make_table, propose_chapter_edit

pytestmark = pytest.mark.django_db

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(autouse=True)
def memory_storage():
    with override_settings(STORAGES=IN_MEMORY):
        yield


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 6), "teal").save(out, format="PNG")
    return out.getvalue()


def read(response) -> epub.EpubBook:
    return epub.read_epub(BytesIO(response.content), {"ignore_ncx": False})


def documents(response) -> dict[str, etree._Element]:
    """Each XHTML document as stored in the file, parsed with the strict XML parser (which
    raises on anything not well formed)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    archive = zipfile.ZipFile(BytesIO(response.content))
    return {
        name.removeprefix("EPUB/"): etree.fromstring(archive.read(name), parser)
        for name in archive.namelist()
        if name.endswith(".xhtml")
    }


@pytest.fixture
def notes_book(db):
    book = make_book(slug="ml-notes", title="ML Notes")
    image = image_store(data=png())
    make_chapter(
        book=book,
        number=2,
        title="Second",
        body="## Later\n\nSecond chapter.[^1]\n\n- [x] read\n\n[^1]: A note.",
    )
    first = make_chapter(
        book=book,
        number=1,
        title="First",
        body=(
            f"## Storage\n\nRow vs column.<br>\n[[table:rows]]\n\n![chart](/media/images/{image.name})\n\n"
            '<img src="https://elsewhere.example/x.png" alt="outside chart">\n\n[Later](/books/ml-notes/chapters/2/#later)'
        ),
    )
    make_table(chapter=first, slug="rows", title="Row & column")
    make_table(chapter=first, slug="unplaced", title="Not placed")
    from notes.services.history import chapter_render, save_rendering

    chapter_render(first)
    save_rendering(first, "body_html", "contents")
    return book, image


def test_the_book_page_links_the_epub_download(client, notes_book):
    page = client.get("/books/ml-notes/").content.decode()
    assert '<a href="/books/ml-notes/download/epub/" download>EPUB (e-book)</a>' in page


def test_the_epub_is_an_attachment_named_after_the_book(client, notes_book):
    response = client.get("/books/ml-notes/download/epub/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == 'attachment; filename="ml-notes.epub"'
    assert response.content[:2] == b"PK"


def test_the_query_address_leads_to_the_same_file_and_refuses_an_unknown_format(client, notes_book):
    response = client.get("/books/ml-notes/download/?format=epub")
    assert response.status_code == 302 and response["Location"] == "/books/ml-notes/download/epub/"
    refused = client.get("/books/ml-notes/download/?format=pdf")
    assert refused.status_code == 404
    assert "use text, markdown, html or epub" in refused.content.decode()


def test_it_has_the_title_author_language_and_chapters_in_order(client, notes_book):
    book = read(client.get("/books/ml-notes/download/epub/"))
    assert book.get_metadata("DC", "title")[0][0] == "ML Notes"
    assert book.get_metadata("DC", "creator")[0][0] == "An Author"
    assert book.get_metadata("DC", "language")[0][0] == "en"
    spine = [book.get_item_with_id(item_id).file_name for item_id, _linear in book.spine]
    assert spine == ["nav.xhtml", "about.xhtml", "chapter-1.xhtml", "chapter-2.xhtml", "changelog.xhtml"]


def test_its_contents_list_every_chapter_in_the_nav_and_the_ncx(client, notes_book):
    book = read(client.get("/books/ml-notes/download/epub/"))
    titles = [link.title for link in book.toc]
    assert titles == ["About this book", "Chapter 1 - First", "Chapter 2 - Second", "Changelog"]
    nav = book.get_item_with_href("nav.xhtml").get_content().decode()
    assert 'href="chapter-2.xhtml"' in nav and "Chapter 2 - Second" in nav
    ncx = book.get_item_with_id("ncx").get_content().decode()
    assert "Chapter 1 - First" in ncx


def test_every_document_is_well_formed_xhtml_with_its_tables(client, notes_book):
    docs = documents(client.get("/books/ml-notes/download/epub/"))
    assert set(docs) == {"nav.xhtml", "about.xhtml", "chapter-1.xhtml", "chapter-2.xhtml", "changelog.xhtml"}
    assert [link.get("href") for link in first_css(docs["chapter-2.xhtml"])] == ["style/book.css"]
    first = docs["chapter-1.xhtml"]
    captions = [
        etree.tostring(c, method="text", encoding="unicode") for c in first.iter(f"{XHTML}figcaption")
    ]
    assert captions == ["Row & column", "Not placed"]  # placed table, then the unplaced one
    assert len(list(first.iter(f"{XHTML}table"))) == 2
    assert [h.text for h in first.iter(f"{XHTML}h1")] == ["Chapter 1 - First"]
    second = docs["chapter-2.xhtml"]
    assert second.find(f".//{XHTML}section[@class='footnotes']") is not None
    checkbox = second.find(f".//{XHTML}input")
    assert checkbox.get("disabled") == "disabled" and checkbox.get("checked") == "checked"


def test_an_uploaded_image_is_packed_and_an_outside_one_becomes_its_description(client, notes_book):
    _book, image = notes_book
    response = client.get("/books/ml-notes/download/epub/")
    book = read(response)
    packed = book.get_item_with_href(f"images/{image.name}")
    assert packed is not None and packed.media_type == "image/png"
    assert packed.get_content() == png_stored(image.name)
    first = documents(response)["chapter-1.xhtml"]
    sources = [img.get("src") for img in first.iter(f"{XHTML}img")]
    assert sources == [f"images/{image.name}"]
    assert "[Image: outside chart]" in etree.tostring(first, method="text", encoding="unicode")


def first_css(document):
    return document.findall(f"{XHTML}head/{XHTML}link[@rel='stylesheet']")


def png_stored(name: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(f"images/{name}", "rb") as stored:
        return stored.read()


def test_a_link_to_another_chapter_page_points_inside_the_book(client, notes_book):
    first = documents(client.get("/books/ml-notes/download/epub/"))["chapter-1.xhtml"]
    hrefs = [a.get("href") for a in first.iter(f"{XHTML}a")]
    assert "chapter-2.xhtml#later" in hrefs


def test_a_proposed_change_and_a_draft_are_not_in_the_book(client, notes_book, editor):
    chapter = notes_book[0].chapters.get(number=1)
    propose_chapter_edit(editor, chapter, "SUBMITTED-SECRET text", summary="Pending")
    propose_chapter_edit(editor, chapter, "DRAFT-SECRET text", summary="Draft", submit=False)
    assert ChangeRequest.objects.count() == 2
    archive = zipfile.ZipFile(BytesIO(client.get("/books/ml-notes/download/epub/").content))
    text = b"".join(archive.read(name) for name in archive.namelist())  # every file, metadata too
    assert b"SECRET" not in text and b"Pending" not in text
    assert b"Row vs column." in text


def test_the_download_runs_a_fixed_number_of_queries(client, notes_book, django_assert_max_num_queries):
    client.get("/books/ml-notes/download/epub/")  # sessions and the like settle first
    with django_assert_max_num_queries(12):
        assert client.get("/books/ml-notes/download/epub/").status_code == 200
    make_chapter(book=notes_book[0], number=3, tables=2)
    make_chapter(book=notes_book[0], number=4, tables=2)
    with django_assert_max_num_queries(12):
        assert client.get("/books/ml-notes/download/epub/").status_code == 200
