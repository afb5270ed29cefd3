"""A book summary's table of contents links ``#headings`` that now live on chapter pages:
its links are pointed at those pages when the summary or a chapter is published."""

import pytest

from notes.lib.anchors import moved_anchor_urls, rewrite_moved_anchors
from notes.models import Book, ChangeRequest
from notes.services.reviews import change_request_approve, change_request_create
from tests.factories import make_book, make_chapter, propose_chapter_edit

TOC = "Contents:\n\n- [Feature stores](#feature-stores)\n- [Drift](#data-drift)\n- [Overview](#overview)\n\n## Overview\n"
URLS = {"feature-stores": "/books/b/chapters/2/", "overview": "/books/b/chapters/1/"}


def test_a_link_to_a_heading_on_a_chapter_page_points_at_that_page():
    html = '<p><a href="#feature-stores">Feature stores</a></p>'
    assert (
        rewrite_moved_anchors(html, URLS)
        == '<p><a href="/books/b/chapters/2/#feature-stores">Feature stores</a></p>'
    )


def test_a_link_to_a_place_on_the_same_page_is_left_alone():
    html = '<h2 id="overview">Overview</h2><a href="#overview">up</a>'
    assert rewrite_moved_anchors(html, URLS) == html


def test_a_link_no_chapter_holds_is_left_alone():
    html = '<a href="#nowhere">x</a><a href="https://example.com/#feature-stores">y</a>'
    assert rewrite_moved_anchors(html, URLS) == html


def test_a_percent_encoded_anchor_is_matched_with_the_heading_it_names():
    html = '<a href="#donn%C3%A9es">Données</a>'
    assert rewrite_moved_anchors(html, {"données": "/books/b/chapters/3/"}) == (
        '<a href="/books/b/chapters/3/#donn%C3%A9es">Données</a>'
    )


def test_the_first_chapter_holding_an_id_wins_and_unplaced_tables_are_not_places():
    urls = moved_anchor_urls(
        [
            ("/c/1/", [{"id": "intro"}, {"id": "table-t", "placed": False}]),
            ("/c/2/", [{"id": "intro"}, {"id": "table-t"}]),
        ]
    )
    assert urls == {"intro": "/c/1/", "table-t": "/c/2/"}


@pytest.fixture
def toc_book(db):
    book = make_book(slug="toc-book", title="TOC Book")
    make_chapter(book=book, number=1, body="Intro text.\n\n## Overview\n\nOther overview.")
    make_chapter(book=book, number=2, body="## Feature stores\n\nThey store features.")
    return book


def publish_summary(book, editor, reviewer, summary):
    request = change_request_create(
        author=editor,
        book=book,
        kind=ChangeRequest.Kind.BOOK_EDIT,
        summary="Contents",
        content={"title": book.title, "body": summary, "book_author": "A", "book_domains": "ML"},
        submit=True,
    )
    assert change_request_approve(change_request=request, reviewer=reviewer).published
    return Book.objects.get(pk=book.pk)


def test_a_published_summary_links_its_contents_to_the_chapter_pages(client, toc_book, editor, reviewer):
    book = publish_summary(toc_book, editor, reviewer, TOC)
    assert 'href="/books/toc-book/chapters/2/#feature-stores"' in book.summary_html
    # The summary's own heading wins over chapter 1's: it is on the same page.
    assert 'href="#overview"' in book.summary_html
    assert 'href="#data-drift"' in book.summary_html  # no chapter has it (yet)
    page = client.get("/books/toc-book/").content.decode()
    assert 'href="/books/toc-book/chapters/2/#feature-stores"' in page


def test_a_chapter_published_with_the_heading_moves_the_summary_link(
    toc_book, editor, reviewer, django_capture_on_commit_callbacks
):
    publish_summary(toc_book, editor, reviewer, TOC)
    chapter = toc_book.chapters.get(number=2)
    request = propose_chapter_edit(editor, chapter, "## Feature stores\n\nText.\n\n## Data drift\n\nMore.")
    with django_capture_on_commit_callbacks(execute=True):
        assert change_request_approve(change_request=request, reviewer=reviewer).published
    book = Book.objects.get(pk=toc_book.pk)
    assert 'href="/books/toc-book/chapters/2/#data-drift"' in book.summary_html
    versions = Book.history.filter(id=book.pk).count()

    # The heading leaves the chapter: the link goes back to pointing nowhere on another page.
    request = propose_chapter_edit(editor, chapter, "## Feature stores\n\nText.")
    with django_capture_on_commit_callbacks(execute=True):
        assert change_request_approve(change_request=request, reviewer=reviewer).published
    book = Book.objects.get(pk=toc_book.pk)
    assert 'href="#data-drift"' in book.summary_html
    assert Book.history.filter(id=book.pk).count() == versions  # a cache refresh, not a version


def test_a_chapter_publish_that_changes_no_link_leaves_the_book_untouched(
    toc_book, editor, reviewer, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    book = publish_summary(toc_book, editor, reviewer, TOC)
    request = propose_chapter_edit(editor, toc_book.chapters.get(number=1), "Intro text, edited.")
    with django_capture_on_commit_callbacks() as callbacks:
        assert change_request_approve(change_request=request, reviewer=reviewer).published
    refresh = [
        callback for callback in callbacks if callback.__qualname__.startswith("book_summary_links_refresh")
    ]
    assert len(refresh) == 1
    # A savepoint, the book locked, its chapters' places, the savepoint released; nothing written.
    with django_assert_max_num_queries(4):
        refresh[0]()
    assert Book.objects.get(pk=book.pk).summary_html == book.summary_html
