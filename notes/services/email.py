"""Sending the notification e-mails the outbox holds: at once, or as a daily digest.

Run by the task queue (``notes.tasks``) after the event committed, or by
``manage.py send_digests``; never inside an event's transaction, so a mail server that is
down can only delay mail, never undo what happened. Each address gets its own message,
all of one run through one connection. A failed message is tried again later, at most
``MAX_EMAIL_ATTEMPTS`` times in all, then marked failed and logged.

No e-mail carries the text of a comment: a moderator may hide it after the mail left.
"""

import datetime
import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from notes import tasks
from notes.lib.email_tokens import unsubscribe_token, unwatch_token
from notes.lib.limits import MAX_EMAIL_SUBJECT_LENGTH
from notes.models import Notification, NotificationSettings
from notes.selectors.following import watched_keys

logger = logging.getLogger(__name__)

EmailStatus = Notification.EmailStatus
MAX_EMAIL_ATTEMPTS = 5
# Wait before the 2nd, 3rd, ... attempt (when the task backend can run a task later).
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60)
# One run sends at most this many; the next run takes the rest.
BATCH = 200
# A digest lists at most this many notifications and says how many more are on the site.
DIGEST_LIMIT = 100

_RELATED = (
    "recipient",
    "actor",
    "book",
    "chapter",
    "thread",
    "comment",
    "change_request",
)


def notification_emails_send(*, event_key: str | None = None) -> dict:
    """Send the pending instant e-mails of one event (or all of them); returns counts.

    Each message is claimed, sent and marked sent in its own transaction, under a lock that
    skips rows another worker holds: two runs never send one message twice (PostgreSQL;
    SQLite runs one writer at a time anyway), and a worker killed mid-batch leaves every
    message it sent marked sent, so the run after it sends only the rest. Only a kill between
    the mail server's "accepted" and the commit can repeat that one message, and it then
    carries the same Message-ID (``message_id``), by which mail systems drop the copy.
    """
    counts = {"sent": 0, "retry": 0, "failed": 0}
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING)
    if event_key is not None:
        pending = pending.filter(event_key=event_key)
    ids = list(pending.order_by("id").values_list("id", flat=True)[:BATCH])
    if not ids:
        return counts
    attempts = []
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        logger.exception("Could not connect to the mail server to send %d notification(s)", len(ids))
        for notification_id in ids:
            with transaction.atomic():
                notification = _claimed(notification_id)
                if notification is not None:
                    _count(counts, _failed(notification))
                    attempts.append(notification)
    else:
        with connection:
            for notification_id in ids:
                with transaction.atomic():
                    notification = _claimed(notification_id)
                    if notification is None:  # sent meanwhile, or another worker holds it
                        continue
                    address = notification.recipient.email
                    try:
                        _instant_message(notification, connection).send()
                    except Exception:
                        logger.exception("Could not send the notification e-mail to %s", address)
                        _count(counts, _failed(notification))
                        attempts.append(notification)
                    else:
                        notification.email_status = EmailStatus.SENT
                        notification.emailed_at = timezone.now()
                        notification.save(update_fields=["email_status", "emailed_at"])
                        counts["sent"] += 1
    if counts["retry"]:
        waiting = [n.email_attempts for n in attempts if n.email_status == EmailStatus.PENDING]
        _schedule_retry(event_key, min(waiting))
    return counts


def _claimed(notification_id: int) -> Notification | None:
    """The notification, locked for this transaction, if it is still waiting to be sent."""
    return (
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING)
        .select_related(*_RELATED)
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )


def message_id(notification: Notification) -> str:
    """The Message-ID of a notification's e-mail: the same for every attempt at one
    notification (its idempotency key), different for every notification."""
    host = urlsplit(settings.WIKI_SITE_URL).hostname or "localhost"
    event = re.sub(r"[^A-Za-z0-9]+", "-", notification.event_key or "event").strip("-")
    return f"<notification-{notification.pk}.{event}@{host}>"


def _failed(notification: Notification) -> str:
    notification.email_attempts += 1
    if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
        notification.email_status = EmailStatus.FAILED
        logger.error(
            "Gave up e-mailing notification #%s to %s after %d attempts",
            notification.pk,
            notification.recipient.email,
            notification.email_attempts,
        )
    notification.save(update_fields=["email_status", "email_attempts"])
    return "failed" if notification.email_status == EmailStatus.FAILED else "retry"


def _count(counts: dict, outcome: str) -> None:
    counts[outcome] += 1


def _schedule_retry(event_key: str | None, attempts: int) -> None:
    """Enqueue the task again: later where the backend defers (the database queue), at once
    where it cannot (the immediate backend of development and tests); bounded either way,
    since each attempt counts against ``MAX_EMAIL_ATTEMPTS``."""
    task = tasks.send_notification_emails
    if task.get_backend().supports_defer:
        delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    try:
        task.enqueue(event_key)
    except Exception:
        # The rows stay pending: the next `send_digests` run sends them.
        logger.exception("Could not enqueue the retry of notification e-mails")


def digests_send(*, today: datetime.date | None = None) -> int:
    """One digest e-mail per daily-digest person with something waiting, at most one a day.

    Returns how many digests were sent. Also sends instant e-mails left pending (a task
    that could not be enqueued), so running it hourly loses nothing.
    """
    notification_emails_send()
    today = today or timezone.now().date()
    people = (
        NotificationSettings.objects.filter(email=NotificationSettings.Email.DAILY)
        .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today))
        .annotate(
            waiting=Count(
                "user__notifications", filter=Q(user__notifications__email_status=EmailStatus.DIGEST)
            )
        )
        .filter(waiting__gt=0)
        .values_list("user_id", flat=True)
    )
    sent = 0
    for user_id in list(people[:BATCH]):
        sent += _digest_send(user_id, today)
    return sent


