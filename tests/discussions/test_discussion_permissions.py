"""Who may do what in discussions: every role against every action, cell by cell.

"ok" means the action ran (a page, or a redirect that is not the login page) and, for a
write, that its effect is in the database; "403" that it was refused; "login" that an
anonymous visitor was sent to log in. Refused writes must leave the database unchanged.
Everything acted on belongs to ``other_editor``, who is not in the matrix; authors acting
on their own comments and threads are tested below the matrix.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from notes.models import Comment, Thread
from notes.services import moderation
from notes.services.discussions import comment_post, thread_resolve
from tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "editor", "reviewer", "moderator", "admin_user"]
READ = ["ok", "ok", "ok", "ok", "ok", "ok"]
DISCUSS = ["login", "ok", "ok", "ok", "ok", "ok"]
SIGNED_IN = ["login", "ok", "ok", "ok", "ok", "ok"]
AUTHOR_ONLY = ["login", "403", "403", "403", "403", "403"]
MODERATE = ["login", "403", "403", "403", "ok", "ok"]


def _reloaded(obj):
    return type(obj).objects.get(pk=obj.pk)


# action: (method, url, data, expected per role in ROLES order, effect of success or None)
ACTIONS = {
    "thread list": ("get", "/books/test-book/chapters/1/discussion/?filter=all", {}, READ, None),
    "thread page": ("get", "/books/test-book/chapters/1/discussion/{thread}/", {}, READ, None),
    "comment link": ("get", "/discussion/comments/{reply}/", {}, READ, None),
    "comment history": ("get", "/discussion/comments/{reply}/history/", {}, READ, None),
    "user's comments": ("get", "/users/other_editor/", {}, READ, None),
    "start thread form": ("get", "/books/test-book/chapters/1/discussion/new/", {}, DISCUSS, None),
    "start thread": (
        "post",
        "/books/test-book/chapters/1/discussion/new/",
        {"title": "Matrix thread", "body": "Body", "anchor": "table:table-1"},
        DISCUSS,
        lambda w: Thread.objects.filter(title="Matrix thread", anchor_value="table-1").exists(),
    ),
    "reply to thread": (
        "post",
        "/discussion/threads/{thread}/reply/",
        {"body": "Matrix reply"},
        DISCUSS,
        lambda w: Comment.objects.filter(body="Matrix reply", parent=None).exists(),
    ),
    "reply to comment": (
        "post",
        "/discussion/threads/{thread}/reply/",
        {"body": "Matrix nested reply", "parent": "{reply}"},
        DISCUSS,
        lambda w: Comment.objects.filter(body="Matrix nested reply", parent=w.reply).exists(),
    ),
    "edit form for another's comment": ("get", "/discussion/comments/{reply}/edit/", {}, AUTHOR_ONLY, None),
    "edit another's comment": (
        "post",
        "/discussion/comments/{reply}/edit/",
        {"body": "Rewritten"},
        AUTHOR_ONLY,
        lambda w: _reloaded(w.reply).body == "Rewritten",
    ),
    "delete another's comment": (
        "post",
        "/discussion/comments/{reply}/delete/",
        {},
        AUTHOR_ONLY,
        lambda w: _reloaded(w.reply).is_deleted,
    ),
    "resolve another's thread": (
        "post",
        "/discussion/threads/{thread}/resolve/",
        {},
        MODERATE,
        lambda w: _reloaded(w.thread).is_resolved,
    ),
    "reopen another's thread": (
        "post",
        "/discussion/threads/{resolved}/reopen/",
        {},
        MODERATE,
        lambda w: not _reloaded(w.resolved).is_resolved,
    ),
    "hide form": ("get", "/discussion/comments/{reply}/hide/", {}, MODERATE, None),
    "hide": (
        "post",
        "/discussion/comments/{reply}/hide/",
        {"reason": "Off topic"},
        MODERATE,
        lambda w: _reloaded(w.reply).is_hidden,
    ),
    "unhide": (
        "post",
        "/discussion/comments/{hidden}/unhide/",
        {},
        MODERATE,
        lambda w: not _reloaded(w.hidden).is_hidden,
    ),
    "lock": (
        "post",
        "/discussion/threads/{thread}/lock/",
        {"reason": "Heated"},
        MODERATE,
        lambda w: _reloaded(w.thread).is_locked,
    ),
    "unlock": (
        "post",
        "/discussion/threads/{locked}/unlock/",
        {},
        MODERATE,
        lambda w: not _reloaded(w.locked).is_locked,
    ),
    "pin": (
        "post",
        "/discussion/threads/{thread}/pin/",
        {},
        MODERATE,
        lambda w: _reloaded(w.thread).is_pinned,
    ),
    "unpin": (
        "post",
        "/discussion/threads/{pinned}/unpin/",
        {},
        MODERATE,
        lambda w: not _reloaded(w.pinned).is_pinned,
    ),
    "move form": ("get", "/discussion/threads/{thread}/move/", {}, MODERATE, None),
    "move": (
        "post",
        "/discussion/threads/{thread}/move/",
        {"chapter": "{chapter_2}", "reason": "Belongs there"},
        MODERATE,
        lambda w: _reloaded(w.thread).chapter_id == w.chapter_2,
    ),
    "rename form": ("get", "/discussion/threads/{thread}/rename/", {}, MODERATE, None),
    "rename": (
        "post",
        "/discussion/threads/{thread}/rename/",
        {"title": "Renamed by a moderator", "reason": "Abusive title"},
        MODERATE,
        lambda w: _reloaded(w.thread).title == "Renamed by a moderator",
    ),
    "moderation log": ("get", "/moderation/log/", {}, MODERATE, None),
    "my notifications": ("get", "/notifications/", {}, SIGNED_IN, None),
    "mark notifications read": ("post", "/notifications/read/", {}, SIGNED_IN, None),
}
CELLS = [
    pytest.param(action, role, expected[index], id=f"{action}-{role}")
    for action, (_, _, _, expected, _) in ACTIONS.items()
    for index, role in enumerate(ROLES)
]


@pytest.fixture
def others_threads(book, other_editor):
    """Threads and comments of ``other_editor`` in every state an action needs."""
    chapter = book.chapters.get(number=1)
    mod = make_user("matrix_moderator", role="Moderator")
    thread = make_thread(chapter=chapter, author=other_editor, title="Other's thread")
    reply = comment_post(thread=thread, author=other_editor, body="Other's reply")
    hidden = comment_post(thread=thread, author=other_editor, body="Hidden one")
    moderation.comment_hide(comment=hidden, moderator=mod, reason="Spam")
    resolved = make_thread(chapter=chapter, author=other_editor, title="Resolved")
    thread_resolve(thread=resolved, actor=other_editor)
    locked = make_thread(chapter=chapter, author=other_editor, title="Locked")
    moderation.thread_lock(thread=locked, moderator=mod)
    pinned = make_thread(chapter=chapter, author=other_editor, title="Pinned")
    moderation.thread_pin(thread=pinned, moderator=mod)
    return SimpleNamespace(
        thread=thread,
        reply=reply,
        hidden=hidden,
        resolved=resolved,
        locked=locked,
        pinned=pinned,
        chapter_2=book.chapters.get(number=2).pk,
    )


def _fill(value, world):
    ids = {name: getattr(obj, "pk", obj) for name, obj in vars(world).items()}
    return value.format(**ids) if isinstance(value, str) else value


@pytest.mark.parametrize(("action", "role", "expected"), CELLS)
def test_permission_matrix(request, client_for, others_threads, action, role, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    method, url, data, _, effect = ACTIONS[action]

    response = getattr(client_for(user), method)(
        _fill(url, others_threads), {key: _fill(value, others_threads) for key, value in data.items()}
    )

    if expected == "login":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    elif expected == "403":
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response.url.startswith("/accounts/login/")
    if effect is not None:
        assert effect(others_threads) == (expected == "ok")


def test_a_signed_in_user_in_no_group_reads_but_does_not_post(client_for, others_threads, outsider):
    client = client_for(outsider)
    assert (
        client.get(f"/books/test-book/chapters/1/discussion/{others_threads.thread.pk}/").status_code == 200
    )
    before = Comment.objects.count()
    assert (
        client.post(f"/discussion/threads/{others_threads.thread.pk}/reply/", {"body": "Hi"}).status_code
        == 403
    )
    assert (
        client.post("/books/test-book/chapters/1/discussion/new/", {"title": "T", "body": "B"}).status_code
        == 403
    )
    assert Comment.objects.count() == before


def test_reading_discussions_needs_login_when_public_read_is_off(client, others_threads, settings):
    settings.WIKI_PUBLIC_READ = False
    for url in (
        "/books/test-book/chapters/1/discussion/",
        f"/books/test-book/chapters/1/discussion/{others_threads.thread.pk}/",
        f"/discussion/comments/{others_threads.reply.pk}/history/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES[1:])
def test_every_role_edits_deletes_and_resolves_its_own(request, client_for, book, role):
    user = request.getfixturevalue(role)
    thread = make_thread(chapter=book.chapters.get(number=1), author=user, title="Mine")
    comment = thread.comments.get()
    client = client_for(user)

    assert client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Edited"}).status_code == 302
    assert client.post(f"/discussion/threads/{thread.pk}/resolve/").status_code == 302
    assert client.post(f"/discussion/threads/{thread.pk}/reopen/").status_code == 302
    assert client.post(f"/discussion/comments/{comment.pk}/delete/").status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted and comment.revisions.count() == 2
    assert not Thread.objects.get(pk=thread.pk).is_resolved


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_locked_thread_refuses_a_direct_post_from_every_role(request, client_for, others_threads, role):
    user = request.getfixturevalue(role)
    before = Comment.objects.count()
    response = client_for(user).post(
        f"/discussion/threads/{others_threads.locked.pk}/reply/", {"body": "Let me in"}
    )
    assert response.status_code in (400, 403)
    if response.status_code == 400:
        assert "This thread is locked: it takes no more replies." in response.content.decode()
    assert Comment.objects.count() == before


POST_URLS = [
    "/books/test-book/chapters/1/discussion/new/",
    "/discussion/threads/{thread}/reply/",
    "/discussion/threads/{thread}/resolve/",
    "/discussion/threads/{thread}/lock/",
    "/discussion/threads/{thread}/pin/",
    "/discussion/threads/{thread}/move/",
    "/discussion/threads/{thread}/rename/",
    "/discussion/comments/{reply}/edit/",
    "/discussion/comments/{reply}/delete/",
    "/discussion/comments/{reply}/hide/",
    "/discussion/comments/{hidden}/unhide/",
    "/notifications/read/",
]


@pytest.mark.parametrize("url", POST_URLS)
def test_every_post_needs_the_csrf_token(others_threads, other_editor, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_editor)
    response = client.post(_fill(url, others_threads), {"title": "T", "body": "B", "reason": "R"})
    assert response.status_code == 403
    assert b"CSRF" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/discussion/threads/{thread}/reply/",
        "/discussion/threads/{thread}/resolve/",
        "/discussion/threads/{thread}/lock/",
        "/discussion/comments/{reply}/delete/",
        "/discussion/comments/{hidden}/unhide/",
    ],
)
def test_actions_refuse_get(client_for, others_threads, moderator, url):
    assert client_for(moderator).get(_fill(url, others_threads)).status_code == 405
