"""The editor: autosaved drafts that never overwrite a newer save, who else is on
the page, the table grid's moves, and the editor's pinned query count."""

import pytest
from django.test.utils import CaptureQueriesContext

from notes.models import ChangeRequest
from notes.services.reviews import change_request_request_changes
from tests.factories import propose_chapter_edit

Status = ChangeRequest.Status
EDIT = "/books/test-book/chapters/1/edit/"
AUTOSAVE = "/books/test-book/chapters/1/edit/autosave/"


def _autosave(client, url=AUTOSAVE, **fields):
    data = {"title": "Chapter title 1", "body": "Typed so far", "summary": "", **fields}
    return client.post(url, data)


# --- Autosave ---------------------------------------------------------------------------------


def test_the_first_autosave_starts_a_draft_without_a_summary(client_for, editor, chapter):
    response = _autosave(client_for(editor))
    assert response.status_code == 200
    answer = response.json()
    draft = ChangeRequest.objects.get(pk=answer["draft"])
    assert (draft.status, draft.body, draft.summary, draft.author) == (
        Status.DRAFT,
        "Typed so far",
        "",
        editor,
    )
    assert answer["revision"] == draft.revision
    assert answer["url"] == f"/reviews/{draft.pk}/autosave/"


def test_later_autosaves_update_the_draft_and_bump_its_revision(client_for, editor, chapter):
    client = client_for(editor)
    first = _autosave(client).json()
    second = _autosave(client, first["url"], body="Typed more", revision=first["revision"])
    assert second.status_code == 200
    assert second.json()["revision"] == first["revision"] + 1
    assert ChangeRequest.objects.get().body == "Typed more"


def test_an_autosave_based_on_an_older_revision_is_refused_and_writes_nothing(client_for, editor, chapter):
    client = client_for(editor)
    first = _autosave(client).json()
    _autosave(client, first["url"], body="From the newer tab", revision=first["revision"])
    stale = _autosave(client, first["url"], body="From the older tab", revision=first["revision"])
    assert stale.status_code == 409
    assert "saved elsewhere since you opened it" in stale.json()["error"]
    assert ChangeRequest.objects.get().body == "From the newer tab"


def test_a_second_draft_of_the_same_chapter_is_refused(client_for, editor, chapter):
    client = client_for(editor)
    draft = _autosave(client).json()["draft"]
    again = _autosave(client, body="Another tab, fresh editor")
    assert again.status_code == 409
    assert f"request #{draft}" in again.json()["error"]
    assert ChangeRequest.objects.count() == 1


def test_bad_autosave_input_gets_a_400_with_a_message(client_for, editor, chapter):
    client = client_for(editor)
    answer = _autosave(client).json()
    bad_revision = _autosave(client, answer["url"], revision="٣")
    assert bad_revision.status_code == 400
    assert "digits 0-9" in bad_revision.json()["error"]
    too_long = _autosave(client, answer["url"], revision=answer["revision"], title="x" * 201)
    assert too_long.status_code == 400
    assert "the limit is 200" in too_long.json()["error"]
    assert ChangeRequest.objects.get().body == "Typed so far"


def test_nobody_else_saves_into_a_draft(client_for, editor, other_editor, reader, chapter):
    answer = _autosave(client_for(editor)).json()
    assert _autosave(client_for(other_editor), answer["url"], revision=answer["revision"]).status_code == 403
    assert _autosave(client_for(reader), AUTOSAVE).status_code == 403
    assert client_for(editor).get(answer["url"]).status_code == 405
    assert ChangeRequest.objects.get().body == "Typed so far"


