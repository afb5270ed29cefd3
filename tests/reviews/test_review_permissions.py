"""Who may do what in the review workflow: every role against every action, cell by cell.

The world (one book; chapter 1 and its table with two versions each; a submitted, a
draft and a sent-back request, written against the newest versions) is built once, and
every cell runs in a savepoint rolled back after it: each starts from the same fresh,
non-stale data. The expectations:

- "ok": allowed, and it took effect. A page answers 200 and writes nothing; a write
  redirects (not to the login page) and its effect is in the database: a change request
  created, a status changed or a version published.
- "queued": a revert allowed to wait for review: a revert request is submitted and
  nothing is published.
- "403": refused for a signed-in user; "login": an anonymous visitor is sent to log in.
  Either way the database is left exactly as it was.

Columns: the requests acted on belong to ``other_editor``, except in the "author" column,
where an editor acts on their own. "outsider" is signed in but in no group. The
"private-" columns run with ``WIKI_PUBLIC_READ = False``.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import NamedTuple

import pytest
from django.db import transaction

from notes.models import Book, ChangeRequest, Chapter, ComparisonTable, Review
from notes.selectors.books import latest_history_id
from notes.services.history import chapter_render, save_version, table_render
from notes.services.reviews import change_request_create, change_request_request_changes
from tests.factories import make_book, make_user

Kind = ChangeRequest.Kind
Status = ChangeRequest.Status

pytestmark = pytest.mark.django_db

# fmt: off
ROLES = [
    "anonymous", "outsider", "reader", "editor", "author", "reviewer", "moderator", "admin",
    "private-anonymous", "private-reader",
]
# Expected per column, in ROLES order.
#              anon     outsider reader editor    author    reviewer moderator admin  priv-anon priv-reader
READ =        ["ok",    "ok",    "ok",  "ok",     "ok",     "ok",    "ok",     "ok",  "login",  "ok"]
PROPOSE =     ["login", "403",   "403", "ok",     "ok",     "ok",    "403",    "ok",  "login",  "403"]
REVIEW =      ["login", "403",   "403", "403",    "403",    "ok",    "403",    "ok",  "login",  "403"]
AUTHOR_ONLY = ["login", "403",   "403", "403",    "ok",     "403",   "403",    "403", "login",  "403"]
DRAFT_READ =  ["login", "403",   "403", "403",    "ok",     "403",   "403",    "ok",  "login",  "403"]
REVERT =      ["login", "403",   "403", "queued", "queued", "ok",    "403",    "ok",  "login",  "403"]
# fmt: on


class Action(NamedTuple):
    method: str
    url: str
    data: dict
    expected: list[str]
    # What the database shows when the action took effect, per expectation ("ok", "queued").
    # No effects: a page (or the preview) that answers 200 and writes nothing.
    effects: dict[str, Callable] = {}


def _request(world, name):
    return ChangeRequest.objects.get(pk=getattr(world, name))


def _proposed(kind, **fields):
    return lambda w: ChangeRequest.objects.filter(kind=kind, status=Status.SUBMITTED, **fields).exists()


def _status_is(name, status):
    return lambda w: _request(w, name).status == status


def _approved(w):
    pending = _request(w, "pending")
    chapter = Chapter.objects.get(pk=w.chapter)
    return (
        pending.status == Status.APPROVED
        and chapter.body == pending.body
        and Chapter.history.filter(change_request=pending).count() == 1
    )


def _revised(w):
    request = _request(w, "sent_back")
    return (request.status, request.revision, request.body) == (Status.SUBMITTED, 2, "Revised notes.\n")


def _revert_published(model, version, fields):
    """A new version of ``model`` by an approved revert, holding ``version``'s content again."""

    def published(w):
        revert = ChangeRequest.objects.filter(kind=Kind.REVERT, status=Status.APPROVED).first()
        if revert is None:
            return False
        old = model.history.get(history_id=getattr(w, version))
        new = model.history.filter(id=old.id, history_id=revert.published_history_id).first()
        current = model.objects.get(pk=old.id)
        return (
            new is not None
            and new.change_request_id == revert.pk
            and new.history_change_reason == "Reverted to version 1"
            and [getattr(current, name) for name in fields] == [getattr(old, name) for name in fields]
        )

    return published


def _revert_waiting(w):
    return (
        ChangeRequest.objects.filter(kind=Kind.REVERT, status=Status.SUBMITTED).exists()
        and not ChangeRequest.objects.filter(kind=Kind.REVERT, status=Status.APPROVED).exists()
    )


CHAPTER = "/books/test-book/chapters/1"
TABLE = f"{CHAPTER}/tables/table-1"
GRID = {"columns": "2", "rows": "1", "header-0": "A", "header-1": "B", "cell-0-0": "1", "cell-0-1": "2"}

