"""Chapters keep their table of contents beside their rendered HTML.

``Chapter.contents`` is made with ``body_html`` whenever a chapter is rendered; the chapters
already stored get theirs here, from the HTML and tables they already have (nothing is
re-rendered, and no version is written: the contents are a cache, not content).
"""

from django.db import migrations, models

from notes.lib.anchors import chapter_contents

BATCH = 200


def fill_contents(apps, schema_editor) -> None:
    Chapter = apps.get_model("notes", "Chapter")
    ComparisonTable = apps.get_model("notes", "ComparisonTable")
    changed = []
    for chapter in Chapter.objects.only("pk", "body_html").iterator():
        tables = (
            ComparisonTable.objects.filter(chapter_id=chapter.pk).order_by("position").only("slug", "title")
        )
        chapter.contents = chapter_contents(body_html=chapter.body_html, tables=tables)
        changed.append(chapter)
        if len(changed) >= BATCH:
            Chapter.objects.bulk_update(changed, ["contents"])
            changed = []
    if changed:
        Chapter.objects.bulk_update(changed, ["contents"])


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0013b_new_book_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="chapter",
            name="contents",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        # Going back drops the column, so there is nothing to undo in the data.
        migrations.RunPython(fill_contents, migrations.RunPython.noop),
    ]
