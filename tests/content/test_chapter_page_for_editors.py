"""What the chapter page adds for editors: "Edit this table" beside each table, and who
else has a draft of the chapter. Readers and visitors see neither, and the anonymous page
kept in the cache never holds them, whoever filled it."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notes.models import ChangeRequest
from tests.factories import make_user, propose_chapter_edit

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"
TABLE_EDIT = "/books/test-book/chapters/1/tables/table-1/edit/"
EDIT_LINK = f'<a class="table-edit" href="{TABLE_EDIT}">Edit this table</a>'


def _page(client) -> str:
    response = client.get(CHAPTER)
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_finds_edit_this_table_beside_the_table_and_it_opens_its_grid(chapter, editor, client_for):
    client = client_for(editor)
    assert EDIT_LINK in _page(client)
    grid = client.get(TABLE_EDIT)
    assert grid.status_code == 200
    assert 'name="cell-0-0"' in grid.content.decode()


def test_a_reviewer_finds_it_too(chapter, reviewer, client_for):
    assert EDIT_LINK in _page(client_for(reviewer))


@pytest.mark.parametrize("who", ["reader", "anonymous"])
def test_readers_and_visitors_find_no_edit_link(chapter, reader, who, client_for):
    page = _page(client_for(reader if who == "reader" else None))
    assert "Edit this table" not in page
    assert "Discuss this table" in page or who == "anonymous"  # the line itself is still drawn


def test_an_editor_filling_the_shared_part_first_leaves_no_link_for_readers_or_the_anonymous_cache(
    chapter, editor, reader, client_for, django_assert_num_queries
):
    assert EDIT_LINK in _page(client_for(editor))
    assert "Edit this table" not in _page(client_for(reader))
    assert "Edit this table" not in _page(Client())
    with django_assert_num_queries(0):  # the kept anonymous page
        assert "Edit this table" not in _page(Client())
    assert EDIT_LINK in _page(client_for(editor))  # and the editor's variant is still theirs


def _draft_by(user, chapter, *, days_ago: int = 0) -> ChangeRequest:
    draft = propose_chapter_edit(user, chapter, "Half-written.", submit=False)
    if days_ago:
        ChangeRequest.objects.filter(pk=draft.pk).update(
            updated_at=F("updated_at") - datetime.timedelta(days=days_ago)
        )
    return draft


def test_an_editor_sees_who_else_has_a_draft_of_the_chapter_and_when(
    chapter, editor, other_editor, client_for
):
    _draft_by(other_editor, chapter)
    page = _page(client_for(editor))
    assert "<strong>other_editor</strong> has a draft here, saved" in page
    assert "Half-written." not in page  # who and when, never what


def test_the_drafting_notice_leaves_out_my_own_draft_and_old_ones(chapter, editor, other_editor, client_for):
    _draft_by(editor, chapter)
    _draft_by(other_editor, chapter, days_ago=30)
    page = _page(client_for(editor))
    assert "has a draft here" not in page


def test_readers_visitors_and_the_anonymous_cache_never_see_who_drafts(
    chapter, editor, other_editor, reader, client_for
):
    _draft_by(other_editor, chapter)
    assert "has a draft here" in _page(client_for(editor))
    assert "has a draft here" not in _page(client_for(reader))
    assert "has a draft here" not in _page(Client())
    assert "has a draft here" not in _page(Client())  # kept, still without it
    assert "other_editor" not in _page(Client())


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        _page(client)
    return len(context.captured_queries)


def test_an_editors_chapter_page_costs_the_same_queries_with_one_or_five_people_drafting(
    chapter, editor, client_for
):
    client = client_for(editor)
    _draft_by(make_user("drafter0", role="Editor"), chapter)
    _page(client)  # the shared part is built and kept: count only what is per viewer
    one = _queries(client)
    for index in range(1, 5):
        _draft_by(make_user(f"drafter{index}", role="Editor"), chapter)
    page = _page(client)
    assert page.count("has a draft here") == 5
    assert _queries(client) == one
