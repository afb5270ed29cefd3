"""A worker killed in the middle of sending the outbox loses nothing and, run again, sends
no message twice: each message is marked sent in its own transaction, and carries a
Message-ID that is the same at every attempt."""

import pytest
from django.core.mail.backends import locmem
from django.db import transaction
from django.test import override_settings

from notes.models import Notification
from notes.services import email as email_service
from notes.services.discussions import comment_post
from tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db

NO_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


class DiesOnTheThirdMessage(locmem.EmailBackend):
    sent = 0

    def send_messages(self, messages):
        if type(self).sent == 2:
            raise WorkerKilled
        type(self).sent += 1
        return super().send_messages(messages)


@pytest.fixture
def outbox(chapter):
    thread = make_thread(chapter=chapter, author=make_user("starter", role="Reader"))
    for index in range(4):
        make_user(f"watcher{index}", role="Reader")
    with override_settings(TASKS=NO_QUEUE), transaction.atomic():
        comment_post(
            thread=thread,
            author=make_user("writer", role="Reader"),
            body=" ".join(f"@watcher{index}" for index in range(4)),
        )
    assert Notification.objects.filter(email_status="pending").count() == 5


def test_a_run_killed_mid_batch_keeps_what_it_sent_and_the_next_run_sends_only_the_rest(outbox, mailoutbox):
    with override_settings(EMAIL_BACKEND=f"{__name__}.DiesOnTheThirdMessage"), pytest.raises(WorkerKilled):
        email_service.notification_emails_send()
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(email_status="sent").count() == 2

    counts = email_service.notification_emails_send()
    assert counts["sent"] == 3
    addresses = [mail.to[0] for mail in mailoutbox]
    assert len(addresses) == 5 and len(set(addresses)) == 5
    assert not Notification.objects.exclude(email_status="sent").exists()


def test_each_message_carries_a_message_id_that_names_its_notification(outbox, mailoutbox):
    email_service.notification_emails_send()
    ids = {mail.extra_headers["Message-ID"] for mail in mailoutbox}
    assert len(ids) == 5
    notification = Notification.objects.order_by("id").first()
    assert email_service.message_id(notification) in ids
    assert email_service.message_id(notification) == email_service.message_id(notification)
    assert email_service.message_id(notification).endswith("@localhost>")
