"""The table grid autosaves like the text editor: a draft of the table started on the
first save and saved into after, never over a newer save; the editor opens on it, submits
it, and discarding it goes back to the published grid."""

import pytest

from notes.models import ChangeRequest

pytestmark = pytest.mark.django_db

Status = ChangeRequest.Status
EDIT = "/books/test-book/chapters/1/tables/table-1/edit/"
AUTOSAVE = "/books/test-book/chapters/1/tables/table-1/edit/autosave/"
# The grid as its form posts it: make_table's three columns, a row added and moved first.
GRID = {
    "title": "Table table-1",
    "summary": "",
    "columns": "3",
    "rows": "3",
    "header-0": "Aspect",
    "header-1": "Left",
    "header-2": "Right",
    "cell-0-0": "Size",
    "cell-0-1": "small",
    "cell-0-2": "large",
    "cell-1-0": "Speed",
    "cell-1-1": "fast",
    "cell-1-2": "slow",
    "cell-2-0": "Cost",
    "cell-2-1": "low",
    "cell-2-2": "high",
}


def _autosave(client, url=AUTOSAVE, **fields):
    return client.post(url, {**GRID, **fields})


def test_the_grids_first_autosave_starts_a_draft_of_the_table(client_for, editor, chapter):
    response = _autosave(client_for(editor))
    assert response.status_code == 200
    draft = ChangeRequest.objects.get(pk=response.json()["draft"])
    assert (draft.kind, draft.status, draft.table.slug) == (
        ChangeRequest.Kind.TABLE_EDIT,
        Status.DRAFT,
        "table-1",
    )
    assert draft.rows == [["Size", "small", "large"], ["Speed", "fast", "slow"], ["Cost", "low", "high"]]
    assert response.json()["url"] == f"/reviews/{draft.pk}/autosave/"


def test_later_autosaves_save_the_grid_into_the_draft_and_a_grid_button_is_not_applied(
    client_for, editor, chapter
):
    client = client_for(editor)
    first = _autosave(client).json()
    second = _autosave(
        client, first["url"], revision=first["revision"], **{"cell-0-1": "tiny", "grid": "add-row"}
    )
    assert second.status_code == 200
    draft = ChangeRequest.objects.get()
    assert draft.rows[0] == ["Size", "tiny", "large"] and len(draft.rows) == 3


def test_an_autosave_from_an_older_revision_is_refused_and_writes_nothing(client_for, editor, chapter):
    client = client_for(editor)
    first = _autosave(client).json()
    _autosave(client, first["url"], revision=first["revision"], **{"cell-0-1": "newer tab"})
    stale = _autosave(client, first["url"], revision=first["revision"], **{"cell-0-1": "older tab"})
    assert stale.status_code == 409
    assert "saved elsewhere since you opened it" in stale.json()["error"]
    assert ChangeRequest.objects.get().rows[0][1] == "newer tab"


def test_a_second_draft_of_the_same_table_is_refused(client_for, editor, chapter):
    client = client_for(editor)
    _autosave(client)
    again = _autosave(client)
    assert again.status_code == 409
    assert "You have a draft of this page" in again.json()["error"]
    assert ChangeRequest.objects.count() == 1


def test_a_grid_with_a_short_row_is_refused_by_name_and_the_draft_keeps_its_grid(client_for, editor, chapter):
    client = client_for(editor)
    first = _autosave(client).json()
    broken = {key: value for key, value in GRID.items() if key != "cell-2-2"}
    client_post = client.post(first["url"], {**broken, "revision": first["revision"]})
    assert client_post.status_code == 400
    assert "Row 3 has 2 cells but the table has 3 columns." in client_post.json()["error"]
    assert ChangeRequest.objects.get().rows[2] == ["Cost", "low", "high"]


def test_readers_cannot_autosave_a_table(client_for, reader, chapter):
    assert _autosave(client_for(reader)).status_code == 403
    assert not ChangeRequest.objects.exists()


def test_the_table_editor_opens_on_my_draft_with_the_published_grid_a_click_away(client_for, editor, chapter):
    client = client_for(editor)
    draft = _autosave(client).json()["draft"]
    response = client.get(EDIT)
    assert response.status_code == 302 and response.url == f"/reviews/{draft}/revise/"
    page = client.get(response.url).content.decode()
    assert "Edit the table “Table table-1” (your draft)" in page
    assert f'data-autosave-url="/reviews/{draft}/autosave/"' in page
    assert f'href="{EDIT}?published=1"' in page
    assert ">Size</textarea>" in page
    published = client.get(f"{EDIT}?published=1").content.decode()
    assert ">Size</textarea>" not in published and ">Speed</textarea>" in published
    assert "data-autosave-url" not in published  # it offers the draft instead of a second one


def test_submitting_the_grid_submits_its_autosaved_draft(client_for, editor, chapter):
    client = client_for(editor)
    answer = _autosave(client).json()
    response = client.post(
        EDIT,
        {
            **GRID,
            "summary": "Size row",
            "action": "submit",
            "draft": answer["draft"],
            "revision": answer["revision"],
        },
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert (request.pk, request.status, request.summary) == (answer["draft"], Status.SUBMITTED, "Size row")


def test_a_stale_submit_is_refused_on_the_page_and_keeps_the_grid_as_typed(client_for, editor, chapter):
    client = client_for(editor)
    answer = _autosave(client).json()
    _autosave(client, answer["url"], revision=answer["revision"], **{"cell-0-1": "other tab"})
    response = client.post(
        EDIT,
        {
            **GRID,
            "cell-0-1": "this tab",
            "summary": "Size row",
            "action": "submit",
            "draft": answer["draft"],
            "revision": answer["revision"],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "saved elsewhere since you opened it" in page and ">this tab</textarea>" in page
    assert ChangeRequest.objects.get().status == Status.DRAFT


def test_discarding_a_table_draft_goes_back_to_the_published_grid(client_for, editor, chapter):
    client = client_for(editor)
    draft = _autosave(client).json()["draft"]
    response = client.post(f"/reviews/{draft}/discard/")
    assert response.status_code == 302 and response.url == EDIT
    assert not ChangeRequest.objects.exists()
