"""The API's other resources over HTTP: revising, withdrawing and the other verdicts;
threads and comments with moderation, hidden text and spoiler folding; search;
notifications; meetings and progress; importing a notes file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from notes.models import ChangeRequest
from notes.services.groups import group_create, progress_mark
from tests.factories import make_thread, propose_chapter_edit

JSON = "application/json"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


@pytest.fixture
def editor_api(editor, token_for, api):
    return api(token_for(editor, "read", "write"))


@pytest.fixture
def reviewer_api(reviewer, token_for, api):
    return api(token_for(reviewer, "read", "review"))


def test_changes_requested_then_revised_then_approved(book, editor_api, reviewer_api):
    created = post(
        editor_api,
        "/api/v1/change-requests/chapter-edits",
        {"book": "test-book", "chapter": 1, "title": "One", "body": "First try.", "summary": "Rewrote"},
    ).json()
    sent_back = post(
        reviewer_api, f"/api/v1/change-requests/{created['id']}/request-changes", {"comment": "Say more."}
    )
    assert sent_back.json()["change_request"]["status"] == "changes_requested"
    revised = post(editor_api, f"/api/v1/change-requests/{created['id']}/revise", {"body": "Second try."})
    assert revised.status_code == 200, revised.content
    assert revised.json()["revision"] == 2
    assert revised.json()["title"] == "One"  # left out: kept
    stale = post(reviewer_api, f"/api/v1/change-requests/{created['id']}/approve", {"revision": 1})
    assert stale.status_code == 422
    assert "revised this request" in stale.json()["detail"]
    approved = post(reviewer_api, f"/api/v1/change-requests/{created['id']}/approve", {"revision": 2})
    assert approved.json()["published"] is True
    assert book.chapters.get(number=1).body == "Second try."


def test_a_reject_needs_a_comment_and_a_withdrawal_is_the_authors(
    book, editor_api, reviewer_api, other_editor, api, token_for
):
    created = post(
        editor_api,
        "/api/v1/change-requests/new-chapters",
        {"book": "test-book", "number": 7, "title": "Seven", "summary": "Added chapter 7"},
    ).json()
    refused = post(reviewer_api, f"/api/v1/change-requests/{created['id']}/reject", {"comment": ""})
    assert refused.status_code == 422
    assert "Say why in a comment" in refused.json()["detail"]
    other = api(token_for(other_editor, "read", "write"))
    assert post(other, f"/api/v1/change-requests/{created['id']}/withdraw").status_code == 403
    withdrawn = post(editor_api, f"/api/v1/change-requests/{created['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"


def test_new_tables_and_new_books_are_proposed(book, editor_api):
    table = post(
        editor_api,
        "/api/v1/change-requests/new-tables",
        {
            "book": "test-book",
            "chapter": 2,
            "slug": "costs",
            "title": "Costs",
            "headers": ["Item", "Cost"],
            "rows": [["Disk", "low"]],
            "summary": "Added a table of costs",
        },
    )
    assert table.status_code == 201, table.content
    assert table.json()["kind"] == "table_new"
    new_book = post(
        editor_api,
        "/api/v1/change-requests/new-books",
        {"title": "Another Book", "summary": "Added the book"},
    )
    assert new_book.status_code == 201
    assert new_book.json()["slug"] == "another-book"


def test_threads_replies_resolution_and_moderation(
    book, editor, moderator, reader, editor_api, token_for, api
):
    started = post(
        editor_api,
        "/api/v1/books/test-book/chapters/1/threads",
        {"title": "Why this?", "body": "Asking."},
    )
    assert started.status_code == 201, started.content
    thread_id = started.json()["id"]
    reader_api = api(token_for(reader, "read", "write"))
    reply = post(reader_api, f"/api/v1/threads/{thread_id}/comments", {"body": "Because."})
    assert reply.status_code == 201
    assert post(reader_api, f"/api/v1/threads/{thread_id}/resolve").status_code == 403  # not the starter
    assert post(editor_api, f"/api/v1/threads/{thread_id}/resolve").json()["is_resolved"] is True

    moderator_api = api(token_for(moderator, "read", "moderate"))
    hidden = post(moderator_api, f"/api/v1/comments/{reply.json()['id']}/hide", {"reason": "Off topic"})
    assert hidden.json()["is_hidden"] is True
    assert hidden.json()["body"] == "Because."  # moderators still read it
    for client in (reader_api, Client()):
        comments = client.get(f"/api/v1/threads/{thread_id}").json()["comments"]
        shown = next(comment for comment in comments if comment["id"] == reply.json()["id"])
        assert shown["is_hidden"] is True
        assert shown["body"] == "" and shown["body_html"] == ""
    assert post(moderator_api, f"/api/v1/threads/{thread_id}/lock", {"reason": "Done"}).json()["is_locked"]
    locked = post(reader_api, f"/api/v1/threads/{thread_id}/comments", {"body": "More."})
    assert locked.status_code == 422
    assert "locked" in locked.json()["detail"]


def test_threads_past_a_members_progress_are_folded(book, editor, moderator, reader, token_for, api):
    group_create(book=book, actor=moderator, name="Club", members=[reader])
    # Folding starts only once a member has said how far she has read.
    progress_mark(user=reader, book=book, chapter_number=1)
    thread = make_thread(chapter=book.chapters.get(number=3), author=editor, title="Ending spoiled")
    reader_api = api(token_for(reader, "read"))
    folded = reader_api.get("/api/v1/books/test-book/chapters/3/threads").json()
    assert folded == {"items": [], "next": None, "folded": True}
    assert reader_api.get(f"/api/v1/threads/{thread.pk}").status_code == 403
    shown = reader_api.get("/api/v1/books/test-book/chapters/3/threads?spoilers=show").json()
    assert [item["title"] for item in shown["items"]] == ["Ending spoiled"]


def test_progress_is_marked_by_members(book, moderator, reader, other_editor, token_for, api):
    group_create(book=book, actor=moderator, name="Club", members=[reader])
    marked = post(api(token_for(reader, "read", "write")), "/api/v1/books/test-book/progress", {"chapter": 2})
    assert marked.json() == {"book": "test-book", "progress": 2}
    outsider = post(
        api(token_for(other_editor, "read", "write")), "/api/v1/books/test-book/progress", {"chapter": 2}
    )
    assert outsider.status_code == 403


def test_search_finds_chapters(book, editor_api):
    found = editor_api.get("/api/v1/search?q=chapter").json()
    assert found["results"], found
    assert all("<" not in result["snippet"] for result in found["results"])


def test_notifications_are_listed_and_marked_read(book, editor, reviewer, reviewer_api, token_for, api):
    change_request = propose_chapter_edit(editor, book.chapters.get(number=1), "Changed.")
    post(reviewer_api, f"/api/v1/change-requests/{change_request.pk}/approve")
    editor_api = api(token_for(editor, "read", "write"))
    items = editor_api.get("/api/v1/notifications").json()["items"]
    assert items and items[0]["is_read"] is False
    assert post(editor_api, "/api/v1/notifications/read").json()["marked_read"] >= 1
    assert all(item["is_read"] for item in editor_api.get("/api/v1/notifications").json()["items"])
    read_only = api(token_for(editor, "read"))
    assert post(read_only, "/api/v1/notifications/read").status_code == 403


def test_a_notes_file_becomes_change_requests_as_an_upload_does(book, editor, editor_api):
    notes = b"# Imported Book\n\n## Chapter 1 - One\n\nText.\n"
    response = editor_api.post("/api/v1/imports", {"notes_file": SimpleUploadedFile("imported.md", notes)})
    assert response.status_code == 201, response.content
    [created] = response.json()["change_requests"]
    assert ChangeRequest.objects.get(pk=created["id"]).status == ChangeRequest.Status.SUBMITTED
    bad = editor_api.post("/api/v1/imports", {"notes_file": SimpleUploadedFile("notes.pdf", b"%PDF")})
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"
