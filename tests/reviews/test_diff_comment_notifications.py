"""A comment on a line or cell tells the request's author, and an answer tells everyone
else in that comment's thread; nobody hears of their own comment, and people outside the
thread (other reviewers, the page's watchers) hear nothing."""

import pytest
from django.core import mail

from notes.models import Notification
from notes.services.review_comments import DiffCommentError, diff_comment_post
from notes.services.watching import watch_add
from tests.factories import make_user, propose_chapter_edit

pytestmark = pytest.mark.django_db

LINE = {"line": 1, "text": "x"}
Kind = Notification.Kind


def _told(kind=Kind.DIFF_COMMENT) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def request_on(chapter, editor):
    return propose_chapter_edit(editor, chapter, chapter.body + "\nA new line.")


def test_a_reviewers_comment_on_a_line_tells_the_requests_author(request_on, reviewer, other_reviewer):
    Notification.objects.all().delete()  # the submission's own notices
    diff_comment_post(change_request=request_on, author=reviewer, body="Why?", anchor=LINE)
    assert _told() == ["editor"]
    notice = Notification.objects.get(kind=Kind.DIFF_COMMENT)
    assert notice.actor.username == "reviewer" and notice.change_request == request_on
    assert notice.get_absolute_url() == f"/reviews/{request_on.pk}/"
    assert notice.label == request_on.summary


def test_an_answer_tells_the_author_and_everyone_in_the_thread_but_the_writer(
    request_on, editor, reviewer, other_reviewer
):
    first = diff_comment_post(change_request=request_on, author=reviewer, body="Why?", anchor=LINE)
    diff_comment_post(change_request=request_on, author=other_reviewer, body="Agreed.", parent_id=first.pk)
    Notification.objects.all().delete()
    diff_comment_post(change_request=request_on, author=editor, body="Because.", parent_id=first.pk)
    assert _told() == ["other_reviewer", "reviewer"]


def test_a_comment_on_another_thread_tells_nobody_from_the_first(request_on, reviewer, other_reviewer):
    diff_comment_post(change_request=request_on, author=reviewer, body="Why?", anchor=LINE)
    Notification.objects.all().delete()
    diff_comment_post(change_request=request_on, author=other_reviewer, body="Typo here.", anchor=LINE)
    assert _told() == ["editor"]


def test_watchers_of_the_chapter_hear_nothing_of_a_diff_comment(request_on, chapter, reviewer):
    watcher = make_user("watcher", role="Reader")
    watch_add(user=watcher, target=chapter)
    Notification.objects.all().delete()
    diff_comment_post(change_request=request_on, author=reviewer, body="Why?", anchor=LINE)
    assert _told() == ["editor"]


def test_the_author_is_emailed_as_they_chose(
    request_on, editor, reviewer, django_capture_on_commit_callbacks
):
    editor.email = "editor@example.com"
    editor.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        diff_comment_post(change_request=request_on, author=reviewer, body="Why?", anchor=LINE)
    assert [message.to for message in mail.outbox] == [["editor@example.com"]]
    assert "commented on a line or cell of the change" in mail.outbox[0].subject + mail.outbox[0].body


def test_a_refused_comment_tells_nobody(request_on, other_editor):
    Notification.objects.all().delete()
    with pytest.raises(DiffCommentError):
        diff_comment_post(change_request=request_on, author=other_editor, body="Hi", anchor=LINE)
    assert _told() == []


def test_the_notifications_page_names_the_comment(request_on, reviewer, client_for, editor):
    diff_comment_post(change_request=request_on, author=reviewer, body="Why?", anchor=LINE)
    page = client_for(editor).get("/notifications/").content.decode()
    assert "commented on a line or cell of the change" in page
