"""The API end to end, through HTTP only: read, propose, review, publish, and the edges
(scopes and roles, dead tokens, stale bases, ETags, the rate limit, problem+json, cursors,
private groups)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from notes.models import ApiToken
from notes.services.api_tokens import api_token_revoke
from notes.services.groups import group_create
from tests.factories import make_book, propose_chapter_edit

JSON = "application/json"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def assert_problem(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["status"] == status
    return body


def test_an_editor_proposes_with_a_token_a_reviewer_approves_and_the_history_shows_it(
    book, editor, reviewer, token_for, api
):
    editor_api = api(token_for(editor, "read", "write"))
    books = editor_api.get("/api/v1/books")
    assert books.status_code == 200
    assert [item["slug"] for item in books.json()["items"]] == ["test-book"]

    chapter = editor_api.get("/api/v1/books/test-book/chapters/2").json()
    draft = post(
        editor_api,
        "/api/v1/change-requests/chapter-edits",
        {
            "book": "test-book",
            "chapter": 2,
            "title": chapter["title"],
            "body": chapter["body"] + "\n\nA new paragraph from CI.",
            "summary": "Added a paragraph from CI",
            "base_version": chapter["version"],
            "submit": False,
        },
    )
    assert draft.status_code == 201, draft.content
    request_id = draft.json()["id"]
    assert draft.json()["status"] == "draft"
    submitted = post(editor_api, f"/api/v1/change-requests/{request_id}/submit")
    assert submitted.json()["status"] == "submitted"

    reviewer_api = api(token_for(reviewer, "read", "review"))
    approved = post(
        reviewer_api, f"/api/v1/change-requests/{request_id}/approve", {"comment": "Good", "revision": 1}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["published"] is True

    now = editor_api.get("/api/v1/books/test-book/chapters/2").json()
    assert now["body"].endswith("A new paragraph from CI.")
    assert "A new paragraph from CI." in now["body_html"]
    versions = editor_api.get("/api/v1/books/test-book/chapters/2/versions").json()["items"]
    assert versions[0]["summary"] == "Added a paragraph from CI"
    assert versions[0]["change_request"] == request_id
    diff = editor_api.get(
        f"/api/v1/books/test-book/chapters/2/diff?from={chapter['version']}&to={now['version']}"
    ).json()
    assert "+A new paragraph from CI." in diff["unified"]
    changelog = editor_api.get("/api/v1/books/test-book/changelog").json()["items"]
    assert changelog[0]["summary"] == "Added a paragraph from CI"
    assert changelog[0]["approver"] == "reviewer"
    page = Client().get("/books/test-book/changelog/")
    assert "Added a paragraph from CI" in page.content.decode()
    history = Client().get("/books/test-book/chapters/2/history/")
    assert "Added a paragraph from CI" in history.content.decode()


# Each row: role, scopes of the token, the call, the status it gets.
SCOPES_BY_ROLES = [
    ("reader", ["read"], "list", 200),
    ("reader", ["read", "write"], "propose", 403),  # readers do not propose, whatever the token
    ("editor", ["read"], "propose", 403),  # the token lacks "write"
    ("editor", ["read", "write"], "propose", 201),
    ("editor", ["write"], "list", 403),  # writes without "read" do not read
    ("editor", ["read", "write"], "approve", 403),  # editors do not review
    ("reviewer", ["read", "write"], "approve", 403),  # the token lacks "review"
    ("reviewer", ["read", "review"], "approve", 200),
    ("moderator", ["read", "moderate"], "lock", 200),
    ("editor", ["read", "write"], "lock", 403),
]


@pytest.mark.parametrize(("role", "scopes", "call", "status"), SCOPES_BY_ROLES)
def test_a_call_needs_the_scope_in_the_token_and_the_role_to_allow_it(
    request, book, other_editor, token_for, api, role, scopes, call, status
):
    from tests.factories import make_thread

    user = request.getfixturevalue(role)
    token = ApiToken.objects.create(
        user=user, name="t", prefix="abcd1234", secret_hash=_hash("secret"), scopes=scopes
    )
    client = api(f"cw_{token.prefix}_secret")
    chapter = book.chapters.get(number=1)
    if call == "list":
        response = client.get("/api/v1/books")
    elif call == "propose":
        response = post(
            client,
            "/api/v1/change-requests/chapter-edits",
            {"book": "test-book", "chapter": 1, "title": "T", "body": "b", "summary": "s"},
        )
    elif call == "approve":
        change_request = propose_chapter_edit(other_editor, chapter, "New text")
        response = post(client, f"/api/v1/change-requests/{change_request.pk}/approve", {"comment": "ok"})
    else:
        thread = make_thread(chapter=chapter, author=other_editor)
        response = post(client, f"/api/v1/threads/{thread.pk}/lock", {"reason": "done"})
    assert response.status_code == status, response.content


def _hash(secret):
    from notes.lib.api_tokens import secret_hash

    return secret_hash(secret)


def test_a_revoked_token_is_refused_with_401(book, editor, token_for, api):
    text = token_for(editor, "read")
    token = ApiToken.objects.get(user=editor)
    api_token_revoke(user=editor, token_id=token.pk)
    body = assert_problem(api(text).get("/api/v1/books"), 401)
    assert "revoked" in body["detail"]


def test_an_expired_token_is_refused_with_401(book, editor, token_for, api):
    text = token_for(editor, "read")
    ApiToken.objects.filter(user=editor).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    body = assert_problem(api(text).get("/api/v1/books"), 401)
    assert "expired" in body["detail"]


def test_a_wrong_secret_is_refused_and_the_token_appears_in_no_answer_or_log(
    book, editor, token_for, api, caplog
):
    text = token_for(editor, "read")
    wrong = text[:-4] + "AAAA"
    with caplog.at_level("DEBUG"):
        response = api(wrong).get("/api/v1/books")
    assert_problem(response, 401)
    secret = wrong.split("_", 2)[2]
    assert secret not in response.content.decode()
    assert secret not in caplog.text
    assert text.split("_", 2)[2] not in caplog.text


def test_a_stale_base_that_conflicts_gets_409_with_what_changed_and_writes_nothing(
    book, editor, other_editor, reviewer, token_for, api
):
    from notes.models import ChangeRequest

    editor_api = api(token_for(editor, "read", "write"))
    chapter = editor_api.get("/api/v1/books/test-book/chapters/1").json()
    published = propose_chapter_edit(
        other_editor, book.chapters.get(number=1), "Someone else's first line.\nThe end."
    )
    post(api(token_for(reviewer, "read", "review")), f"/api/v1/change-requests/{published.pk}/approve")
    count = ChangeRequest.objects.count()

    response = post(
        editor_api,
        "/api/v1/change-requests/chapter-edits",
        {
            "book": "test-book",
            "chapter": 1,
            "title": chapter["title"],
            "body": "My own first line.\nThe end.",
            "summary": "Mine",
            "base_version": chapter["version"],
        },
    )
    body = assert_problem(response, 409)
    assert body["conflicts"] and body["conflicts"][0]["field"] == "body"
    assert body["current_version"] != chapter["version"]
    assert ChangeRequest.objects.count() == count


def test_a_read_answers_304_when_its_etag_is_sent_back(book, editor, token_for, api):
    client = api(token_for(editor, "read"))
    first = client.get("/api/v1/books/test-book")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/api/v1/books/test-book", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/api/v1/books/test-book", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_too_many_calls_get_429_with_retry_after(book, editor, token_for, api, settings):
    settings.API_RATE_LIMIT = "3/hour"
    client = api(token_for(editor, "read"))
    for _ in range(3):
        assert client.get("/api/v1/books").status_code == 200
    response = client.get("/api/v1/books")
    body = assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "try again" in body["detail"]
    # Another token has its own count.
    assert api(token_for(editor, "read")).get("/api/v1/books").status_code == 200


def test_every_refusal_is_problem_json(book, editor, token_for, api):
    client = api(token_for(editor, "read", "write"))
    assert_problem(client.get("/api/v1/books/no-such-book"), 404)
    assert_problem(client.get("/api/v1/no/such/address"), 404)
    assert_problem(Client().post("/api/v1/change-requests/new-books", {"title": "X"}, content_type=JSON), 401)
    invalid = assert_problem(post(client, "/api/v1/change-requests/new-chapters", {"book": "test-book"}), 422)
    assert {tuple(error["loc"])[-1] for error in invalid["errors"]} >= {"number", "title"}
    refused = assert_problem(
        post(
            client,
            "/api/v1/change-requests/new-chapters",
            {"book": "test-book", "number": 1, "title": "Again", "summary": "Again"},
        ),
        422,
    )
    assert refused["detail"] == "Chapter 1 already exists in this book."
    assert_problem(client.get("/api/v1/books?cursor=not-a-cursor"), 400)


def test_a_list_walks_its_pages_by_cursor(db, editor, token_for, api):
    for number in range(5):
        make_book(slug=f"book-{number}", title=f"Book {number}", chapters=0, tables=0)
    client = api(token_for(editor, "read"))
    seen, url = [], "/api/v1/books?limit=2"
    while url:
        page = client.get(url).json()
        assert len(page["items"]) <= 2
        seen += [item["slug"] for item in page["items"]]
        url = page["next"]
    assert seen == [f"book-{number}" for number in range(5)]


def test_a_list_runs_a_fixed_number_of_queries(db, editor, token_for, api, django_assert_max_num_queries):
    for number in range(30):
        make_book(slug=f"book-{number}", title=f"Book {number}", chapters=0, tables=0)
    client = api(token_for(editor, "read"))
    with django_assert_max_num_queries(5):  # token with user, last used, roles, the page
        client.get("/api/v1/books?limit=25")
    with django_assert_max_num_queries(5):
        client.get("/api/v1/change-requests")


def test_a_private_group_is_invisible_to_outsiders(book, moderator, reader, other_editor, token_for, api):
    group_create(book=book, actor=moderator, name="Secret club", is_private=True, members=[reader])
    group_create(book=book, actor=moderator, name="Open club", members=[])
    outsider_api = api(token_for(other_editor, "read"))
    names = [group["name"] for group in outsider_api.get("/api/v1/books/test-book/groups").json()["items"]]
    assert names == ["Open club"]
    assert_problem(outsider_api.get("/api/v1/groups/secret-club"), 404)
    assert_problem(Client().get("/api/v1/groups/secret-club"), 404)
    member = api(token_for(reader, "read")).get("/api/v1/groups/secret-club")
    assert member.status_code == 200
    assert member.json()["members"] == ["reader"]


def test_someone_elses_draft_is_not_listed_nor_readable(book, editor, other_editor, token_for, api):
    draft = propose_chapter_edit(editor, book.chapters.get(number=1), "Draft text", submit=False)
    other = api(token_for(other_editor, "read"))
    assert draft.pk not in [item["id"] for item in other.get("/api/v1/change-requests").json()["items"]]
    assert_problem(other.get(f"/api/v1/change-requests/{draft.pk}"), 404)
    mine = api(token_for(editor, "read")).get(f"/api/v1/change-requests/{draft.pk}")
    assert mine.json()["body"] == "Draft text"


def test_the_browser_session_works_with_the_csrf_token_only(book, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get("/api/v1/books").status_code == 200
    body = {"book": "test-book", "number": 9, "title": "Nine", "summary": "Added chapter 9"}
    assert_problem(client.post("/api/v1/change-requests/new-chapters", body, content_type=JSON), 403)
    client.get("/account/tokens/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/change-requests/new-chapters", body, content_type=JSON, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_a_server_error_is_problem_json_and_logs_no_token(book, editor, token_for, api, monkeypatch, caplog):
    def broken(**_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("notes.api.books.selectors.book_with_contents", broken)
    text = token_for(editor, "read")
    with caplog.at_level("DEBUG"):
        response = api(text).get("/api/v1/books/test-book")
    body = assert_problem(response, 500)
    assert "database" not in body["detail"]  # the cause is logged, not shown
    assert "the database went away" in caplog.text
    assert text.split("_", 2)[2] not in caplog.text + response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/books/test-book/chapters/1/threads",
        "/api/v1/notifications",
        "/api/v1/books/test-book/chapters/1/versions",
    ],
)
def test_other_lists_run_a_fixed_number_of_queries(
    book, editor, token_for, api, url, django_assert_max_num_queries
):
    from tests.factories import make_thread

    chapter = book.chapters.get(number=1)
    for number in range(12):
        make_thread(chapter=chapter, author=editor, title=f"Question {number}")
    client = api(token_for(editor, "read"))
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_a_reviewer_publishes_part_of_a_request_through_the_api_and_the_rest_stays_open(
    chapter, editor, reviewer, token_for, api
):
    body = chapter.body.replace("Notes for", "Notes on").replace("The end.", "The very end.")
    request = propose_chapter_edit(editor, chapter, body, "Two small fixes")
    reviewer_api = api(token_for(reviewer, "read", "review"))

    listed = reviewer_api.get(f"/api/v1/change-requests/{request.pk}/changes").json()
    assert listed["revision"] == 1
    assert [change["label"] for change in listed["changes"]] == ["Change 1: line 1", "Change 2: line 3"]
    first = listed["changes"][0]["id"]

    nothing = post(
        reviewer_api, f"/api/v1/change-requests/{request.pk}/approve-part", {"changes": [], "revision": 1}
    )
    assert "Tick at least one change" in assert_problem(nothing, 422)["detail"]
    done = post(
        reviewer_api,
        f"/api/v1/change-requests/{request.pk}/approve-part",
        {"changes": [first], "revision": 1},
    )
    assert done.status_code == 200, done.content
    assert done.json()["published"] is True
    assert done.json()["message"] == "Published 1 of 2 changes; the other 1 remains for review."
    assert done.json()["change_request"]["status"] == "submitted"
    assert done.json()["change_request"]["revision"] == 2
    stale = post(
        reviewer_api,
        f"/api/v1/change-requests/{request.pk}/approve-part",
        {"changes": [first], "revision": 1},
    )
    assert "Part of this request was published or taken out" in assert_problem(stale, 422)["detail"]
    chapter.refresh_from_db()
    assert chapter.body.startswith("Notes on chapter 1.") and chapter.body.endswith("The end.")
