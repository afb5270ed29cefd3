"""Each kind's GIN index of the search vectors on an expression, and one book's places in
order (PostgreSQL's GIN indexes; the btree index on both databases).

The search takes each kind's first matches in the order of its places and stops there
(``notes.selectors.search_engine``): walking the places in order stops early for a common
word, while a rare one is cheaper looked up in the GIN index. PostgreSQL chooses from the
word's frequency, but its statistics of ``vector`` are the whole table's: a word common in
chapters and absent from tables looked common in tables too, and the planner walked every
table. 0030's partial indexes (``WHERE kind = ...``) give no statistics; an index on
``CASE WHEN kind = ... THEN vector END`` does (ANALYZE gathers them over that kind's rows,
the others being NULL), and answers the same queries. Raw SQL, as 0010's and 0030's.
"""

from django.db import migrations, models

KINDS = ("book", "chapter", "table", "thread", "comment")


def _index_each_kind(schema_editor, *, indexed: str, where: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_document_vector_{kind}")
        schema_editor.execute(
            f"CREATE INDEX search_document_vector_{kind} ON notes_searchdocument "
            f"USING gin ({indexed.format(kind=kind)}) WITH (fastupdate = off){where.format(kind=kind)}"
        )


def add_expression_indexes(apps, schema_editor) -> None:
    _index_each_kind(schema_editor, indexed="(CASE WHEN kind = '{kind}' THEN vector END)", where="")
    if schema_editor.connection.vendor == "postgresql":
        # The planner's choice needs the new statistics before the first search.
        schema_editor.execute("ANALYZE notes_searchdocument")


def add_partial_indexes(apps, schema_editor) -> None:
    """0030's indexes, back."""
    _index_each_kind(schema_editor, indexed="vector", where=" WHERE kind = '{kind}'")


class Migration(migrations.Migration):
    dependencies = [("notes", "0035_changelog_indexes")]

    operations = [
        migrations.RunPython(add_expression_indexes, add_partial_indexes, elidable=False),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["book", "kind", "object_id", "part"], name="search_document_book_place"
            ),
        ),
    ]
