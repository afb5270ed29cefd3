"""Notification e-mail: queued with the event, sent by the task queue after the commit,
retried when the mail server fails (never undoing the event), at once / as a daily digest /
never, and links that unsubscribe or unwatch without logging in."""

import datetime
import re

import pytest
from django.core import mail as django_mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from notes.lib import email_tokens
from notes.models import Comment, Notification, NotificationSettings, Watch
from notes.services import email as email_service
from notes.services import notifications, watching
from notes.services.discussions import comment_post
from notes.services.reviews import change_request_approve
from tests.factories import make_thread, propose_chapter_edit

pytestmark = pytest.mark.django_db

Status = Notification.EmailStatus
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def watched_thread(chapter, reader):
    """A thread started by the reader, who therefore watches it."""
    return make_thread(chapter=chapter, author=reader, title="Why columns?")


def links_in(body: str) -> list[str]:
    return re.findall(r"http://localhost:8000(/\S+)", body)


class FailingMailBackend(locmem.EmailBackend):
    """A mail server that refuses every message."""

    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        raise OSError("421 service not available")


class BrokenTaskBackend:
    """Stands in for ``enqueue``: the queue itself is down."""

    @staticmethod
    def enqueue(*args, **kwargs):
        raise ConnectionError("task queue unreachable")


# --- Queued with the event, sent after the commit ---------------------------------------------


