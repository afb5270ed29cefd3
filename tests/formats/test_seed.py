"""setup_demo (what `make run` calls): the seed book and the demo cast, loaded once."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from notes.models import Book
from notes.permissions import Role, roles
from notes.selectors.books import changelog

pytestmark = pytest.mark.django_db

CAST = {
    "admin": Role.ADMIN,
    "editor": Role.EDITOR,
    "reviewer": Role.REVIEWER,
    "moderator": Role.MODERATOR,
    "reader": Role.READER,
}


def setup_demo() -> str:
    out = io.StringIO()
    call_command("setup_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_setup_demo_creates_the_cast_and_loads_the_seed_once(settings):
    settings.DEBUG = True
    out = setup_demo()
    assert "Loaded the seed book 'Designing ML Systems'." in out
    assert "Demo password for every demo user: chapterwise-dev" in out
    book = Book.objects.get(slug="designing-ml-systems")
    assert [entry.summary for entry in changelog(book=book)] == [
        "Added notes for Chapter 1",
        "Added notes for Chapter 2",
        "Added notes for Chapter 3 (Data Sources, Data Models)",
    ]
    for username, role in CAST.items():
        user = authenticate(username=username, password="chapterwise-dev")
        assert user is not None, username
        assert role in roles(user), username

    # A second run changes nothing: no second book, no second history, same users.
    history_rows = book.history.count() + sum(c.history.count() for c in book.chapters.all())
    out = setup_demo()
    assert "Seed book already present; left as it is." in out
    assert Book.objects.count() == 1
    assert book.history.count() + sum(c.history.count() for c in book.chapters.all()) == history_rows
    assert get_user_model().objects.count() == len(CAST)


def test_setup_demo_imports_the_seed_beside_books_that_are_already_there(settings, tmp_path):
    settings.DEBUG = True
    other = tmp_path / "other.md"
    other.write_text("# Another Book\n\n- Author: Someone\n\n## Chapter 1: Start\n\nText.\n")
    call_command("import_notes", str(other), stdout=io.StringIO())
    setup_demo()
    assert set(Book.objects.values_list("slug", flat=True)) == {"another-book", "designing-ml-systems"}