ACTIONS = {
    # Reading pages: anyone who reads the wiki.
    "chapter history": Action("get", f"{CHAPTER}/history/", {}, READ),
    "view old version": Action("get", f"{CHAPTER}/history/?version={{chapter_v1}}", {}, READ),
    "compare versions": Action("get", f"{CHAPTER}/history/?from={{chapter_v1}}&to={{chapter_v2}}", {}, READ),
    "table history": Action("get", f"{TABLE}/history/", {}, READ),
    "view old table version": Action("get", f"{TABLE}/history/?version={{table_v1}}", {}, READ),
    "compare table versions": Action("get", f"{TABLE}/history/?from={{table_v1}}&to={{table_v2}}", {}, READ),
    "recent feed": Action("get", "/recent/feed.atom", {}, READ),
    "changelog feed": Action("get", "/books/test-book/changelog/feed.atom", {}, READ),
    # Proposing: editors, reviewers and admins.
    "review queue": Action("get", "/reviews/", {}, PROPOSE),
    "change request page": Action("get", "/reviews/{pending}/", {}, PROPOSE),
    # A draft is its author's (and admins') until it is submitted.
    "draft page": Action("get", "/reviews/{draft}/", {}, DRAFT_READ),
    # ?published: the editor itself (its author would be sent on to their draft of the chapter).
    "chapter editor": Action("get", f"{CHAPTER}/edit/?published=1", {}, PROPOSE),
    "propose chapter edit": Action(
        "post",
        f"{CHAPTER}/edit/",
        {"title": "T", "body": "Matrix notes.\n", "summary": "Matrix edit", "action": "submit"},
        PROPOSE,
        {"ok": _proposed(Kind.CHAPTER_EDIT, summary="Matrix edit", body="Matrix notes.\n")},
    ),
    "new chapter form": Action("get", "/books/test-book/chapters/new/", {}, PROPOSE),
    "propose new chapter": Action(
        "post",
        "/books/test-book/chapters/new/",
        {"number": 2, "title": "Deployment", "body": "Notes", "summary": "Added 2", "action": "submit"},
        PROPOSE,
        {"ok": _proposed(Kind.CHAPTER_NEW, number=2, title="Deployment")},
    ),
    "book details form": Action("get", "/books/test-book/edit/", {}, PROPOSE),
    "propose book details": Action(
        "post",
        "/books/test-book/edit/",
        {
            "title": "Test Book",
            "book_author": "Someone Else",
            "book_domains": "ML",
            "body": "About.",
            "summary": "Author",
            "action": "submit",
        },
        PROPOSE,
        {"ok": _proposed(Kind.BOOK_EDIT, book_author="Someone Else")},
    ),
    "table grid": Action("get", f"{TABLE}/edit/", {}, PROPOSE),
    "propose table edit": Action(
        "post",
        f"{TABLE}/edit/",
        {**GRID, "title": "T", "summary": "Reshaped", "action": "submit"},
        PROPOSE,
        {"ok": _proposed(Kind.TABLE_EDIT, headers=["A", "B"], rows=[["1", "2"]])},
    ),
    "new table form": Action("get", f"{CHAPTER}/new-table/", {}, PROPOSE),
    "propose new table": Action(
        "post",
        f"{CHAPTER}/new-table/",
        {**GRID, "slug": "matrix-table", "title": "T", "summary": "New table", "action": "submit"},
        PROPOSE,
        {"ok": _proposed(Kind.TABLE_NEW, slug="matrix-table", rows=[["1", "2"]])},
    ),
    "live preview": Action("post", "/preview/markdown/", {"content": "*x*"}, PROPOSE),
    "revert chapter": Action(
        "post",
        f"{CHAPTER}/history/{{chapter_v1}}/revert/",
        {},
        REVERT,
        {"ok": _revert_published(Chapter, "chapter_v1", ["title", "body"]), "queued": _revert_waiting},
    ),
    "revert table": Action(
        "post",
        f"{TABLE}/history/{{table_v1}}/revert/",
        {},
        REVERT,
        {
            "ok": _revert_published(ComparisonTable, "table_v1", ["title", "headers", "rows"]),
            "queued": _revert_waiting,
        },
    ),
    # Reviewing someone else's request: reviewers and admins.
    "approve": Action("post", "/reviews/{pending}/approve/", {"revision": 1}, REVIEW, {"ok": _approved}),
    "request changes": Action(
        "post",
        "/reviews/{pending}/request-changes/",
        {"revision": 1, "comment": "Say more."},
        REVIEW,
        {"ok": _status_is("pending", Status.CHANGES_REQUESTED)},
    ),
    "reject": Action(
        "post",
        "/reviews/{pending}/reject/",
        {"revision": 1, "comment": "Off topic."},
        REVIEW,
        {"ok": _status_is("pending", Status.REJECTED)},
    ),
    # The author's own request: nobody else, admins included.
    "withdraw": Action(
        "post",
        "/reviews/{pending}/withdraw/",
        {},
        AUTHOR_ONLY,
        {"ok": _status_is("pending", Status.WITHDRAWN)},
    ),
    "submit draft": Action(
        "post", "/reviews/{draft}/submit/", {}, AUTHOR_ONLY, {"ok": _status_is("draft", Status.SUBMITTED)}
    ),
    "revise form": Action("get", "/reviews/{sent_back}/revise/", {}, AUTHOR_ONLY),
    "revise": Action(
        "post",
        "/reviews/{sent_back}/revise/",
        {"title": "T", "body": "Revised notes.\n", "summary": "Revised", "action": "submit"},
        AUTHOR_ONLY,
        {"ok": _revised},
    ),
}
CELLS = [
    pytest.param(name, role, action.expected[index], id=f"{name}-{role}")
    for name, action in ACTIONS.items()
    for index, role in enumerate(ROLES)
]


