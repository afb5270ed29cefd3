"""History is append-only: no code path updates, bulk-writes or deletes history rows.

Bulk writes (``QuerySet.update``, ``bulk_create``, ``bulk_update``) skip the history
hooks, so they are banned on the tracked models; and nothing calls save or delete on a
history row. The check reads the source, so a new code path cannot slip past it.
"""

import ast
import re

from tests.paths import ROOT

SOURCES = [
    path
    for folder in ("notes", "wiki")
    for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts
]
BULK = {"update", "bulk_create", "bulk_update", "_raw_delete", "raw"}
TRACKED = re.compile(r"\b(Book|Chapter|ComparisonTable)\b|\.history\b|\bhistory\.|\.(chapters|tables)\b")
HISTORY = re.compile(r"\bhistory\b|history_instance|Historical")


def offending_calls():
    for path in SOURCES:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver = ast.unparse(node.func.value)
            method = node.func.attr
            if method in BULK and TRACKED.search(receiver):
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {receiver}.{method}(...)"
            if method in {"delete", "save"} and HISTORY.search(receiver):
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {receiver}.{method}(...)"


def test_the_scan_reads_the_code_that_writes_versions():
    names = {path.name for path in SOURCES}
    assert {"history.py", "reviews.py", "books.py"} <= names


def test_no_code_bulk_writes_tracked_models_or_changes_history_rows():
    assert list(offending_calls()) == []


def test_the_scan_would_catch_a_bulk_update(tmp_path):
    source = "Chapter.objects.filter(pk=1).update(body='x')\nChapter.history.filter(id=1).delete()\n"
    tree = ast.parse(source)
    calls = [
        (ast.unparse(node.func.value), node.func.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    ]
    assert any(method in BULK and TRACKED.search(receiver) for receiver, method in calls)
    assert any(method == "delete" and HISTORY.search(receiver) for receiver, method in calls)


# --- The database refuses too (PostgreSQL) ---------------------------------------------------

import pytest  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402

from notes.models import Chapter  # noqa: E402
from notes.services.history import save_version  # noqa: E402
from tests.factories import make_book, make_user  # noqa: E402

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers are PostgreSQL's"
)


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("write", ["update", "delete"])
def test_postgresql_refuses_to_change_or_delete_a_history_row(write):
    chapter = make_book(chapters=1).chapters.get()
    rows = Chapter.history.filter(id=chapter.pk)
    with pytest.raises(DatabaseError, match="history is append-only"), transaction.atomic():
        if write == "update":
            rows.update(history_change_reason="Rewritten")
        else:
            rows.delete()
    assert rows.get().history_change_reason == "Added notes for Chapter 1"


@postgres_only
@pytest.mark.django_db
def test_deleting_a_user_keeps_their_history_rows_without_the_link():
    author = make_user("leaving")
    chapter = make_book(chapters=1).chapters.get()
    chapter.title = "Renamed"
    save_version(chapter, summary="Renamed the chapter", user=author)
    get_user_model().objects.filter(pk=author.pk).delete()
    row = Chapter.history.get(id=chapter.pk, history_change_reason="Renamed the chapter")
    assert row.history_user_id is None and row.title == "Renamed"
