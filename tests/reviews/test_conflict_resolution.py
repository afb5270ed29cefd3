"""Resolving a conflict by choosing a side per conflicting part, on the server (no JS needed)."""

import pytest

from notes.lib.markup import render_markdown
from notes.lib.merging import (
    ConflictChoiceError,
    conflict_blocks,
    conflict_markers_escaped,
    conflicts_resolve,
    merge,
)
from notes.models import ChangeRequest
from notes.services.reviews import change_request_approve
from tests.factories import propose_chapter_edit

MARKED = (
    "Intro.\n"
    "<<<<<<< current\nPublished one.\n=======\nMine one.\n>>>>>>> proposed\n"
    "Middle.\n"
    "<<<<<<< current\nPublished two.\n=======\nMine two.\n>>>>>>> proposed\n"
    "End."
)


def test_the_marked_text_splits_into_agreed_text_and_conflicts_in_order():
    assert conflict_blocks(MARKED) == [
        {"text": "Intro.\n"},
        {"published": "Published one.\n", "mine": "Mine one.\n"},
        {"text": "Middle.\n"},
        {"published": "Published two.\n", "mine": "Mine two.\n"},
        {"text": "End."},
    ]


def test_each_conflict_takes_the_side_chosen_for_it():
    resolved = conflicts_resolve(MARKED, choices=["published", "mine"], edits=["", ""])
    assert resolved == "Intro.\nPublished one.\nMiddle.\nMine two.\nEnd."


def test_an_edited_part_replaces_the_conflict_with_the_authors_text():
    resolved = conflicts_resolve(MARKED, choices=["edit", "published"], edits=["Both, joined.\r\nTwice", ""])
    assert resolved == "Intro.\nBoth, joined.\nTwice\nMiddle.\nPublished two.\nEnd."


def test_a_missing_or_unknown_choice_is_refused_with_a_message():
    with pytest.raises(ConflictChoiceError, match="2 conflicts and 1 choice"):
        conflicts_resolve(MARKED, choices=["mine"], edits=[])
    with pytest.raises(ConflictChoiceError, match="Conflict 2: choose"):
        conflicts_resolve(MARKED, choices=["mine", "theirs"], edits=[])


def test_a_merge_with_conflicts_resolves_back_to_either_side():
    base, current, proposed = (
        {"body": "a\nb\nc\n"},
        {"body": "a\nB published\nc\n"},
        {"body": "a\nB mine\nc\n"},
    )
    merged, _conflicts = merge(base, current, proposed)
    assert conflicts_resolve(merged["body"], choices=["published"], edits=[]) == current["body"]
    assert conflicts_resolve(merged["body"], choices=["mine"], edits=[]) == proposed["body"]


def test_an_unpaired_marker_stays_text():
    text = "Title\n=======\nBody.\n"
    assert conflict_blocks(text) == [{"text": text}]
    assert conflict_markers_escaped(text) == text  # the author's own heading stays a heading


def test_the_preview_never_renders_a_conflict_marker_as_a_heading():
    html = render_markdown(conflict_markers_escaped(MARKED), {})
    assert "<h1" not in html and "<h2" not in html
    assert "=======" in html and "&lt;&lt;&lt;&lt;&lt;&lt;&lt; current" in html


# --- The revise page ----------------------------------------------------------------------------


@pytest.fixture
def in_conflict(editor, other_editor, reviewer, chapter):
    """Chapter 1's first line edited by two authors; the second approval conflicts."""
    published = propose_chapter_edit(other_editor, chapter, "Published first line.\nThe end.")
    mine = propose_chapter_edit(editor, chapter, "My first line " + "x" * 300 + ".\nThe end.")
    change_request_approve(change_request=published, reviewer=reviewer)
    change_request_approve(change_request=mine, reviewer=reviewer)
    mine.refresh_from_db()
    assert mine.status == ChangeRequest.Status.CONFLICT
    return mine


def _post(client, request, **choices):
    body = request.resolution["content"]["body"]
    data = {"title": request.title, "body": body, "summary": "Resolved", "action": "submit", **choices}
    return client.post(f"/reviews/{request.pk}/revise/", data)


def test_the_revise_page_shows_each_conflict_as_a_card_with_the_markers_behind_edit_as_text(
    client_for, editor, in_conflict
):
    page = client_for(editor).get(f"/reviews/{in_conflict.pk}/revise/").content.decode()
    assert page.count('class="conflict-card"') == 1
    assert "Keep published" in page and "Keep mine" in page and 'value="edit"' in page
    assert '<details class="conflict-as-text">' in page
    assert "Merged result" in page


def test_keep_published_submits_the_published_text_built_on_the_server(client_for, editor, in_conflict):
    response = _post(client_for(editor), in_conflict, **{"choice-0": "published"})
    assert response.status_code == 302
    in_conflict.refresh_from_db()
    assert (in_conflict.status, in_conflict.body) == ("submitted", "Published first line.\nThe end.")


def test_edit_submits_the_authors_text_for_the_part(client_for, editor, in_conflict):
    _post(client_for(editor), in_conflict, **{"choice-0": "edit", "edit-0": "Both lines, joined."})
    in_conflict.refresh_from_db()
    assert in_conflict.body == "Both lines, joined.\nThe end."


def test_an_unknown_choice_is_refused_and_the_text_is_kept(client_for, editor, in_conflict):
    response = _post(client_for(editor), in_conflict, **{"choice-0": "theirs"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Conflict 1: choose" in page
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt; current" in page  # the marked text, not lost
    in_conflict.refresh_from_db()
    assert in_conflict.status == "conflict"


def test_no_choice_leaves_the_text_as_typed_and_markers_are_refused_at_submit(
    client_for, editor, in_conflict
):
    response = _post(client_for(editor), in_conflict)
    assert response.status_code == 400
    assert "still holds conflict markers" in response.content.decode()
