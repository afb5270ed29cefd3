"""A comparison table's history: every published version, one version as it was, any two compared."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notes.models import ChangeRequest, ComparisonTable
from notes.services.reviews import change_request_approve, change_request_create

pytestmark = pytest.mark.django_db

URL = "/books/test-book/chapters/1/tables/table-1/history/"


def publish_cells(table, editor, reviewer, rows, summary="Corrected the costs"):
    request = change_request_create(
        author=editor,
        book=table.chapter.book,
        chapter=table.chapter,
        table=table,
        kind=ChangeRequest.Kind.TABLE_EDIT,
        summary=summary,
        content={"title": table.title, "headers": table.headers, "rows": rows},
        submit=True,
    )
    change_request_approve(change_request=request, reviewer=reviewer)
    table.refresh_from_db()


def test_the_table_history_lists_versions_with_summary_author_and_approver(
    client_for, editor, reviewer, reader, table
):
    publish_cells(table, editor, reviewer, [["Speed", "fast", "slow"], ["Cost", "lower", "high"]])
    html = client_for(reader).get(URL).content.decode()
    assert "History of the table Table table-1" in html
    assert "Corrected the costs" in html
    assert '<td data-label="Author">editor</td>' in html and '<td data-label="Approver">reviewer</td>' in html
    # The table page links here.
    assert URL in client_for(reader).get("/books/test-book/chapters/1/tables/table-1/").content.decode()


def test_an_old_version_shows_the_table_as_it_was(client_for, editor, reviewer, reader, table):
    first = table.history.earliest("history_id")
    publish_cells(table, editor, reviewer, [["Speed", "fast", "slow"], ["Cost", "lower", "high"]])
    html = client_for(reader).get(f"{URL}?version={first.history_id}").content.decode()
    assert "Version 1" in html
    assert "<td>low</td>" in html and "<td>lower</td>" not in html


def test_two_versions_compare_cell_by_cell(client_for, editor, reviewer, reader, table):
    publish_cells(table, editor, reviewer, [["Speed", "fast", "slow"], ["Cost", "lower", "high"]])
    publish_cells(table, editor, reviewer, [["Speed", "fast", "slow"]], summary="Dropped the cost row")
    first, _, third = table.history.order_by("history_id")
    html = client_for(reader).get(f"{URL}?from={first.history_id}&to={third.history_id}").content.decode()
    assert "Version 1 → version 3" in html
    assert "1 row removed" in html and "removed row" in html
    assert "<del>Cost</del>" in html


def test_versions_of_another_table_are_refused_with_a_message(client_for, reader, book, table):
    other = ComparisonTable.objects.filter(chapter__number=2).get()
    theirs = other.history.get().history_id
    mine = table.history.get().history_id
    client = client_for(reader)
    response = client.get(f"{URL}?from={mine}&to={theirs}")
    assert response.status_code == 400
    assert "only be compared within one table" in response.content.decode()
    response = client.get(f"{URL}?version={theirs}")
    assert response.status_code == 400
    assert "does not belong to this table" in response.content.decode()


def test_unknown_tables_are_404_and_private_wikis_need_login(client_for, settings, reader, table):
    assert client_for(reader).get("/books/test-book/chapters/1/tables/nope/history/").status_code == 404
    settings.WIKI_PUBLIC_READ = False
    assert client_for(None).get(URL).status_code == 302


def test_the_table_history_runs_the_same_queries_for_2_and_20_versions(
    client_for, editor, reviewer, reader, table
):
    client = client_for(reader)

    def queries():
        client.get(URL)  # the reader's snapshot is built once after a change to it
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    for index in range(1):
        publish_cells(table, editor, reviewer, [["Speed", "fast", f"slow {index}"]])
    small = queries()
    for index in range(18):
        publish_cells(table, editor, reviewer, [["Speed", "fast", f"slower {index}"]])
    assert table.history.count() == 20
    assert (
        queries() == small == 4
    )  # session (the user and the nav's counts come from the cache); the versions and their count


def test_a_reviewer_reverts_a_table_and_an_editors_revert_waits(
    client_for, editor, reviewer, other_reviewer, table
):
    first = table.history.earliest("history_id")
    publish_cells(table, editor, reviewer, [["Speed", "fast", "slow"], ["Cost", "lower", "high"]])
    page = client_for(reviewer).get(URL).content.decode()
    assert f"{URL}{first.history_id}/revert/" in page and "Revert to version 1" in page

    response = client_for(editor).post(f"{URL}{first.history_id}/revert/", follow=True)
    assert "Your revert is waiting for a reviewer." in response.content.decode()
    table.refresh_from_db()
    assert table.rows[1][1] == "lower"

    response = client_for(other_reviewer).post(f"{URL}{first.history_id}/revert/", follow=True)
    assert "Reverted to version 1: published as a new version." in response.content.decode()
    table.refresh_from_db()
    assert table.rows[1][1] == "low" and table.history.count() == 3
    assert "<td>low</td>" in table.chapter.__class__.objects.get(pk=table.chapter_id).body_html


def test_readers_cannot_revert_a_table(client_for, reader, table, editor, reviewer):
    first = table.history.earliest("history_id")
    publish_cells(table, editor, reviewer, [["Speed", "fast", "slow"], ["Cost", "lower", "high"]])
    assert "Revert to version" not in client_for(reader).get(URL).content.decode()
    assert client_for(reader).post(f"{URL}{first.history_id}/revert/").status_code == 403
    assert client_for(None).post(f"{URL}{first.history_id}/revert/").status_code == 302
    table.refresh_from_db()
    assert table.rows[1][1] == "lower"
