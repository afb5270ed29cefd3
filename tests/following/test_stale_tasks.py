"""A task whose worker died while running it is queued again (``requeue_stale_tasks``, run
hourly by the compose file's digest service), and the next worker finishes it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from notes.models import Notification
from notes.services.discussions import comment_post
from notes.services.task_queue import stale_tasks_requeue
from tests.factories import make_thread

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def died_while_running(task, *, minutes_ago: int):
    task.status = "RUNNING"
    task.started_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    task.worker_ids = ["killed-worker"]
    task.save(update_fields=["status", "started_at", "worker_ids"])


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_left_running_by_a_dead_worker_is_queued_again_and_sent_once(
    chapter, reader, editor, mailoutbox, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    thread = make_thread(chapter=chapter, author=reader, title="Why columns?")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(thread=thread, author=editor, body="An answer.")
    (queued,) = DBTaskResult.objects.all()
    died_while_running(queued, minutes_ago=45)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert mailoutbox == []  # no worker takes a RUNNING task: it was stuck

    out = io.StringIO()
    call_command("requeue_stale_tasks", "--minutes", "30", stdout=out)
    assert out.getvalue() == "Queued again 1 stale task.\n"
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [mail.to for mail in mailoutbox] == [["reader@example.com"]]
    assert Notification.objects.get(recipient=reader).email_status == "sent"
    # Run again: nothing left running, nothing sent twice.
    call_command("requeue_stale_tasks", stdout=io.StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mailoutbox) == 1


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_running_for_a_short_while_or_not_ours_is_left_alone():
    from django_tasks_db.models import DBTaskResult

    from notes import tasks

    recent = tasks.send_notification_emails.enqueue("recent")
    foreign = tasks.send_notification_emails.enqueue("foreign")
    for result, minutes in ((recent, 5), (foreign, 90)):
        died_while_running(DBTaskResult.objects.get(pk=result.id), minutes_ago=minutes)
    DBTaskResult.objects.filter(pk=foreign.id).update(task_path="other_app.tasks.unknown")
    assert stale_tasks_requeue(older_than=datetime.timedelta(minutes=30)) == 0
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 2


def test_minutes_below_one_are_refused():
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("requeue_stale_tasks", "--minutes", "0", stderr=err)
    assert "--minutes must be at least 1." in err.getvalue()
