"""A GIN index of the search vectors per kind of document (PostgreSQL only).

The search ranks each kind's first matches only (``SEARCH_CANDIDATES_PER_KIND``). With the
one index over every kind, finding a kind's first matches means fetching every match of a
common word to read its kind: the cost grew with the wiki. One partial index per kind finds
a kind's matches alone, and stops at the first ones. Raw SQL, as 0010's index (SQLite
searches its FTS5 table instead).
"""

from django.db import migrations

KINDS = ("book", "chapter", "table", "thread", "comment")


def add_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_document_vector_{kind} ON notes_searchdocument "
            f"USING gin (vector) WITH (fastupdate = off) WHERE kind = '{kind}'"
        )


def remove_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_document_vector_{kind}")


class Migration(migrations.Migration):
    dependencies = [("notes", "0029_review_preferences")]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
