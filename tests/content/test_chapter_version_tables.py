"""An old chapter version shows its comparison tables as they were at that version's date."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.models import ChangeRequest, Chapter
from notes.services.reviews import change_request_approve, change_request_create

pytestmark = pytest.mark.django_db

URL = "/books/test-book/chapters/1/history/"


def publish(editor, reviewer, chapter, *, kind, content, table=None, summary="Edited"):
    request = change_request_create(
        author=editor,
        book=chapter.book,
        chapter=chapter,
        table=table,
        kind=kind,
        summary=summary,
        content=content,
        submit=True,
    )
    assert change_request_approve(change_request=request, reviewer=reviewer).published


def publish_chapter(editor, reviewer, chapter, body):
    publish(
        editor,
        reviewer,
        chapter,
        kind=ChangeRequest.Kind.CHAPTER_EDIT,
        content={"title": chapter.title, "body": body},
    )
    return Chapter.history.filter(id=chapter.pk).latest("history_id")


def publish_cells(editor, reviewer, table, rows):
    publish(
        editor,
        reviewer,
        table.chapter,
        kind=ChangeRequest.Kind.TABLE_EDIT,
        table=table,
        content={"title": table.title, "headers": table.headers, "rows": rows},
    )


def test_an_old_version_shows_the_table_as_it_was_then(client_for, editor, reviewer, reader, chapter, table):
    version = publish_chapter(editor, reviewer, chapter, "Second notes.\n[[table:table-1]]\n")
    publish_cells(editor, reviewer, table, [["Speed", "fast", "slow"], ["Cost", "lower", "high"]])
    client = client_for(reader)
    assert "<td>lower</td>" in client.get(chapter.get_absolute_url()).content.decode()

    html = client.get(f"{URL}?version={version.history_id}").content.decode()
    assert "Second notes." in html
    assert "<td>low</td>" in html and "<td>lower</td>" not in html
    assert "Comparison tables are shown as they were on" in html


def test_a_table_deleted_later_is_shown_in_versions_from_before(
    client_for, editor, reviewer, reader, chapter, table
):
    body = "Notes.\n[[table:table-1]]\n"
    before = publish_chapter(editor, reviewer, chapter, body)
    # Only an import's --replace deletes content; it leaves a "-" history row like this one.
    table.delete()
    after = publish_chapter(editor, reviewer, chapter, body + "More.\n")
    client = client_for(reader)
    assert "<td>low</td>" in client.get(f"{URL}?version={before.history_id}").content.decode()
    html = client.get(f"{URL}?version={after.history_id}").content.decode()
    assert "<td>low</td>" not in html and "Missing comparison table: table-1" in html


def test_viewing_a_version_runs_the_same_queries_however_many_table_versions(
    client_for, editor, reviewer, reader, chapter, table
):
    version = publish_chapter(editor, reviewer, chapter, "Second notes.\n[[table:table-1]]\n")
    client = client_for(reader)
    client.get("/")  # the reader's snapshot (roles, progress, watches) is built once

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"{URL}?version={version.history_id}").status_code == 200
        return len(context.captured_queries)

    small = count()
    for index in range(5):
        publish_cells(editor, reviewer, table, [["Speed", "fast", "slow"], ["Cost", f"cost {index}", "high"]])
    assert count() == small
