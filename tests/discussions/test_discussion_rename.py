"""Moderators rename a thread whose title must go: the new title shows everywhere the
thread is named, the old one only in the moderation log, and readers see that a
moderator changed the title, never what it said or why."""

import pytest
from django.core.exceptions import PermissionDenied

from notes.models import ModerationLog, Thread
from notes.services import moderation
from notes.services.discussions import DiscussionError, comment_post
from tests.factories import make_thread

pytestmark = pytest.mark.django_db

CHAPTER = "/books/test-book/chapters/1/"
OLD_TITLE = "Chapter 3 is for IDIOTS"
NEW_TITLE = "Question about chapter 3"
REASON = "Insult in the title"


@pytest.fixture
def mentioning_thread(chapter, editor, reviewer):
    return make_thread(chapter=chapter, author=editor, title=OLD_TITLE, body="@reviewer what do you think?")


def thread_url(thread) -> str:
    return f"{CHAPTER}discussion/{thread.pk}/"


# --- The service -------------------------------------------------------------------------------


def test_renaming_changes_the_title_and_logs_the_old_one_with_the_reason(mentioning_thread, moderator):
    moderation.thread_rename(
        thread=mentioning_thread, moderator=moderator, title=f"  {NEW_TITLE} ", reason=REASON
    )
    mentioning_thread.refresh_from_db()
    assert mentioning_thread.title == NEW_TITLE and mentioning_thread.renamed_at is not None
    entry = ModerationLog.objects.get()
    assert (entry.actor, entry.action, entry.thread, entry.reason) == (
        moderator,
        "rename",
        mentioning_thread,
        REASON,
    )
    assert entry.details == f"Was titled “{OLD_TITLE}”."


@pytest.mark.parametrize(
    ("title", "reason", "message"),
    [
        (OLD_TITLE, REASON, "The thread already has that title."),
        ("   ", REASON, "A thread needs a title."),
        ("t" * 201, REASON, "at most 200 characters"),
        (NEW_TITLE, "  ", "Give a reason"),
        (NEW_TITLE, "r" * 501, "A reason can be at most 500 characters"),
    ],
    ids=["same-title", "blank-title", "long-title", "no-reason", "long-reason"],
)
def test_a_bad_rename_is_refused_and_changes_nothing(mentioning_thread, moderator, title, reason, message):
    with pytest.raises(DiscussionError, match=message):
        moderation.thread_rename(thread=mentioning_thread, moderator=moderator, title=title, reason=reason)
    assert Thread.objects.get(pk=mentioning_thread.pk).title == OLD_TITLE
    assert not ModerationLog.objects.exists()


@pytest.mark.parametrize("user", ["reader", "editor", "reviewer", "outsider"])
def test_only_moderators_rename(request, mentioning_thread, user):
    with pytest.raises(PermissionDenied):
        moderation.thread_rename(
            thread=mentioning_thread, moderator=request.getfixturevalue(user), title=NEW_TITLE, reason=REASON
        )
    assert Thread.objects.get(pk=mentioning_thread.pk).title == OLD_TITLE


# --- The pages ---------------------------------------------------------------------------------


def test_moderators_get_a_rename_control_and_readers_do_not(client_for, mentioning_thread, reader, moderator):
    rename = f'formaction="/discussion/threads/{mentioning_thread.pk}/rename/">Rename…</button>'
    assert rename in client_for(moderator).get(thread_url(mentioning_thread)).content.decode()
    assert rename not in client_for(reader).get(thread_url(mentioning_thread)).content.decode()


def test_the_rename_form_shows_the_title_and_refuses_a_missing_reason(
    client_for, mentioning_thread, moderator
):
    client = client_for(moderator)
    form = client.get(f"/discussion/threads/{mentioning_thread.pk}/rename/").content.decode()
    assert 'name="title"' in form and f'value="{OLD_TITLE}"' in form and 'name="reason"' in form
    response = client.post(
        f"/discussion/threads/{mentioning_thread.pk}/rename/", {"title": NEW_TITLE, "reason": ""}
    )
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert Thread.objects.get(pk=mentioning_thread.pk).title == OLD_TITLE


def test_after_a_rename_readers_see_only_the_new_title_and_that_a_moderator_changed_it(
    client_for,
    mentioning_thread,
    reader,
    editor,
    reviewer,
    moderator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # The first comment (which mentions reviewer) is hidden too: the title was what still showed.
    moderation.comment_hide(comment=mentioning_thread.comments.get(), moderator=moderator, reason="Abuse")
    comment_post(thread=mentioning_thread, author=editor, body="Sorry about that.")
    response = client_for(moderator).post(
        f"/discussion/threads/{mentioning_thread.pk}/rename/", {"title": NEW_TITLE, "reason": REASON}
    )
    assert response.status_code == 302 and response.url == thread_url(mentioning_thread)

    for viewer, url in (
        (None, f"{CHAPTER}discussion/?filter=all"),
        (reader, thread_url(mentioning_thread)),
        (reviewer, "/notifications/"),
        (reader, "/users/editor/"),
    ):
        html = client_for(viewer).get(url).content.decode()
        assert NEW_TITLE in html, url
        assert OLD_TITLE not in html and REASON not in html, url
    page = client_for(reader).get(thread_url(mentioning_thread)).content.decode()
    assert "title changed by a moderator" in page

    # A mention e-mail sent after the rename names the thread by its new title.
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=mentioning_thread, author=reader, body="@reviewer see the reply")
    (mail,) = [mail for mail in mailoutbox if mail.to == ["reviewer@example.com"]]
    assert NEW_TITLE in mail.subject and NEW_TITLE in mail.body
    assert OLD_TITLE not in mail.subject + mail.body


def test_the_moderation_log_keeps_the_old_title_for_moderators(client_for, mentioning_thread, moderator):
    moderation.thread_rename(thread=mentioning_thread, moderator=moderator, title=NEW_TITLE, reason=REASON)
    html = client_for(moderator).get("/moderation/log/").content.decode()
    assert "Renamed a thread" in html and f"Was titled “{OLD_TITLE}”." in html and REASON in html