def test_submitting_the_editor_after_an_autosave_submits_that_draft_not_a_second_request(
    client_for, editor, chapter
):
    client = client_for(editor)
    answer = _autosave(client).json()
    response = client.post(
        EDIT,
        {
            "title": "Chapter title 1",
            "body": "Final text",
            "summary": "Wrote it",
            "draft": answer["draft"],
            "revision": answer["revision"],
            "action": "submit",
        },
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert (request.status, request.body, request.summary) == (Status.SUBMITTED, "Final text", "Wrote it")


def test_a_submit_based_on_a_stale_draft_is_refused_and_keeps_the_text(client_for, editor, chapter):
    client = client_for(editor)
    answer = _autosave(client).json()
    _autosave(client, answer["url"], body="Newer", revision=answer["revision"])
    response = client.post(
        EDIT,
        {
            "title": "Chapter title 1",
            "body": "Older tab's text",
            "summary": "Wrote it",
            "draft": answer["draft"],
            "revision": answer["revision"],
            "action": "submit",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "saved elsewhere since you opened it" in html
    assert "Older tab&#x27;s text" in html
    assert ChangeRequest.objects.get().body == "Newer"


def test_a_draft_without_a_summary_cannot_be_submitted_from_its_page(client_for, editor, chapter):
    client = client_for(editor)
    draft = _autosave(client).json()["draft"]
    client.post(f"/reviews/{draft}/submit/")
    assert ChangeRequest.objects.get().status == Status.DRAFT


# --- Re-opening the editor ----------------------------------------------------------------------


def test_reopening_the_editor_opens_straight_on_the_draft_which_discarding_deletes(
    client_for, editor, chapter
):
    client = client_for(editor)
    draft = _autosave(client).json()["draft"]
    response = client.get(EDIT)
    assert response.status_code == 302 and response["Location"] == f"/reviews/{draft}/revise/"
    revise = client.get(f"/reviews/{draft}/revise/").content.decode()
    assert "Typed so far" in revise
    assert f"<h1>Edit {chapter} (your draft)</h1>" in revise and "Revise request" not in revise
    assert f'data-autosave-url="/reviews/{draft}/autosave/"' in revise
    assert f'href="{EDIT}?published=1">Show the published text</a>' in revise
    assert f'action="/reviews/{draft}/discard/"' in revise
    # The published text, on request: the draft is offered to continue, not autosaved into twice.
    html = client.get(f"{EDIT}?published=1").content.decode()
    assert "You have a draft from" in html
    assert f'href="/reviews/{draft}/revise/">Continue the draft' in html
    assert "data-autosave-url" not in html  # a second draft of the page would only be refused

    response = client.post(f"/reviews/{draft}/discard/")
    assert response.status_code == 302 and response["Location"] == EDIT
    assert not ChangeRequest.objects.exists()  # deleted, not kept as a withdrawn request
    assert client.get(EDIT).status_code == 200


def test_a_reopened_request_with_a_past_is_withdrawn_again_not_deleted(client_for, editor, reviewer, chapter):
    from notes.services.reviews import change_request_reopen, change_request_withdraw

    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.")
    change_request_withdraw(change_request=request, user=editor)
    change_request_reopen(change_request=request, user=editor)
    response = client_for(editor).post(f"/reviews/{request.pk}/discard/")
    assert response.status_code == 302
    request.refresh_from_db()  # its submission notified reviewers: it has a past to keep
    assert request.status == Status.WITHDRAWN


def test_someone_elses_open_request_is_named_with_its_author_and_a_link(
    client_for, editor, other_editor, chapter
):
    theirs = propose_chapter_edit(other_editor, chapter, "Their text", "Their change")
    propose_chapter_edit(other_editor, chapter, "A private draft", "Private", submit=False)
    html = client_for(editor).get(EDIT).content.decode()
    assert "Someone else is on it" in html
    assert (
        f'{other_editor.username} — <a href="/reviews/{theirs.pk}/">#{theirs.pk} “Their change”</a>' in html
    )
    assert "submitted, since" in html
    assert "Private" not in html  # other people's drafts stay theirs


def test_my_own_request_sent_back_is_offered_for_revising(client_for, editor, reviewer, chapter):
    mine = propose_chapter_edit(editor, chapter, "My text", "My change")
    html = client_for(editor).get(EDIT).content.decode()
    assert f'You already have request <a href="/reviews/{mine.pk}/">' in html
    assert f'It waits for a reviewer: <a href="/reviews/{mine.pk}/revise/">amend it</a>' in html
    change_request_request_changes(change_request=mine, reviewer=reviewer, comment="Shorter, please")
    html = client_for(editor).get(EDIT).content.decode()
    assert f'<a href="/reviews/{mine.pk}/revise/">Revise it</a> instead of starting a second one' in html
    assert "Someone else is on it" not in html


def test_the_table_editor_names_open_requests_on_that_table(client_for, editor, other_editor, chapter):
    from tests.factories import propose_table_edit

    table = chapter.tables.get()
    theirs = propose_table_edit(other_editor, table, [["Speed", "a", "b"], ["Cost", "c", "d"]])
    html = client_for(editor).get(f"/books/test-book/chapters/1/tables/{table.slug}/edit/").content.decode()
    assert f'href="/reviews/{theirs.pk}/"' in html and "Someone else is on it" in html
    assert "Someone else is on it" not in client_for(editor).get(EDIT).content.decode()


# --- The table grid -----------------------------------------------------------------------------


def _grid(client, table, grid):
    data = {"title": table.title, "columns": 3, "rows": 2, "summary": "", "grid": grid}
    for column, header in enumerate(["Aspect", "Left", "Right"]):
        data[f"header-{column}"] = header
    for row, cells in enumerate([["Speed", "fast", "slow"], ["Cost", "low\nand falling", "high"]]):
        for column, cell in enumerate(cells):
            data[f"cell-{row}-{column}"] = cell
    response = client.post(f"/books/test-book/chapters/1/tables/{table.slug}/edit/", data)
    assert response.status_code == 200
    return response.context["headers"], response.context["rows"]


@pytest.mark.parametrize(
    ("grid", "headers", "rows"),
    [
        (
            "move-row-down-0",
            ["Aspect", "Left", "Right"],
            [["Cost", "low and falling", "high"], ["Speed", "fast", "slow"]],
        ),
        (
            "move-row-up-1",
            ["Aspect", "Left", "Right"],
            [["Cost", "low and falling", "high"], ["Speed", "fast", "slow"]],
        ),
        (
            "move-column-right-0",
            ["Left", "Aspect", "Right"],
            [["fast", "Speed", "slow"], ["low and falling", "Cost", "high"]],
        ),
        (
            "move-column-left-2",
            ["Aspect", "Right", "Left"],
            [["Speed", "slow", "fast"], ["Cost", "high", "low and falling"]],
        ),
        # Off the edge, or not a number: the grid as it was.
        (
            "move-row-up-0",
            ["Aspect", "Left", "Right"],
            [["Speed", "fast", "slow"], ["Cost", "low and falling", "high"]],
        ),
        (
            "move-column-right-2",
            ["Aspect", "Left", "Right"],
            [["Speed", "fast", "slow"], ["Cost", "low and falling", "high"]],
        ),
        (
            "move-row-down-²",
            ["Aspect", "Left", "Right"],
            [["Speed", "fast", "slow"], ["Cost", "low and falling", "high"]],
        ),
    ],
)
def test_grid_buttons_move_rows_and_columns_and_save_nothing(
    client_for, editor, chapter, grid, headers, rows
):
    table = chapter.tables.get()
    assert _grid(client_for(editor), table, grid) == (headers, rows)
    assert ChangeRequest.objects.count() == 0


# --- Pinned queries -----------------------------------------------------------------------------

# Session, the nav's review count (the user with their roles and unseen count come from the
# cache); the chapter, its newest version, the open requests
# on it (with their authors): the same whether none, one or many are open, drafts included.
EDITOR_QUERIES = 6


def _count(client, url):
    """The queries of ``url`` after a warm-up request: the signed-in user's snapshot is
    built once after each change to it (a request proposed on a chapter they watch)."""
    from django.db import connection

    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_editor_runs_a_fixed_number_of_queries_with_a_draft_to_continue(
    client_for, editor, other_editor, chapter
):
    client = client_for(editor)
    fresh = _count(client, EDIT)
    _autosave(client)
    with_draft = _count(client, f"{EDIT}?published=1")  # the published text, the draft offered
    for index in range(12):
        propose_chapter_edit(other_editor, chapter, f"Text {index}", f"Change {index}")
    busy = _count(client, f"{EDIT}?published=1")
    assert fresh == with_draft == busy == EDITOR_QUERIES