def _propose(owner, chapter, body, *, submit=True):
    return change_request_create(
        author=owner,
        book=chapter.book,
        kind=Kind.CHAPTER_EDIT,
        chapter=chapter,
        summary=f"Proposed {body.strip()}",
        content={"title": chapter.title, "body": body},
        submit=submit,
    )


def build_world() -> SimpleNamespace:
    """The cast, chapter 1 and its table with two versions each, then each owner's requests.

    Every request is written against the newest versions, so none is stale: an approval
    publishes cleanly. ``other_editor`` and ``editor`` (the "author" column) each own a
    submitted, a draft and a sent-back request.
    """
    users = {
        role: make_user(role, role=role.capitalize())
        for role in ("reader", "editor", "reviewer", "moderator")
    }
    users.update(
        anonymous=None,
        outsider=make_user("outsider"),
        admin=make_user("admin", staff=True),
        other_editor=make_user("other_editor", role="Editor"),
    )
    users["author"] = users["editor"]
    book = make_book(slug="test-book", title="Test Book", chapters=1, tables=1)
    chapter = book.chapters.get()
    table = chapter.tables.get()
    chapter_v1 = latest_history_id(Chapter, chapter.pk)
    chapter.body += "\nA second version.\n"
    chapter_render(chapter)
    save_version(chapter, summary="A second version")
    table_v1 = latest_history_id(ComparisonTable, table.pk)
    table.rows = [["Speed", "faster", "slow"], ["Cost", "low", "high"]]
    table_render(table)
    save_version(table, summary="Faster")

    requests = {}
    for owner in ("other_editor", "editor"):
        sent_back = _propose(users[owner], chapter, "Sent back.\n")
        change_request_request_changes(change_request=sent_back, reviewer=users["reviewer"], comment="More.")
        requests[owner] = {
            "pending": _propose(users[owner], chapter, "Pending.\n").pk,
            "draft": _propose(users[owner], chapter, "Draft.\n", submit=False).pk,
            "sent_back": sent_back.pk,
        }
    return SimpleNamespace(
        users=users,
        requests=requests,
        places={
            "chapter": chapter.pk,
            "chapter_v1": chapter_v1,
            "chapter_v2": latest_history_id(Chapter, chapter.pk),
            "table_v1": table_v1,
            "table_v2": latest_history_id(ComparisonTable, table.pk),
        },
        state=database_state(),
    )


def database_state():
    """Everything an action of the review workflow could write."""
    return (
        list(ChangeRequest.objects.order_by("pk").values_list("pk", "status", "revision", "summary", "body")),
        list(Review.objects.order_by("pk").values_list("pk", flat=True)),
        [
            list(model.history.order_by("history_id").values_list("history_id", flat=True))
            for model in (Book, Chapter, ComparisonTable)
        ],
        list(Book.objects.values_list("title", "summary", "author", "domains")),
        list(Chapter.objects.order_by("pk").values_list("pk", "title", "body", "body_html")),
        list(ComparisonTable.objects.order_by("pk").values_list("pk", "title", "headers", "rows")),
    )


@pytest.fixture(scope="module")
def review_world(django_db_setup, django_db_blocker):
    """Built once, in a transaction rolled back after the module.

    Each cell runs inside it in its own savepoint (pytest-django's ``db``), rolled back after
    the cell, so every cell starts from this same fresh state. Building it per cell took the
    matrix from about 4 to 11 seconds.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize(("action", "role", "expected"), CELLS)
def test_permission_matrix(settings, client_for, review_world, action, role, expected):
    if role.startswith("private-"):
        settings.WIKI_PUBLIC_READ = False
    user = review_world.users[role.removeprefix("private-")]
    owner = "editor" if role == "author" else "other_editor"
    cell = SimpleNamespace(**review_world.places, **review_world.requests[owner])
    method, url, data, _, effects = ACTIONS[action]
    assert database_state() == review_world.state, "every cell starts from the same fresh world"

    response = getattr(client_for(user), method)(url.format(**vars(cell)), data)

    if expected == "login":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    elif expected == "403":
        assert response.status_code == 403
    elif not effects:
        assert response.status_code == 200, response.status_code
    else:
        assert response.status_code == 302, response.status_code
        assert not response.url.startswith("/accounts/login/")
    for outcome, took_effect in effects.items():
        assert took_effect(cell) == (expected == outcome), f"took effect as {outcome!r}"
    if expected not in effects:
        assert database_state() == review_world.state, "nothing may be written"
