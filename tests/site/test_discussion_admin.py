"""Django admin for discussions: search and filters, and bulk actions that go through the
moderation services (checked and logged like the site's buttons)."""

import pytest
from django.contrib.admin import helpers

from notes.models import Comment, ModerationLog, Thread
from notes.services import moderation
from notes.services.discussions import comment_post
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def threads(chapter, reader, editor):
    first = make_thread(chapter=chapter, author=reader, title="Row storage question")
    second = make_thread(chapter=chapter, author=editor, title="Column storage question")
    comment_post(thread=first, author=editor, body="Parquet is columnar.")
    return first, second


@pytest.mark.parametrize(
    "url",
    [
        "/admin/notes/thread/",
        "/admin/notes/thread/?q=column",
        "/admin/notes/thread/?is_locked__exact=1",
        "/admin/notes/thread/?is_resolved__exact=0&is_pinned__exact=0",
        "/admin/notes/comment/",
        "/admin/notes/comment/?q=parquet",
        "/admin/notes/comment/?is_hidden__exact=1",
        "/admin/notes/comment/?thread__is_locked__exact=0&is_deleted__exact=0",
        "/admin/notes/moderationlog/",
    ],
)
def test_admin_lists_search_and_filter(admin_client, threads, url):
    assert admin_client.get(url).status_code == 200


def test_admin_searches_threads_and_filters_by_author_and_chapter(admin_client, threads, chapter, editor):
    html = admin_client.get("/admin/notes/thread/?q=column").content.decode()
    assert "Column storage question" in html and "Row storage question" not in html
    html = admin_client.get(f"/admin/notes/thread/?author__id__exact={editor.pk}").content.decode()
    assert "Column storage question" in html and "Row storage question" not in html
    html = admin_client.get(f"/admin/notes/comment/?thread__chapter__id__exact={chapter.pk}").content.decode()
    assert "Parquet is columnar." in html
    html = admin_client.get(f"/admin/notes/comment/?author__id__exact={editor.pk}").content.decode()
    assert "Parquet is columnar." in html and "What do you think?" in html  # editor's first comment


def _action(admin_client, model: str, action: str, objects, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **extra}
    return admin_client.post(f"/admin/notes/{model}/", data, follow=True)


def test_bulk_lock_asks_for_a_reason_then_locks_through_the_service(admin_client, threads, admin_user):
    asked = _action(admin_client, "thread", "lock_selected", threads).content.decode()
    assert "Lock threads" in asked and 'name="reason"' in asked
    assert "Row storage question" in asked and "Column storage question" in asked
    assert not Thread.objects.filter(is_locked=True).exists() and not ModerationLog.objects.exists()

    response = _action(admin_client, "thread", "lock_selected", threads, apply="1", reason="Flame war")
    assert "Locked: 2." in response.content.decode()
    assert all(thread.is_locked for thread in Thread.objects.all())
    entries = ModerationLog.objects.filter(action="lock")
    assert {(entry.actor, entry.reason) for entry in entries} == {(admin_user, "Flame war")}
    assert entries.count() == 2

    response = _action(admin_client, "thread", "lock_selected", threads[:1], apply="1", reason="")
    assert "This thread is already locked." in response.content.decode()
    assert ModerationLog.objects.filter(action="lock").count() == 2


def test_bulk_unlock_records_the_typed_reason_and_takes_none(admin_client, threads, moderator):
    for thread in threads:
        moderation.thread_lock(thread=thread, moderator=moderator)
    first, second = threads
    _action(admin_client, "thread", "unlock_selected", [first], apply="1", reason="Cooled down")
    _action(admin_client, "thread", "unlock_selected", [second], apply="1", reason="")
    assert not Thread.objects.filter(is_locked=True).exists()
    assert dict(ModerationLog.objects.filter(action="unlock").values_list("thread", "reason")) == {
        first.pk: "Cooled down",
        second.pk: "",
    }


@pytest.mark.parametrize(
    ("model", "action"),
    [("thread", "lock_selected"), ("thread", "unlock_selected"), ("comment", "unhide_selected")],
)
def test_a_bulk_reason_over_500_characters_is_refused_and_changes_nothing(
    admin_client, threads, moderator, model, action
):
    objects = list(Thread.objects.all()) if model == "thread" else list(Comment.objects.all())
    for obj in objects:
        if action == "unlock_selected":
            moderation.thread_lock(thread=obj, moderator=moderator)
        elif action == "unhide_selected":
            moderation.comment_hide(comment=obj, moderator=moderator, reason="Rude")
    before = ModerationLog.objects.count()
    response = _action(admin_client, model, action, objects, apply="1", reason="r" * 501)
    assert "Ensure this value has at most 500 characters (it has 501)." in response.content.decode()
    assert ModerationLog.objects.count() == before


def test_bulk_hide_asks_for_a_reason_then_hides_through_the_service(admin_client, threads, admin_user):
    comments = list(Comment.objects.all())
    asked = _action(admin_client, "comment", "hide_selected", comments)
    assert "Hide comments" in asked.content.decode() and 'name="reason"' in asked.content.decode()
    assert not Comment.objects.filter(is_hidden=True).exists()

    without_reason = _action(admin_client, "comment", "hide_selected", comments, apply="1", reason="")
    assert "This field is required." in without_reason.content.decode()
    assert not Comment.objects.filter(is_hidden=True).exists()

    done = _action(admin_client, "comment", "hide_selected", comments, apply="1", reason="Spam wave")
    assert f"Hidden: {len(comments)}." in done.content.decode()
    assert Comment.objects.filter(
        is_hidden=True, hidden_reason="Spam wave", hidden_by=admin_user
    ).count() == len(comments)
    entries = ModerationLog.objects.filter(action="hide")
    assert entries.count() == len(comments) and set(entries.values_list("reason", flat=True)) == {"Spam wave"}


def test_bulk_unhide_asks_for_a_reason_and_reports_refusals(admin_client, threads, moderator):
    hidden, visible = Comment.objects.order_by("pk")[:2]
    moderation.comment_hide(comment=hidden, moderator=moderator, reason="Rude")
    asked = _action(admin_client, "comment", "unhide_selected", [hidden, visible]).content.decode()
    assert "Unhide comments" in asked and 'name="reason"' in asked
    assert Comment.objects.filter(is_hidden=True).exists()

    response = _action(
        admin_client, "comment", "unhide_selected", [hidden, visible], apply="1", reason="Apologised"
    ).content.decode()
    assert "Shown again: 1." in response
    assert f"#{visible.pk}: This comment is not hidden." in response
    assert not Comment.objects.filter(is_hidden=True).exists()
    assert list(ModerationLog.objects.filter(action="unhide").values_list("reason", flat=True)) == [
        "Apologised"
    ]


def test_admin_does_not_add_change_or_delete_discussions(admin_client, threads):
    comment = Comment.objects.first()
    assert admin_client.get("/admin/notes/comment/add/").status_code == 403
    assert admin_client.get("/admin/notes/moderationlog/add/").status_code == 403
    response = admin_client.post(f"/admin/notes/comment/{comment.pk}/change/", {"body": "Rewritten"})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/notes/comment/{comment.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Comment.objects.get(pk=comment.pk).body != "Rewritten"
    # Viewing one is fine.
    assert admin_client.get(f"/admin/notes/comment/{comment.pk}/change/").status_code == 200
