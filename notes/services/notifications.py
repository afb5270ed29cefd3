"""Telling people: in-app notifications of mentions, and the e-mail that goes with them."""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from notes.models import Comment, Notification

logger = logging.getLogger(__name__)

# People notified (in-app and by e-mail) per comment, the first mentioned first; later
# mentions are still linked. One comment naming 300 people must not send 300 e-mails.
MAX_NOTIFIED_MENTIONS = 20


@transaction.atomic
def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all, or those of ``notification_ids``: the ones
    a page showed); returns how many were unread."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def notify_mentions(comment: Comment, users: list, *, limit: int = MAX_NOTIFIED_MENTIONS) -> None:
    """One notification for each of the first ``limit`` mentioned users (not the author);
    mail after the commit."""
    recipients = [user for user in users if user.pk != comment.author_id][: max(limit, 0)]
    if not recipients:
        return
    Notification.objects.bulk_create(
        [Notification(recipient=user, comment=comment) for user in recipients], ignore_conflicts=True
    )
    with_email = [user.email for user in recipients if user.email]
    if with_email:
        url = settings.WIKI_SITE_URL.rstrip("/") + comment.get_absolute_url()
        subject = f"{comment.author.get_username()} mentioned you: {comment.thread.title}"[:150]
        message = (
            f"{comment.author.get_username()} mentioned you in the thread "
            f"“{comment.thread.title}” on {comment.thread.chapter}.\n\n{url}\n"
        )
        transaction.on_commit(partial(_send_mention_mail, subject, message, with_email))


def notify_new_mentions(comment: Comment, users: list) -> None:
    """After an edit: notify only those not notified of this comment yet, within the same cap."""
    already_notified = set(
        Notification.objects.filter(comment=comment).values_list("recipient_id", flat=True)
    )
    notify_mentions(
        comment,
        [user for user in users if user.pk not in already_notified],
        limit=MAX_NOTIFIED_MENTIONS - len(already_notified),
    )


def _send_mention_mail(subject: str, message: str, recipients: list[str]) -> None:
    """One e-mail per address (nobody sees the others), all through one connection.

    A mail server being down, or refusing one address, must not fail a posted comment:
    failures are logged, and one refused address does not stop the others.
    """
    try:
        with get_connection() as connection:
            for address in recipients:
                try:
                    EmailMessage(subject, message, None, [address], connection=connection).send()
                except Exception:
                    logger.exception("Could not send the mention notification to %s", address)
    except Exception:
        logger.exception("Could not connect to send mention notifications to %s", ", ".join(recipients))
