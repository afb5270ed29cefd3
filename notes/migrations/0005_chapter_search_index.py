"""A GIN index on the chapters' full-text search expression, on PostgreSQL only.

SQLite has no GIN indexes, so the index is made by RunPython for PostgreSQL and the
operation is a no-op elsewhere. The planner never used it and it made publishing a chapter
with more than 1 MB of tsvector text fail; migration 0010 drops it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# Defined here rather than imported: the app's search moved to stored documents
# (migration 0010 drops this index), and a migration must not change with the app's code.
CHAPTER_SEARCH_INDEX = "chapter_search"


def _index() -> GinIndex:
    vector = SearchVector("title", weight="A", config="english") + SearchVector(
        "body_html", weight="B", config="english"
    )
    return GinIndex(vector, name=CHAPTER_SEARCH_INDEX)


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("notes", "Chapter"), _index())


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("notes", "Chapter"), _index())


class Migration(migrations.Migration):
    dependencies = [("notes", "0004_discussions")]

    operations = [migrations.RunPython(create_index, drop_index)]
