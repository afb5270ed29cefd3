"""manage.py render_notes: content published before a change to the renderer is rendered
again, without a new version."""

from io import StringIO

import pytest
from django.core.management import call_command

from notes.models import Book, Chapter, ComparisonTable
from tests.factories import make_book, make_chapter

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("render_notes", stdout=out)
    return out.getvalue()


def test_old_renderings_are_made_again_and_no_version_is_written():
    book = make_book(slug="old-book")
    Book.objects.filter(pk=book.pk).update(summary="See [storage](#storage).", summary_html="stale")
    chapter = make_chapter(book=book, number=1, body="## Storage\n\nPress <kbd>Ctrl</kbd>.", tables=1)
    Chapter.objects.filter(pk=chapter.pk).update(body_html="<p>Press &lt;kbd&gt;Ctrl&lt;/kbd&gt;.</p>")
    ComparisonTable.objects.filter(chapter=chapter).update(html="stale")
    versions = (Book.history.count(), Chapter.history.count(), ComparisonTable.history.count())

    assert run().strip() == "Renderings refreshed; changed: 1 books, 1 chapters, 1 tables."

    chapter.refresh_from_db()
    assert "Press <kbd>Ctrl</kbd>." in chapter.body_html
    assert 'href="/books/old-book/chapters/1/#storage"' in Book.objects.get(pk=book.pk).summary_html
    assert "<table>" in ComparisonTable.objects.get(chapter=chapter).html
    assert (Book.history.count(), Chapter.history.count(), ComparisonTable.history.count()) == versions


def test_a_second_run_changes_nothing():
    make_book(slug="fresh-book", chapters=2, tables=1)
    run()
    assert run().strip() == "Renderings refreshed; changed: 0 books, 0 chapters, 0 tables."
