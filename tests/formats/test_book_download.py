"""Downloading a book from its page: the notes text, Markdown, and one self-contained HTML file."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.formats import parse, write
from notes.models import Chapter
from notes.services.books import book_document
from notes.services.history import chapter_render, save_version
from tests.factories import make_book
from tests.paths import SEED_SOURCE, XSS_VECTORS

pytestmark = pytest.mark.django_db

SEED_TEXT = SEED_SOURCE.read_text()
XSS = [vector["payload"] for vector in json.loads(XSS_VECTORS.read_text())]


def url(book, format):
    return f"/books/{book.slug}/download/{format}/"


def test_the_book_page_links_the_three_downloads(client, seed):
    page = client.get("/books/designing-ml-systems/").content.decode()
    for format, label in (("text", "Text"), ("markdown", "Markdown"), ("html", "HTML (one file, read-only)")):
        assert f'<a href="{url(seed, format)}" download>{label}</a>' in page


@pytest.mark.parametrize(
    ("format", "content_type", "filename"),
    [
        ("text", "text/plain; charset=utf-8", "designing-ml-systems.txt"),
        ("markdown", "text/markdown; charset=utf-8", "designing-ml-systems.md"),
        ("html", "text/html; charset=utf-8", "designing-ml-systems.html"),
    ],
)
def test_each_download_is_an_attachment_named_after_the_book(client, seed, format, content_type, filename):
    response = client.get(url(seed, format))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_the_text_download_is_the_seed_as_the_exporter_writes_it(client, seed):
    downloaded = client.get(url(seed, "text")).content.decode()

    assert downloaded == write(book_document(book=seed), "text")
    assert downloaded.splitlines()[:11] == SEED_TEXT.splitlines()[:11]


def test_the_markdown_download_imports_back_to_the_same_book(client, seed):
    downloaded = client.get(url(seed, "markdown")).content.decode()

    assert parse(downloaded, "markdown").book == book_document(book=seed)


def test_the_html_download_holds_its_styles_the_chapters_tables_and_changelog(client, seed):
    html = client.get(url(seed, "html")).content.decode()

    assert re.search(r"<style>\s*:root \{", html)
    assert "<link" not in html and "<script" not in html
    assert "<h1>Designing ML Systems</h1>" in html
    assert '<section class="chapter" id="chapter-3">' in html
    assert html.count('<figure class="comparison-table"') == 5
    assert "<figcaption>Main requirements of ML systems</figcaption>" in html
    assert "<td>Added notes for Chapter 3 (Data Sources, Data Models)</td>" in html
    assert '<time datetime="2026-04-20T00:00:00+00:00">April 20, 2026</time>' in html
    assert "th.align-right, td.align-right { text-align: right; }" in html


def test_a_table_the_body_does_not_place_is_still_in_the_html_download(client, seed):
    chapter = Chapter.objects.get(book=seed, number=1)
    chapter.body = "No placeholders any more."
    chapter_render(chapter)
    save_version(chapter, summary="Dropped the placeholder")

    html = client.get(url(seed, "html")).content.decode()
    assert "<figcaption>ML in research vs production have different requirements</figcaption>" in html


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_the_html_download_carries_only_sanitized_html(client):
    book = make_book(slug="xss", title="<script>alert(1)</script>", chapters=1)
    chapter = book.chapters.get()
    chapter.body = "\n\n".join(XSS)
    chapter_render(chapter)
    save_version(chapter, summary="<img src=x onerror=alert(1)>")

    html = client.get(url(book, "html")).content.decode()
    parser = _Elements()
    parser.feed(html)

    assert {tag for tag, _ in parser.found}.isdisjoint({"script", "iframe", "object", "embed", "svg", "form"})
    for _tag, attrs in parser.found:
        for name, value in attrs:
            assert not name.startswith("on"), (name, value)
            assert "javascript:" not in (value or "").lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html


def test_an_unknown_format_is_not_found(client, seed):
    assert client.get(url(seed, "pdf")).status_code == 404
    assert client.get("/books/nope/download/text/").status_code == 404


def test_downloads_follow_read_access(client, seed, settings, reader):
    settings.WIKI_PUBLIC_READ = False
    response = client.get(url(seed, "markdown"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(reader)
    assert client.get(url(seed, "markdown")).status_code == 200


@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_a_download_runs_a_fixed_number_of_queries(client, format, django_assert_num_queries):
    small = make_book(slug="small", chapters=1, tables=1)
    big = make_book(slug="big", chapters=6, tables=3)
    with CaptureQueriesContext(connection) as first:
        client.get(url(small, format))

    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url(big, format)).status_code == 200


def test_the_html_download_is_labelled_read_only_and_not_re_importable(client, seed):
    page = client.get("/books/designing-ml-systems/").content.decode()
    downloads = page.split('<p class="meta downloads">')[1].split("</p>")[0]
    assert "HTML (one file, read-only)" in downloads
    assert "not re-importable" in downloads
