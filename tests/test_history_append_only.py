"""History is append-only: no code path updates, bulk-writes or deletes history rows.

Bulk writes (``QuerySet.update``, ``bulk_create``, ``bulk_update``) skip the history
hooks, so they are banned on the tracked models; and nothing calls save or delete on a
history row. The check reads the source, so a new code path cannot slip past it.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