@transaction.atomic
def _digest_send(user_id: int, today: datetime.date) -> int:
    choice = NotificationSettings.objects.select_for_update().select_related("user").get(pk=user_id)
    if choice.email != NotificationSettings.Email.DAILY or (
        choice.digest_sent_on and choice.digest_sent_on >= today
    ):
        return 0
    waiting = Notification.objects.filter(recipient_id=user_id, email_status=EmailStatus.DIGEST)
    total = waiting.count()
    notifications = list(waiting.select_related(*_RELATED).order_by("created_at", "id")[:DIGEST_LIMIT])
    if not notifications or not choice.user.email:
        return 0
    try:
        _digest_message(choice.user, notifications, total).send()
    except Exception:
        logger.exception("Could not send the daily digest to %s", choice.user.email)
        for notification in notifications:
            _failed(notification)
        return 0
    now = timezone.now()
    # Everything waiting is covered: the mail lists the first ones and links the rest.
    waiting.update(email_status=EmailStatus.SENT, emailed_at=now)
    choice.digest_sent_on = today
    choice.save(update_fields=["digest_sent_on", "updated_at"])
    return 1


# --- The messages ------------------------------------------------------------------------------


def _site(path: str) -> str:
    return settings.WIKI_SITE_URL.rstrip("/") + path


def sentence(notification: Notification) -> str:
    """The notification in words, as the list on the site says it."""
    actor = notification.actor.get_username() if notification.actor_id else "Someone"
    return f"{actor} {notification.verb} “{notification.label}”"


def _footer(user, notification: Notification | None = None) -> tuple[str, dict]:
    unsubscribe = _site(reverse("notes:email-unsubscribe", kwargs={"token": unsubscribe_token(user)}))
    lines = ["", "-- "]
    found = notification.watch_to_end(watched_keys(user=user)) if notification is not None else None
    if found:
        kind, target_id, target = found
        token = unwatch_token(user, target=kind, target_id=target_id)
        if notification.via:
            lines.append(f"You get this because you watch the {kind} “{target}”.")
        lines.append(
            f"Stop watching the {kind} “{target}”: {_site(reverse('notes:email-unwatch', kwargs={'token': token}))}"
        )
    lines.append(f"Daily digest or no e-mail: {_site(reverse('notes:notification-settings'))}")
    lines.append(f"Unsubscribe from all Chapterwise e-mail: {unsubscribe}")
    return "\n".join(lines) + "\n", {"List-Unsubscribe": f"<{unsubscribe}>"}


def _instant_message(notification: Notification, connection) -> EmailMessage:
    user = notification.recipient
    lines = [f"{sentence(notification)}."]
    if notification.kind == Notification.Kind.PUBLISHED and notification.change_request_id:
        lines.append(f"Summary: {notification.change_request.summary}")
    if notification.detail:
        lines.append(notification.detail)
    if notification.place:
        lines.append(notification.place)
    lines += ["", _site(notification.get_absolute_url())]
    footer, headers = _footer(user, notification)
    headers["Message-ID"] = message_id(notification)
    return EmailMessage(
        subject=_subject(sentence(notification)),
        body="\n".join(lines) + "\n" + footer,
        to=[user.email],
        headers=headers,
        connection=connection,
    )


def _digest_message(user, notifications: list[Notification], total: int) -> EmailMessage:
    lines = [f"Your notifications on Chapterwise since the last digest ({total}):", ""]
    for notification in notifications:
        lines.append(f"- {sentence(notification)} ({notification.place})")
        lines.append(f"  {_site(notification.get_absolute_url())}")
    if total > len(notifications):
        lines += ["", f"… and {total - len(notifications)} more: {_site(reverse('notes:notification-list'))}"]
    footer, headers = _footer(user)
    return EmailMessage(
        subject=_subject(f"Chapterwise digest: {total} notification{'s' if total != 1 else ''}"),
        body="\n".join(lines) + "\n" + footer,
        to=[user.email],
        headers=headers,
    )


def _subject(text: str) -> str:
    return " ".join(text.split())[:MAX_EMAIL_SUBJECT_LENGTH]


# --- Sign-in mail (django-allauth) ----------------------------------------------------------------


def account_email_queue(*, message: EmailMessage) -> None:
    """Send ``message`` (written by allauth: a password reset, an address to confirm) from
    the task queue once the request's transaction commits.

    Sent in the request, a reset for an address with an account waited for the mail
    server and one for an unknown address did not: the time told which addresses have
    accounts. The message is written here, so the worker needs no request; its link
    travels in the queued task until it is sent.
    """
    html = next(
        (content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"), ""
    )
    parts = {
        "subject": message.subject,
        "body": message.body,
        "html": html,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
    }

    def enqueue() -> None:
        try:
            tasks.send_account_email.enqueue(parts)
        except Exception:
            # The request has answered already; the person asks again (the page says so).
            logger.exception("Could not queue a sign-in e-mail (%s)", message.subject)

    transaction.on_commit(enqueue)


def account_email_send(*, message: dict) -> int:
    """Send a sign-in e-mail queued by ``account_email_queue``; 1 when sent."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
    )
    if message["html"]:
        email.attach_alternative(message["html"], "text/html")
    return email.send()
