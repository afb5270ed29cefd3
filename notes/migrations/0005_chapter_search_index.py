"""A GIN index on the chapters' full-text search expression, on PostgreSQL only.

SQLite has no GIN indexes (search there is a plain ``icontains``), so the index is made
by RunPython for PostgreSQL and the operation is a no-op elsewhere.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from notes.search import CHAPTER_SEARCH_INDEX, chapter_search_vector


def _index() -> GinIndex:
    return GinIndex(chapter_search_vector(), name=CHAPTER_SEARCH_INDEX)


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("notes", "Chapter"), _index())


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("notes", "Chapter"), _index())


class Migration(migrations.Migration):
    dependencies = [("notes", "0004_discussions")]

    operations = [migrations.RunPython(create_index, drop_index)]
