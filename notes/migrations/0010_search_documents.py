"""Stored search documents for books, chapter sections, tables, threads and comments.

- ``SearchDocument`` with, on PostgreSQL, a tsvector column and its GIN index (made by
  RunPython there only: SQLite has no GIN indexes).
- On SQLite an FTS5 table over the documents' title and body (external content: the text
  is stored once, in notes_searchdocument) and the triggers that keep it in step.
- Every existing book, chapter, table, thread and comment indexed (reverse: nothing to
  undo, the table goes).
- The expression index of 0005 dropped: the planner never used it, and publishing a
  chapter whose text makes more than 1 MB of tsvector failed on it.
"""

import django.db.models.deletion
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations, models

from notes.lib import search_documents as documents

VECTOR_INDEX = "search_document_vector"
OLD_CHAPTER_INDEX = "chapter_search"

FTS5_SQL = [
    "CREATE VIRTUAL TABLE notes_search_fts USING fts5(title, body, content='notes_searchdocument', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER notes_search_fts_insert AFTER INSERT ON notes_searchdocument BEGIN "
    "INSERT INTO notes_search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER notes_search_fts_delete AFTER DELETE ON notes_searchdocument BEGIN "
    "INSERT INTO notes_search_fts(notes_search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER notes_search_fts_update AFTER UPDATE OF title, body ON notes_searchdocument BEGIN "
    "INSERT INTO notes_search_fts(notes_search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO notes_search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
FTS5_DROP_SQL = [
    "DROP TRIGGER IF EXISTS notes_search_fts_update",
    "DROP TRIGGER IF EXISTS notes_search_fts_delete",
    "DROP TRIGGER IF EXISTS notes_search_fts_insert",
    "DROP TABLE IF EXISTS notes_search_fts",
]
VECTOR_SQL = (
    "UPDATE notes_searchdocument SET vector = "
    "setweight(to_tsvector(%s::regconfig, title), 'A') || setweight(to_tsvector(%s::regconfig, body), 'B') "
    "WHERE id = ANY(%s)"
)


def _vector_index() -> GinIndex:
    return GinIndex(fields=["vector"], name=VECTOR_INDEX, fastupdate=False)


def _old_chapter_index() -> GinIndex:
    vector = SearchVector("title", weight="A", config="english") + SearchVector(
        "body_html", weight="B", config="english"
    )
    return GinIndex(vector, name=OLD_CHAPTER_INDEX)


def add_vector_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("notes", "SearchDocument"), _vector_index())


def remove_vector_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("notes", "SearchDocument"), _vector_index())


def create_fts(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in FTS5_SQL:
            schema_editor.execute(statement)


def drop_fts(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in FTS5_DROP_SQL:
            schema_editor.execute(statement)


def index_existing(apps, schema_editor) -> None:
    connection = schema_editor.connection
    SearchDocument = apps.get_model("notes", "SearchDocument")
    sources = [
        (apps.get_model("notes", "Book").objects.all(), lambda book: documents.book_documents(book)),
        (
            apps.get_model("notes", "Chapter").objects.select_related("book"),
            lambda chapter: documents.chapter_documents(chapter, chapter.book),
        ),
        (
            apps.get_model("notes", "ComparisonTable").objects.select_related("chapter__book"),
            lambda table: documents.table_documents(table, table.chapter, table.chapter.book),
        ),
        (
            apps.get_model("notes", "Thread").objects.select_related("chapter__book"),
            lambda thread: documents.thread_documents(thread, thread.chapter, thread.chapter.book),
        ),
        (
            apps.get_model("notes", "Comment").objects.select_related("author", "thread__chapter__book"),
            lambda comment: documents.comment_documents(
                comment, comment.thread, comment.thread.chapter, comment.thread.chapter.book, comment.author.username
            ),
        ),
    ]
    for queryset, build in sources:
        for obj in queryset.order_by("pk").iterator(chunk_size=200):
            docs = build(obj)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for doc in docs:
                        doc.body = documents.fit_body(cursor, doc.body)
            rows = SearchDocument.objects.bulk_create(SearchDocument(**vars(doc)) for doc in docs)
            if rows and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    config = documents.SEARCH_CONFIG
                    cursor.execute(VECTOR_SQL, [config, config, [row.pk for row in rows]])


def forget_documents(apps, schema_editor) -> None:
    apps.get_model("notes", "SearchDocument").objects.all().delete()


def drop_old_chapter_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_CHAPTER_INDEX}")


def restore_old_chapter_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("notes", "Chapter"), _old_chapter_index())


class Migration(migrations.Migration):
    dependencies = [("notes", "0011c_notification_once_per_event")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("book", "Books"),
                            ("chapter", "Chapters"),
                            ("table", "Tables"),
                            ("thread", "Threads"),
                            ("comment", "Comments"),
                        ],
                        max_length=10,
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("part", models.PositiveIntegerField(default=0)),
                ("title", models.CharField(blank=True, default="", max_length=500)),
                ("body", models.TextField(blank=True, default="")),
                ("label", models.CharField(max_length=500)),
                ("context", models.CharField(blank=True, default="", max_length=500)),
                ("url", models.CharField(max_length=500)),
                ("is_hidden", models.BooleanField(default=False)),
                ("vector", SearchVectorField(editable=False, null=True)),
                (
                    "book",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="notes.book"
                    ),
                ),
                (
                    "chapter",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="notes.chapter",
                    ),
                ),
            ],
            options={
                "ordering": ["kind", "object_id", "part"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id", "part"), name="search_document_unique_place"
                    )
                ],
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="searchdocument", index=_vector_index())],
            database_operations=[migrations.RunPython(add_vector_index, remove_vector_index)],
        ),
        migrations.RunPython(create_fts, drop_fts),
        migrations.RunPython(index_existing, forget_documents),
        migrations.RunPython(drop_old_chapter_index, restore_old_chapter_index),
    ]