def test_the_email_task_is_only_enqueued_when_the_event_commits(
    watched_thread, editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_post(thread=watched_thread, author=editor, body="An answer.")
    # Inside the transaction: the outbox row is written, nothing is sent or enqueued.
    notification = Notification.objects.get(recipient__username="reader")
    assert notification.email_status == Status.PENDING
    # The mail's task and the expiries (the page cache's, the snapshots of the recipient and
    # of the author, who now watches the thread) wait for the commit.
    names = sorted(callback.__qualname__.split(".")[0] for callback in callbacks)
    assert mailoutbox == [] and names == ["_notify", "page_cache_expire", "viewer_expire", "viewer_expire"]
    for callback in callbacks:
        callback()  # the commit
    assert [mail.to for mail in mailoutbox] == [["reader@example.com"]]
    notification.refresh_from_db()
    assert notification.email_status == Status.SENT and notification.emailed_at is not None


def test_an_event_rolled_back_sends_nothing(
    watched_thread, editor, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        comment_post(thread=watched_thread, author=editor, body="Never posted.")
        raise RuntimeError("the request failed later")
    assert callbacks == [] and mailoutbox == []
    assert not Notification.objects.filter(recipient__username="reader").exists()


def test_one_email_per_person_per_event_with_the_link_and_no_comment_text(
    watched_thread, editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(thread=watched_thread, author=editor, body="@reader the secret answer")
    (mail,) = mailoutbox  # mentioned and watching: one notification, one mail
    assert mail.subject == "editor mentioned you in “Why columns?”"
    assert f"http://localhost:8000/discussion/comments/{comment.pk}/" in mail.body
    assert "secret answer" not in mail.body
    assert "Test Book, Chapter 1" in mail.body


def test_an_approval_emails_the_author_and_the_watchers(
    chapter, editor, reviewer, reader, mailoutbox, django_capture_on_commit_callbacks
):
    watching.watch_add(user=reader, target=chapter)
    request = propose_chapter_edit(editor, chapter, chapter.body + "\nMore.", summary="Clarified the intro")
    with django_capture_on_commit_callbacks(execute=True):
        change_request_approve(change_request=request, reviewer=reviewer)
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {"editor@example.com", "reader@example.com"}
    assert by_address["editor@example.com"].subject == (
        "reviewer approved and published your change “Clarified the intro”"
    )
    reader_mail = by_address["reader@example.com"]
    assert reader_mail.subject == "reviewer published a new version of “Chapter 1 - Chapter title 1”"
    assert "Summary: Clarified the intro" in reader_mail.body
    assert "http://localhost:8000/books/test-book/chapters/1/" in reader_mail.body


def test_a_partial_publication_emails_the_author_how_many_changes_were_published(
    chapter, editor, reviewer, reader, mailoutbox, django_capture_on_commit_callbacks
):
    from notes.selectors.reviews import proposed_changes
    from notes.services.reviews import change_request_approve_part

    watching.watch_add(user=reader, target=chapter)
    body = chapter.body.replace("Notes for", "Notes on").replace("The end.", "The very end.")
    request = propose_chapter_edit(editor, chapter, body, summary="Two small fixes")
    first = proposed_changes(request).changes[0]
    with django_capture_on_commit_callbacks(execute=True):
        change_request_approve_part(
            change_request=request, reviewer=reviewer, accepted=[first.id], revision=1
        )
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert (
        by_address["editor@example.com"].subject == "reviewer published part of your change “Two small fixes”"
    )
    assert (
        "1 of your 2 changes were published; 1 remains for review." in by_address["editor@example.com"].body
    )
    # The watchers hear of a new version, without the author's count.
    assert "of your" not in by_address["reader@example.com"].body


# --- Failures --------------------------------------------------------------------------------------


@override_settings(EMAIL_BACKEND=f"{__name__}.FailingMailBackend")
def test_a_failing_mail_server_is_retried_a_bounded_number_of_times_and_keeps_the_event(
    watched_thread, editor, django_capture_on_commit_callbacks, caplog
):
    FailingMailBackend.attempts = 0
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(thread=watched_thread, author=editor, body="An answer.")
    assert Comment.objects.filter(pk=comment.pk).exists()
    notification = Notification.objects.get(recipient__username="reader")
    assert (notification.email_status, notification.email_attempts) == (
        Status.FAILED,
        email_service.MAX_EMAIL_ATTEMPTS,
    )
    assert FailingMailBackend.attempts == email_service.MAX_EMAIL_ATTEMPTS
    assert "Could not send the notification e-mail to reader@example.com" in caplog.text
    assert "Gave up e-mailing notification" in caplog.text
    # The notification itself is there, unread, whatever happened to its mail.
    assert notification.read_at is None


def test_a_task_queue_that_cannot_enqueue_keeps_the_event_and_the_mail_waits(
    watched_thread, editor, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    import notes.tasks

    monkeypatch.setattr(notes.tasks, "send_notification_emails", BrokenTaskBackend)
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(thread=watched_thread, author=editor, body="An answer.")
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert mailoutbox == []
    assert Notification.objects.get(recipient__username="reader").email_status == Status.PENDING
    monkeypatch.undo()
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115 (the hourly sweep)
    assert [mail.to for mail in mailoutbox] == [["reader@example.com"]]


# Transactional: the worker closes its connection between tasks, as a real one does.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_with_the_database_queue_the_worker_sends_the_mail_and_retries_later(
    watched_thread, editor, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=watched_thread, author=editor, body="An answer.")
    assert mailoutbox == []  # queued, not sent by the web process
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "notes.tasks.send_notification_emails"

    settings.EMAIL_BACKEND = f"{__name__}.FailingMailBackend"
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    notification = Notification.objects.get(recipient__username="reader")
    assert (notification.email_status, notification.email_attempts) == (Status.PENDING, 1)
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=50)  # later, not at once
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert Notification.objects.get(pk=notification.pk).email_attempts == 1  # not due yet

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [mail.to for mail in django_mail.outbox] == [["reader@example.com"]]
    notification.refresh_from_db()
    assert notification.email_status == Status.SENT


# --- Settings: at once, daily digest, never ------------------------------------------------------------


def test_email_off_sends_nothing_but_still_notifies(
    watched_thread, editor, reader, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.notification_settings_update(user=reader, email="off")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=watched_thread, author=editor, body="An answer.")
    assert mailoutbox == []
    assert Notification.objects.get(recipient=reader).email_status == Status.NONE


def test_a_daily_digest_sends_one_mail_per_person_per_day(
    watched_thread, editor, reviewer, reader, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.notification_settings_update(user=reader, email="daily")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=watched_thread, author=editor, body="First answer.")
        comment_post(thread=watched_thread, author=reviewer, body="Second answer.")
    # The editor (watching since their answer) gets the second at once; the reader waits.
    assert [mail.to for mail in mailoutbox] == [["editor@example.com"]]
    mailoutbox.clear()
    today = datetime.date(2026, 12, 3)
    assert email_service.digests_send(today=today) == 1
    (digest,) = mailoutbox
    assert digest.to == ["reader@example.com"]
    assert digest.subject == "Chapterwise digest: 2 notifications"
    assert "- editor commented in “Why columns?”" in digest.body
    assert "- reviewer commented in “Why columns?”" in digest.body
    assert "Unsubscribe from all Chapterwise e-mail: http://localhost:8000/email/unsubscribe/" in digest.body

    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=watched_thread, author=reviewer, body="Third answer.")
    mailoutbox[1:] = []  # the editor's instant mail
    assert email_service.digests_send(today=today) == 0  # one a day
    assert len(mailoutbox) == 1
    assert email_service.digests_send(today=today + datetime.timedelta(days=1)) == 1
    assert mailoutbox[1].subject == "Chapterwise digest: 1 notification"
    assert not Notification.objects.filter(email_status=Status.DIGEST).exists()


def test_the_digest_command_says_how_many_it_sent(
    watched_thread, editor, reader, django_capture_on_commit_callbacks
):
    import io

    notifications.notification_settings_update(user=reader, email="daily")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=watched_thread, author=editor, body="An answer.")
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue() == "Sent 1 digest.\n"


