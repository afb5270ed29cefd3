"""Discussion services: threads, replies as a tree, edits with history, deletes, resolve,
moderation with its log, mentions, and every refusal leaving the database as it was."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.core.mail.backends import locmem

from notes.forms.discussions import CommentForm
from notes.lib.limits import MAX_COMMENT_BYTES, MAX_NOTIFIED_MENTIONS
from notes.models import Comment, CommentRevision, ModerationLog, Notification, Thread
from notes.models.discussions import MAX_DISPLAY_DEPTH
from notes.services import moderation
from notes.services.discussions import (
    ChangedResubmission,
    DiscussionError,
    DuplicateSubmission,
    comment_delete,
    comment_edit,
    comment_post,
    thread_reopen,
    thread_resolve,
    thread_start,
)
from tests.factories import make_chapter, make_thread, make_user

pytestmark = pytest.mark.django_db


def first_comment(thread) -> Comment:
    return thread.comments.get(parent=None, path="000001")


def row_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Thread, Comment, CommentRevision, ModerationLog, Notification)
    )


# --- Threads and replies --------------------------------------------------------------------


def test_starting_a_thread_writes_the_thread_and_its_first_comment(chapter, reader):
    thread = thread_start(chapter=chapter, author=reader, title="  Why   columns? ", body="**Because**")
    assert thread.title == "Why columns?"
    assert thread.comment_count == 1
    comment = first_comment(thread)
    assert comment.author == reader
    assert comment.body_html == "<p><strong>Because</strong></p>\n"


def test_a_thread_can_point_at_a_table_of_its_chapter(chapter, reader):
    thread = make_thread(chapter=chapter, author=reader, anchor="table:table-1")
    assert (thread.anchor_kind, thread.anchor_value, thread.anchor_label) == (
        "table",
        "table-1",
        "Table table-1",
    )
    assert thread.anchor_id == "table-table-1"


def test_a_thread_can_point_at_a_heading_of_its_chapter(book, reader):
    chapter = make_chapter(book=book, number=9, body="## Feature stores\n\nText.")
    thread = make_thread(chapter=chapter, author=reader, anchor="heading:feature-stores")
    assert (thread.anchor_kind, thread.anchor_value, thread.anchor_label) == (
        "heading",
        "feature-stores",
        "Feature stores",
    )


def test_replies_form_a_tree_in_path_order(thread, reader, editor):
    top = first_comment(thread)
    second_top = comment_post(thread=thread, author=editor, body="Second top-level.")
    reply = comment_post(thread=thread, author=editor, body="Reply.", parent_id=top.pk)
    reply_to_reply = comment_post(thread=thread, author=reader, body="Reply to reply.", parent_id=reply.pk)
    later_reply = comment_post(thread=thread, author=editor, body="Later reply.", parent_id=top.pk)

    ordered = list(thread.comments.order_by("path"))
    assert ordered == [top, reply, reply_to_reply, later_reply, second_top]
    assert [comment.depth for comment in ordered] == [0, 1, 2, 1, 0]
    thread.refresh_from_db()
    assert thread.comment_count == 5


def test_replies_past_the_depth_limit_stay_flat_after_their_parent(thread, reader):
    parent = first_comment(thread)
    chain = [parent]
    for level in range(MAX_DISPLAY_DEPTH + 2):
        chain.append(
            comment_post(thread=thread, author=reader, body=f"Level {level + 1}", parent_id=chain[-1].pk)
        )
    deepest_shown, flat_one, flat_two = chain[MAX_DISPLAY_DEPTH], chain[-2], chain[-1]

    assert flat_two.depth == MAX_DISPLAY_DEPTH + 2  # the real depth is kept
    assert flat_one.display_depth == flat_two.display_depth == MAX_DISPLAY_DEPTH
    assert flat_one.is_flattened and flat_two.is_flattened and not deepest_shown.is_flattened
    # Same level as the deepest comment shown, after it, in the order they were written.
    assert len(flat_two.path.split(".")) == len(deepest_shown.path.split(".")) == MAX_DISPLAY_DEPTH + 1
    assert deepest_shown.path < flat_one.path < flat_two.path
    assert flat_two.parent == flat_one


# --- Bad input: a clear error and nothing written ----------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "A comment cannot be empty."),
        ("   \n\t ", "A comment cannot be empty."),
        ("x" * (MAX_COMMENT_BYTES + 1), "A comment can be at most 64 KB; this one is 65 KB."),
        ("é" * (MAX_COMMENT_BYTES // 2 + 1), "A comment can be at most 64 KB"),
    ],
    ids=["empty", "blank", "over-64-KB", "over-64-KB-in-bytes-not-characters"],
)
def test_a_bad_body_is_refused_with_a_clear_message_and_nothing_written(
    thread, chapter, reader, body, message
):
    before = row_counts()
    with pytest.raises(DiscussionError, match=message):
        comment_post(thread=thread, author=reader, body=body)
    with pytest.raises(DiscussionError, match=message):
        thread_start(chapter=chapter, author=reader, title="T", body=body)
    with pytest.raises(DiscussionError, match=message):
        comment_edit(comment=first_comment(thread), editor=reader, body=body)
    assert row_counts() == before


def test_a_body_of_exactly_64_KB_is_accepted(thread, reader):
    comment = comment_post(thread=thread, author=reader, body="x" * MAX_COMMENT_BYTES)
    comment.refresh_from_db()
    assert len(comment.body.encode()) == MAX_COMMENT_BYTES


def test_a_reply_to_a_comment_of_another_thread_is_refused(thread, chapter, reader):
    other = make_thread(chapter=chapter, author=reader, title="Other")
    before = row_counts()
    with pytest.raises(DiscussionError, match="You can only reply to a comment of this thread."):
        comment_post(thread=thread, author=reader, body="Hi", parent_id=first_comment(other).pk)
    with pytest.raises(DiscussionError, match="You can only reply to a comment of this thread."):
        comment_post(thread=thread, author=reader, body="Hi", parent_id=999_999)
    assert row_counts() == before


def test_a_reply_to_a_deleted_comment_is_refused(thread, reader, editor):
    target = comment_post(thread=thread, author=editor, body="Soon gone.")
    comment_delete(comment=target, actor=editor)
    before = row_counts()
    with pytest.raises(DiscussionError, match="That comment was deleted; reply to the thread instead."):
        comment_post(thread=thread, author=reader, body="Hi", parent_id=target.pk)
    assert row_counts() == before


def test_an_anchor_that_is_not_in_the_chapter_is_refused(chapter, reader):
    before = row_counts()
    for anchor in ("table:no-such-table", "heading:no-such-heading", "table:", "nonsense"):
        with pytest.raises(DiscussionError, match="That heading or table is not in this chapter"):
            make_thread(chapter=chapter, author=reader, anchor=anchor)
    assert row_counts() == before


def test_a_thread_needs_a_short_enough_title(chapter, reader):
    before = row_counts()
    with pytest.raises(DiscussionError, match="A thread needs a title."):
        thread_start(chapter=chapter, author=reader, title="  ", body="B")
    with pytest.raises(DiscussionError, match="at most 200 characters"):
        thread_start(chapter=chapter, author=reader, title="t" * 201, body="B")
    assert row_counts() == before


def test_the_same_form_token_posts_once(thread, reader):
    token = uuid.uuid4()
    comment = comment_post(thread=thread, author=reader, body="Once.", submission_token=token)
    before = row_counts()
    with pytest.raises(DuplicateSubmission, match="already sent") as caught:
        comment_post(thread=thread, author=reader, body="Once.", submission_token=token)
    assert caught.value.comment == comment
    assert row_counts() == before


def test_a_form_token_resent_with_other_text_is_refused_as_changed_not_as_a_duplicate(
    thread, chapter, reader
):
    token = uuid.uuid4()
    comment_post(thread=thread, author=reader, body="Once.", submission_token=token)
    thread_token = uuid.uuid4()
    thread_start(chapter=chapter, author=reader, title="T", body="B", submission_token=thread_token)
    before = row_counts()
    with pytest.raises(ChangedResubmission, match="this new text was not posted"):
        comment_post(
            thread=thread, author=reader, body="Once, edited before resending.", submission_token=token
        )
    for title, body in (("T", "Other body"), ("Other title", "B")):
        with pytest.raises(ChangedResubmission, match="this thread was not started"):
            thread_start(
                chapter=chapter, author=reader, title=title, body=body, submission_token=thread_token
            )
    assert row_counts() == before


def test_the_same_thread_form_token_starts_one_thread(chapter, reader):
    token = uuid.uuid4()
    thread_start(chapter=chapter, author=reader, title="T", body="B", submission_token=token)
    before = row_counts()
    with pytest.raises(DuplicateSubmission):
        thread_start(chapter=chapter, author=reader, title="T", body="B", submission_token=token)
    assert row_counts() == before


def test_the_same_text_resent_at_once_without_a_token_posts_once(thread, chapter, reader):
    comment_post(thread=thread, author=reader, body="Same text.")
    make_thread(chapter=chapter, author=reader, title="Same", body="Same body.")
    before = row_counts()
    with pytest.raises(DuplicateSubmission, match="ignored"):
        comment_post(thread=thread, author=reader, body="Same text.")
    with pytest.raises(DuplicateSubmission, match="ignored"):
        make_thread(chapter=chapter, author=reader, title="Same", body="Same body.")
    assert row_counts() == before


def test_the_same_text_from_two_forms_each_with_its_own_token_posts_twice(thread, chapter, reader, editor):
    parent = first_comment(thread)
    for _ in range(2):
        comment_post(thread=thread, author=editor, body="Agreed.", submission_token=uuid.uuid4())
        comment_post(
            thread=thread, author=editor, body="Agreed.", parent_id=parent.pk, submission_token=uuid.uuid4()
        )
        thread_start(
            chapter=chapter, author=reader, title="Same", body="Same.", submission_token=uuid.uuid4()
        )
    assert Comment.objects.filter(body="Agreed.", parent=None).count() == 2
    assert Comment.objects.filter(body="Agreed.", parent=parent).count() == 2
    assert Thread.objects.filter(title="Same").count() == 2


# --- Edits, deletes, resolve -------------------------------------------------------------------


def test_an_edit_keeps_the_earlier_text_as_a_revision(thread, reader):
    comment = first_comment(thread)
    comment_edit(comment=comment, editor=reader, body="Second version.")
    comment_edit(comment=comment, editor=reader, body="Third version.")
    comment.refresh_from_db()
    assert comment.body == "Third version."
    assert comment.edited_at is not None
    assert [revision.body for revision in comment.revisions.all()] == ["Second version.", "First comment."]


def test_an_edit_with_the_same_text_writes_nothing(thread, reader):
    comment = first_comment(thread)
    comment_edit(comment=comment, editor=reader, body="First comment.")
    assert comment.revisions.count() == 0


def test_nobody_edits_or_deletes_another_persons_comment(thread, editor, moderator, admin_user):
    comment = first_comment(thread)
    for user in (editor, moderator, admin_user):
        with pytest.raises(PermissionDenied):
            comment_edit(comment=comment, editor=user, body="Not yours.")
        with pytest.raises(PermissionDenied):
            comment_delete(comment=comment, actor=user)
    comment.refresh_from_db()
    assert comment.body == "First comment." and not comment.is_deleted


def test_a_delete_removes_the_text_but_keeps_the_replies(thread, reader, editor):
    comment = first_comment(thread)
    reply = comment_post(thread=thread, author=editor, body="A reply.", parent_id=comment.pk)
    comment_delete(comment=comment, actor=reader)
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == "" and comment.body_html == ""
    assert comment.revisions.get().body == "First comment."  # kept for moderators
    assert Comment.objects.get(pk=reply.pk).parent_id == comment.pk
    with pytest.raises(DiscussionError, match="already deleted"):
        comment_delete(comment=comment, actor=reader)
    with pytest.raises(DiscussionError, match="deleted; it cannot be edited"):
        comment_edit(comment=comment, editor=reader, body="Back")


def test_the_starter_resolves_and_reopens_without_a_log_entry(thread, reader):
    thread_resolve(thread=thread, actor=reader)
    assert Thread.objects.get(pk=thread.pk).is_resolved
    with pytest.raises(DiscussionError, match="already resolved"):
        thread_resolve(thread=thread, actor=reader)
    thread_reopen(thread=thread, actor=reader)
    assert not Thread.objects.get(pk=thread.pk).is_resolved
    assert ModerationLog.objects.count() == 0


def test_others_cannot_resolve_but_a_moderator_can_and_is_logged(thread, editor, moderator):
    with pytest.raises(PermissionDenied):
        thread_resolve(thread=thread, actor=editor)
    thread_resolve(thread=thread, actor=moderator)
    entry = ModerationLog.objects.get()
    assert (entry.actor, entry.action, entry.thread_id) == (moderator, "resolve", thread.pk)


def test_a_moderator_resolving_or_reopening_anothers_thread_is_logged_with_the_reason(thread, moderator):
    thread_resolve(thread=thread, actor=moderator, reason="Answered in chapter 4")
    thread_reopen(thread=thread, actor=moderator, reason="The answer was wrong")
    assert list(ModerationLog.objects.values_list("actor", "action", "reason")) == [
        (moderator.pk, "reopen", "The answer was wrong"),
        (moderator.pk, "resolve", "Answered in chapter 4"),
    ]
    before = row_counts()
    with pytest.raises(DiscussionError, match="A reason can be at most 500 characters"):
        thread_resolve(thread=thread, actor=moderator, reason="r" * 501)
    assert row_counts() == before and not Thread.objects.get(pk=thread.pk).is_resolved


# --- Moderation ---------------------------------------------------------------------------------


def test_hiding_needs_a_reason_and_is_logged_with_it(thread, moderator):
    comment = first_comment(thread)
    with pytest.raises(DiscussionError, match="Give a reason"):
        moderation.comment_hide(comment=comment, moderator=moderator, reason="  ")
    assert ModerationLog.objects.count() == 0

    moderation.comment_hide(comment=comment, moderator=moderator, reason="Off topic")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Off topic" and comment.hidden_by == moderator
    assert comment.body == "First comment."  # kept for moderators
    entry = ModerationLog.objects.get()
    assert (entry.actor, entry.action, entry.comment, entry.reason) == (
        moderator,
        "hide",
        comment,
        "Off topic",
    )
    assert entry.created_at is not None

    moderation.comment_unhide(comment=comment, moderator=moderator, reason="On topic after all")
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == ""
    assert list(ModerationLog.objects.values_list("action", flat=True)) == ["unhide", "hide"]


def test_a_hidden_comment_its_author_deleted_cannot_be_unhidden(thread, reader, moderator):
    comment = first_comment(thread)
    moderation.comment_hide(comment=comment, moderator=moderator, reason="Spam")
    comment_delete(comment=comment, actor=reader)
    before = row_counts()
    with pytest.raises(DiscussionError, match="This comment was deleted; there is no text to show again."):
        moderation.comment_unhide(comment=comment, moderator=moderator)
    assert row_counts() == before
    comment.refresh_from_db()
    assert comment.is_deleted and comment.is_hidden and comment.hidden_reason == "Spam"


def test_a_hidden_comment_cannot_be_edited_by_its_author(thread, reader, moderator):
    comment = first_comment(thread)
    moderation.comment_hide(comment=comment, moderator=moderator, reason="Spam")
    with pytest.raises(DiscussionError, match="hid this comment"):
        comment_edit(comment=comment, editor=reader, body="Sneaky")


@pytest.mark.parametrize("user", ["reader", "editor", "reviewer", "outsider"])
def test_only_moderators_moderate(request, thread, chapter, user):
    user = request.getfixturevalue(user)
    comment = first_comment(thread)
    other_chapter = chapter.book.chapters.get(number=2)
    before = row_counts()
    for act in (
        lambda: moderation.comment_hide(comment=comment, moderator=user, reason="r"),
        lambda: moderation.comment_unhide(comment=comment, moderator=user),
        lambda: moderation.thread_lock(thread=thread, moderator=user),
        lambda: moderation.thread_unlock(thread=thread, moderator=user),
        lambda: moderation.thread_pin(thread=thread, moderator=user),
        lambda: moderation.thread_move(thread=thread, moderator=user, chapter=other_chapter),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert row_counts() == before


def test_a_locked_thread_refuses_replies_and_edits_until_unlocked(thread, reader, moderator):
    moderation.thread_lock(thread=thread, moderator=moderator, reason="Heated")
    before = row_counts()
    for author in (reader, moderator):
        with pytest.raises(DiscussionError, match="This thread is locked"):
            comment_post(thread=thread, author=author, body="Hello?")
    with pytest.raises(DiscussionError, match="This thread is locked"):
        comment_edit(comment=first_comment(thread), editor=reader, body="Changed")
    assert row_counts() == before
    moderation.thread_unlock(thread=thread, moderator=moderator)
    comment_post(thread=thread, author=reader, body="Hello again.")


def test_pinning_puts_a_thread_first(chapter, thread, reader, moderator):
    newer = make_thread(chapter=chapter, author=reader, title="Newer")
    assert list(Thread.objects.filter(chapter=chapter)) == [newer, thread]
    moderation.thread_pin(thread=thread, moderator=moderator)
    assert list(Thread.objects.filter(chapter=chapter)) == [thread, newer]
    with pytest.raises(DiscussionError, match="already pinned"):
        moderation.thread_pin(thread=thread, moderator=moderator)


def test_moving_a_thread_keeps_an_anchor_the_target_has_and_logs_the_move(chapter, reader, moderator):
    thread = make_thread(chapter=chapter, author=reader, anchor="table:table-1")
    target = chapter.book.chapters.get(number=2)  # also has a table-1
    moderation.thread_move(thread=thread, moderator=moderator, chapter=target, reason="Wrong chapter")
    thread.refresh_from_db()
    assert thread.chapter == target and thread.anchor_key == "table:table-1"
    entry = ModerationLog.objects.get()
    assert entry.action == "move" and entry.reason == "Wrong chapter"
    assert "Chapter 1" in entry.details and "Chapter 2" in entry.details


def test_moving_a_thread_drops_an_anchor_the_target_lacks(book, chapter, reader, moderator):
    thread = make_thread(chapter=chapter, author=reader, anchor="table:table-1")
    plain = make_chapter(book=book, number=8, body="No tables here.")
    moderation.thread_move(thread=thread, moderator=moderator, chapter=plain)
    thread.refresh_from_db()
    assert thread.anchor_key == ""
    assert "was dropped" in ModerationLog.objects.get().details


# --- Mentions -----------------------------------------------------------------------------------


def test_a_mention_links_to_the_user_notifies_them_and_sends_mail_after_commit(
    thread, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        comment = comment_post(thread=thread, author=editor, body="What do you say, @reviewer?")
        assert mailoutbox == []  # not before the comment is committed
    # One task for the event, whoever it tells; expiring cached pages and the snapshots of the
    # users whose unseen count or watches changed.
    names = {callback.__qualname__.split(".")[0] for callback in callbacks}
    assert names == {"_notify", "page_cache_expire", "viewer_expire"}
    assert sum("_notify" in callback.__qualname__ for callback in callbacks) == 1
    assert '<a href="/users/reviewer/" rel="noopener noreferrer nofollow">@reviewer</a>' in comment.body_html
    notification = Notification.objects.get(kind="mention")
    assert (notification.recipient, notification.comment) == (reviewer, comment)
    # The thread's starter watches it and hears of the comment too, in a mail of their own.
    assert sorted(mail.to[0] for mail in mailoutbox) == ["reader@example.com", "reviewer@example.com"]
    (mail,) = [mail for mail in mailoutbox if mail.to == ["reviewer@example.com"]]
    assert "editor mentioned you" in mail.subject
    assert f"/discussion/comments/{comment.pk}/" in mail.body


def test_no_mail_for_a_user_without_an_address_and_none_for_oneself(
    thread, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    reviewer.email = ""
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=thread, author=editor, body="@reviewer and @editor")
    assert Notification.objects.get(kind="mention").recipient == reviewer
    assert not Notification.objects.filter(recipient=editor).exists()
    assert [mail.to for mail in mailoutbox] == [["reader@example.com"]]  # the watching starter


def test_unknown_names_code_and_addresses_are_not_mentions(thread, editor, reviewer):
    comment = comment_post(
        thread=thread, author=editor, body="@nobody `@reviewer` mail reviewer@example.com\n\n    @reviewer"
    )
    assert "<a " not in comment.body_html
    assert Notification.objects.filter(kind="mention").count() == 0


def test_an_edit_notifies_only_newly_mentioned_users(
    thread, reader, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(thread=thread, author=reader, body="@editor look")
        comment_edit(comment=comment, editor=reader, body="@editor and @reviewer look")
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "editor",
        "reviewer",
    ]
    assert [mail.to for mail in mailoutbox] == [["editor@example.com"], ["reviewer@example.com"]]
    assert {mail.subject for mail in mailoutbox} == {"reader mentioned you in “Why columns?”"}


class CountingMailBackend(locmem.EmailBackend):
    """The test mail backend, counting the connections made (one per backend instance)."""

    connections = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).connections += 1


def test_only_the_first_20_mentions_notify_and_their_mail_goes_through_one_connection(
    thread, editor, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.CountingMailBackend"
    CountingMailBackend.connections = 0
    names = [f"member{index:02d}" for index in range(MAX_NOTIFIED_MENTIONS + 5)]
    for name in names:
        make_user(name, role="Reader")
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(
            thread=thread, author=editor, body="@editor " + " ".join(f"@{n}" for n in names)
        )

    notified = names[:MAX_NOTIFIED_MENTIONS]  # the author's own mention takes no place
    mentions = Notification.objects.filter(kind="mention")
    assert sorted(mentions.values_list("recipient__username", flat=True)) == notified
    # The mentioned, and the thread's starter who watches it.
    assert sorted(address for mail in mailoutbox for address in mail.to) == [
        f"{n}@example.com" for n in notified
    ] + ["reader@example.com"]
    assert all(len(mail.to) == 1 for mail in mailoutbox)
    assert CountingMailBackend.connections == 1
    # Every mention is still a link.
    assert all(f'<a href="/users/{name}/"' in comment.body_html for name in names)


class RefusingMailBackend(locmem.EmailBackend):
    """The test mail backend, refusing one address as a mail server might."""

    def send_messages(self, messages):
        if any("reviewer@example.com" in message.to for message in messages):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_a_refused_address_does_not_stop_the_other_mention_mails_or_the_comment(
    thread, editor, reviewer, reader, mailoutbox, django_capture_on_commit_callbacks, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(thread=thread, author=editor, body="@reviewer @reader look")
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert [mail.to for mail in mailoutbox] == [["reader@example.com"]]
    assert "Could not send the notification e-mail to reviewer@example.com" in caplog.text


def test_edits_do_not_notify_past_the_cap_for_one_comment(thread, editor):
    names = [f"member{index:02d}" for index in range(MAX_NOTIFIED_MENTIONS + 5)]
    for name in names:
        make_user(name, role="Reader")
    comment = comment_post(thread=thread, author=editor, body=" ".join(f"@{n}" for n in names[:15]))
    comment_edit(comment=comment, editor=editor, body=" ".join(f"@{n}" for n in names))
    mentions = Notification.objects.filter(comment=comment, kind="mention")
    assert mentions.count() == MAX_NOTIFIED_MENTIONS
    assert sorted(mentions.values_list("recipient__username", flat=True)) == names[:20]
    # The watching starter was told of the comment too, without taking a mention's place.
    assert Notification.objects.get(comment=comment, kind="comment").recipient.username == "reader"


def test_the_comment_form_says_how_many_mentions_notify():
    assert f"the first {MAX_NOTIFIED_MENTIONS} people mentioned in a comment are notified" in (
        CommentForm().fields["body"].help_text
    )
