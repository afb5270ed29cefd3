"""Two workers sending the outbox at once never send one notification twice (PostgreSQL:
rows are claimed with FOR UPDATE SKIP LOCKED; SQLite runs one writer at a time)."""

import threading

from django.core.mail.backends import locmem
from django.db import connections, transaction
from django.test import override_settings

from notes.models import Notification
from notes.services import email as email_service
from notes.services.discussions import comment_post
from tests.concurrency import ON_POSTGRESQL_WITH_TRANSACTIONS
from tests.factories import make_thread, make_user

pytestmark = ON_POSTGRESQL_WITH_TRANSACTIONS


class SlowMailBackend(locmem.EmailBackend):
    """A mail server slow enough that two workers overlap."""

    def send_messages(self, messages):
        threading.Event().wait(0.05)
        return super().send_messages(messages)


@override_settings(
    EMAIL_BACKEND=f"{__name__}.SlowMailBackend",
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
)
def test_two_workers_at_once_send_each_notification_once(chapter, mailoutbox):
    starter = make_user("starter", role="Reader")
    thread = make_thread(chapter=chapter, author=starter)
    for index in range(8):
        make_user(f"watcher{index}", role="Reader")
    names = " ".join(f"@watcher{index}" for index in range(8))
    with transaction.atomic():  # the dummy queue keeps the task: the outbox waits for the workers
        comment_post(thread=thread, author=make_user("writer", role="Reader"), body=names)
    assert Notification.objects.filter(email_status="pending").count() == 9  # 8 mentioned + the starter

    barrier = threading.Barrier(2)
    results = []

    def work():
        try:
            barrier.wait(timeout=30)
            results.append(email_service.notification_emails_send())
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sum(result["sent"] for result in results) == 9
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [f"watcher{index}@example.com" for index in range(8)] + ["starter@example.com"]
    )
    assert not Notification.objects.exclude(email_status="sent").exists()