def test_leaving_the_digest_drops_what_waited_for_it(
    watched_thread, editor, reader, django_capture_on_commit_callbacks
):
    notifications.notification_settings_update(user=reader, email="daily")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=watched_thread, author=editor, body="An answer.")
    notifications.notification_settings_update(user=reader, email="instant")
    assert Notification.objects.get(recipient=reader).email_status == Status.SKIPPED
    assert email_service.digests_send() == 0


def test_an_unknown_choice_is_refused(reader):
    with pytest.raises(notifications.NotificationError, match="Choose at once, a daily digest, or never."):
        notifications.notification_settings_update(user=reader, email="hourly")


# --- Links in the e-mails, without logging in --------------------------------------------------------


@pytest.fixture
def sent(watched_thread, editor, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=watched_thread, author=editor, body="An answer.")
    (mail,) = mailoutbox
    return mail


def test_every_email_has_an_unsubscribe_link_and_header(sent):
    (unsubscribe,) = [link for link in links_in(sent.body) if link.startswith("/email/unsubscribe/")]
    assert sent.extra_headers["List-Unsubscribe"] == f"<http://localhost:8000{unsubscribe}>"
    assert "http://localhost:8000/notifications/settings/" in sent.body


def test_a_valid_unsubscribe_link_turns_email_off_without_logging_in(client, sent, reader):
    (link,) = [link for link in links_in(sent.body) if link.startswith("/email/unsubscribe/")]
    page = client.get(link)
    assert page.status_code == 200 and "Stop all Chapterwise e-mail to <strong>reader</strong>" in page.text
    assert not NotificationSettings.objects.exists()  # opening the link changes nothing
    done = client.post(link)
    assert done.status_code == 200 and "E-mail is off" in done.text
    assert NotificationSettings.objects.get(user=reader).email == "off"


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "x" + token,  # the payload
        lambda token: token.split(":")[0],  # cut short
    ],
)
def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(client, sent, reader, change):
    (link,) = [link for link in links_in(sent.body) if link.startswith("/email/unsubscribe/")]
    token = link.removeprefix("/email/unsubscribe/").rstrip("/")
    bad = f"/email/unsubscribe/{change(token)}/"
    for response in (client.get(bad), client.post(bad)):
        assert response.status_code == 400
        assert "This link is not valid" in response.text
    assert not NotificationSettings.objects.exists()


def test_an_unsubscribe_token_cannot_be_used_as_an_unwatch_token(client, reader):
    token = email_tokens.unsubscribe_token(reader)
    response = client.post(f"/email/unwatch/{token}/")
    assert response.status_code == 400 and "This link is not valid" in response.text


def test_the_unwatch_link_of_a_watched_thread_ends_that_watch(client, sent, reader, watched_thread):
    assert "You get this because you watch the thread “Why columns?”." in sent.body
    (link,) = [link for link in links_in(sent.body) if link.startswith("/email/unwatch/")]
    assert "Stop telling <strong>reader</strong> about the thread" in client.get(link).text
    assert Watch.objects.filter(user=reader, thread=watched_thread).exists()
    done = client.post(link)
    assert "You stopped watching" in done.text
    assert not Watch.objects.filter(user=reader, thread=watched_thread).exists()
    assert "You were not watching" in client.post(link).text  # a second click is harmless


def test_a_mention_email_has_no_unwatch_link(
    chapter, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    thread = make_thread(chapter=chapter, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=thread, author=editor, body="@reviewer look")
    (mail,) = mailoutbox
    assert "/email/unwatch/" not in mail.body and "/email/unsubscribe/" in mail.body


def test_a_mention_in_a_watched_thread_offers_to_end_the_watch_without_claiming_it_came_from_it(
    watched_thread, editor, reader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=watched_thread, author=editor, body="@reader look")
    (mail,) = mailoutbox
    assert "You get this because you watch" not in mail.body
    assert "Stop watching the thread “Why columns?”: http://localhost:8000/email/unwatch/" in mail.body
