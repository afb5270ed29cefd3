"""Take the ids off headings in the comments already stored.

Comments are now rendered without heading ids (``render_markdown(..., heading_ids=False)``):
a heading such as ``# comment 3`` took the id ``comment-3``, the anchor of a real comment
on the same thread page. Pages show the stored HTML, so the ids already in it go too.
Earlier versions (``CommentRevision``) are left as they were written: the history page
shows no comment anchors, and a revision is never rewritten.
"""

import re

from django.db import migrations

HEADING_WITH_ID = re.compile(r'<h([1-6]) id="[^"]*">')
BATCH = 500


def strip_heading_ids(apps, schema_editor) -> None:
    Comment = apps.get_model("notes", "Comment")
    changed = []
    for comment in Comment.objects.filter(body_html__contains=" id=").only("pk", "body_html").iterator():
        html = HEADING_WITH_ID.sub(r"<h\1>", comment.body_html)
        if html != comment.body_html:
            comment.body_html = html
            changed.append(comment)
        if len(changed) >= BATCH:
            Comment.objects.bulk_update(changed, ["body_html"])
            changed = []
    if changed:
        Comment.objects.bulk_update(changed, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0008_thread_rename"),
    ]

    # Going back leaves the HTML without heading ids, which the older code shows just as well.
    operations = [migrations.RunPython(strip_heading_ids, migrations.RunPython.noop)]
