"""Telling people: a notification for every event that concerns them, and its e-mail.

The services of the events (``notes.services.discussions``, ``notes.services.reviews``)
call the ``notify_*`` functions as their last step, inside their own transaction: the
notifications commit with the event or not at all. Each event has a key; a person gets
one notification per key, by the first rule that names them (a mention before a reply to
them, before a watch of the thread, the chapter, then the book), and never for what they
did themself.

E-mail goes through an outbox: a notification for someone who wants e-mail at once is
written with ``email_status="pending"``, and after the commit a task (django-tasks, see
``notes.tasks``) sends what is pending for the event. A failed send is retried a bounded
number of times by the task and never touches the event. Daily-digest people's
notifications wait as ``"digest"`` for ``manage.py send_digests``.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notes import permissions, tasks
from notes.lib import email_tokens
from notes.lib.limits import MAX_NOTIFIED_MENTIONS
from notes.models import (
    ChangeRequest,
    Comment,
    DiffComment,
    Notification,
    NotificationSettings,
    Review,
    Watch,
)
from notes.services.viewers import viewer_changed

logger = logging.getLogger(__name__)

Kind = Notification.Kind
EmailStatus = Notification.EmailStatus
EmailChoice = NotificationSettings.Email


class NotificationError(Exception):
    """A refused notification action (a bad e-mail link); the message is shown as is."""


# --- The events ------------------------------------------------------------------------------


def notify_comment(comment: Comment, *, mentioned: list, starts_thread: bool = False) -> None:
    """A comment was posted (or a thread started with it): the mentioned, the author of the
    comment replied to, and the watchers of the thread, its chapter and its book."""
    direct = [(user.pk, Kind.MENTION) for user in _mentions(comment, mentioned, MAX_NOTIFIED_MENTIONS)]
    if comment.parent_id is not None:
        direct.append((comment.parent.author_id, Kind.REPLY))
    thread = comment.thread
    _notify(
        key=f"comment:{comment.pk}",
        actor_id=comment.author_id,
        place={
            "book_id": thread.chapter.book_id,
            "chapter_id": thread.chapter_id,
            "thread_id": thread.pk,
            "comment": comment,
        },
        direct=direct,
        watch_kind=Kind.THREAD if starts_thread else Kind.COMMENT,
    )


def notify_new_mentions(comment: Comment, mentioned: list) -> None:
    """After an edit: the newly mentioned, within the cap for one comment."""
    already = dict(Notification.objects.filter(comment=comment).values_list("recipient_id", "kind"))
    users = [user for user in mentioned if user.pk not in already]
    limit = MAX_NOTIFIED_MENTIONS - sum(1 for kind in already.values() if kind == Kind.MENTION)
    thread = comment.thread
    _notify(
        key=f"comment:{comment.pk}",
        actor_id=comment.author_id,
        place={
            "book_id": thread.chapter.book_id,
            "chapter_id": thread.chapter_id,
            "thread_id": thread.pk,
            "comment": comment,
        },
        direct=[(user.pk, Kind.MENTION) for user in _mentions(comment, users, limit)],
    )


def notify_request_submitted(change_request: ChangeRequest, *, is_amendment: bool = False) -> None:
    """Sent for review (or amended): every reviewer, as each chose on their account page.

    "All" hears of every request, "watched" only of those on a chapter or book they watch,
    "none" of none. Reviewers (the role) start at "all", admins at "watched". A watcher
    hears of it through their watch, so its notification offers the Unwatch that covers it.
    """
    reviewers = permissions.reviewer_ids()
    by_role = permissions.reviewer_role_ids()
    choices = dict(
        NotificationSettings.objects.filter(user_id__in=reviewers).values_list("user_id", "new_requests")
    )
    NewRequests = NotificationSettings.NewRequests

    def choice(user_id: int) -> str:
        # The same defaults as permissions.new_requests_default, for many people at once.
        return choices.get(user_id) or (NewRequests.ALL if user_id in by_role else NewRequests.WATCHED)

    told = {user_id for user_id in reviewers if choice(user_id) == NewRequests.ALL}
    silent = {user_id for user_id in reviewers if choice(user_id) == NewRequests.NONE}
    kind = Kind.AMENDED if is_amendment else Kind.SUBMITTED
    _notify(
        key=f"request:{change_request.pk}:submitted:{change_request.revision}",
        actor_id=change_request.author_id,
        place=_request_place(change_request),
        watch_kind=kind,
        watchers_filter=lambda watchers: (reviewers & set(watchers)) - silent,
        after_watchers=[(user_id, kind) for user_id in sorted(told)],
    )


def notify_request_reviewed(
    change_request: ChangeRequest, review: Review, *, published: bool, detail: str = ""
) -> None:
    """A verdict: the author hears of it; an approval that published also tells the watchers
    of the page (a new version), and one that found a conflict only the author. ``detail``
    is said to the author only ("3 of your 5 changes were published; 2 remain for review")."""
    verdict_kinds = {
        Review.Verdict.REQUEST_CHANGES: Kind.CHANGES_REQUESTED,
        Review.Verdict.REJECT: Kind.REJECTED,
        Review.Verdict.APPROVE: Kind.APPROVED if published else Kind.CONFLICT,
        Review.Verdict.APPROVE_PART: Kind.PARTLY_PUBLISHED if published else Kind.CONFLICT,
        Review.Verdict.REJECT_PART: Kind.PART_REJECTED,
    }
    _notify(
        key=f"review:{review.pk}",
        actor_id=review.reviewer_id,
        place=_request_place(change_request),
        direct=[(change_request.author_id, verdict_kinds[review.verdict])],
        watch_kind=Kind.PUBLISHED if published else None,
        direct_detail=detail,
    )


def notify_diff_comment(comment: DiffComment) -> None:
    """A comment on a line or cell of a request (or an answer to one): the request's author
    and everyone who wrote in that comment's thread hear of it, the writer excepted."""
    change_request = comment.change_request
    root = comment.parent or comment
    in_thread = [root.author_id, *DiffComment.objects.filter(parent=root).values_list("author_id", flat=True)]
    people = dict.fromkeys([change_request.author_id, *in_thread])
    _notify(
        key=f"diff-comment:{comment.pk}",
        actor_id=comment.author_id,
        place=_request_place(change_request),
        direct=[(user_id, Kind.DIFF_COMMENT) for user_id in people],
    )


def _request_place(change_request: ChangeRequest) -> dict:
    return {
        "book_id": change_request.book_id,
        "chapter_id": change_request.chapter_id,
        "change_request": change_request,
    }


def _mentions(comment: Comment, users: list, limit: int) -> list:
    return [user for user in users if user.pk != comment.author_id][: max(limit, 0)]


def _notify(
    *,
    key: str,
    actor_id: int | None,
    place: dict,
    direct: Iterable[tuple[int, str]] = (),
    watch_kind: str | None = None,
    watchers_filter=None,
    after_watchers: Iterable[tuple[int, str]] = (),
    direct_detail: str = "",
) -> None:
    """Write one notification per person the event concerns; e-mail after the commit.

    ``direct`` people come before the watchers, ``after_watchers`` after them (told without
    a watch, unless a watch names them already).
    """
    chosen: dict[int, tuple[str, str]] = {}
    told_directly = set()
    for user_id, kind in direct:
        chosen.setdefault(user_id, (kind, ""))
        told_directly.add(user_id)
    if watch_kind is not None:
        watchers = _watchers(place)
        if watchers_filter is not None:
            allowed = watchers_filter(watchers)
            watchers = {user_id: via for user_id, via in watchers.items() if user_id in allowed}
        for user_id, via in watchers.items():
            chosen.setdefault(user_id, (watch_kind, via))
    for user_id, kind in after_watchers:
        chosen.setdefault(user_id, (kind, ""))
    chosen.pop(actor_id, None)
    if not chosen:
        return
    users = get_user_model().objects.filter(pk__in=list(chosen), is_active=True)
    users = users.select_related("notification_settings")
    rows = []
    for user in users:
        kind, via = chosen[user.pk]
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                actor_id=actor_id,
                via=via,
                event_key=key,
                detail=direct_detail if user.pk in told_directly else "",
                email_status=_email_status(user),
                **place,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    viewer_changed(*(row.recipient_id for row in rows))  # their unseen counts; no signal sent
    if any(row.email_status == EmailStatus.PENDING for row in rows):
        # robust: the event is committed already; a queue that is down must not turn the
        # answer into an error (the mail waits as pending for the next sweep).
        transaction.on_commit(lambda: _enqueue_email(key), robust=True)


def _watchers(place: dict) -> dict[int, str]:
    """Who watches the place, each with the most precise watch that covers it (one query)."""
    where = Q(book_id=place["book_id"])
    if place.get("chapter_id"):
        where |= Q(chapter_id=place["chapter_id"])
    if place.get("thread_id"):
        where |= Q(thread_id=place["thread_id"])
    found: dict[int, str] = {}
    Target = Watch.Target
    order = {Target.THREAD: 0, Target.CHAPTER: 1, Target.BOOK: 2}
    for user_id, thread_id, chapter_id in Watch.objects.filter(where).values_list(
        "user_id", "thread_id", "chapter_id"
    ):
        via = Target.THREAD if thread_id else Target.CHAPTER if chapter_id else Target.BOOK
        if user_id not in found or order[via] < order[found[user_id]]:
            found[user_id] = via
    return found


def _email_status(user) -> str:
    if not user.email:
        return EmailStatus.NONE
    try:
        choice = user.notification_settings.email
    except NotificationSettings.DoesNotExist:
        choice = EmailChoice.INSTANT
    return {
        EmailChoice.INSTANT: EmailStatus.PENDING,
        EmailChoice.DAILY: EmailStatus.DIGEST,
    }.get(choice, EmailStatus.NONE)


def _enqueue_email(key: str) -> None:
    """After the commit: hand the event's e-mail to the task queue."""
    tasks.send_notification_emails.enqueue(key)


# --- The inbox -------------------------------------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, user) -> int:
    """Mark all the user's notifications read (and seen); returns how many were unread."""
    now = timezone.now()
    Notification.objects.filter(recipient=user, seen_at=None).update(seen_at=now)
    viewer_changed(user, carried=("_wiki_unread",))
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=now)


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise NotificationError("That notification is not yours, or no longer exists.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.seen_at = notification.seen_at or notification.read_at
        notification.save(update_fields=["read_at", "seen_at"])
    return notification


@transaction.atomic
def notifications_mark_seen(*, user) -> int:
    """The list was opened: the nav's count starts again from zero (read marks stay)."""
    viewer_changed(user, carried=("_wiki_unread",))
    return Notification.objects.filter(recipient=user, seen_at=None).update(seen_at=timezone.now())


# --- E-mail settings and the links in e-mails ------------------------------------------------------


@transaction.atomic
def review_notifications_update(*, user, new_requests: str) -> NotificationSettings:
    """Choose which newly submitted requests to hear of: all, those on what one watches, none."""
    if new_requests not in NotificationSettings.NewRequests.values:
        raise NotificationError("Choose all requests, those on what you watch, or none.")
    choice, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    choice.new_requests = new_requests
    choice.save(update_fields=["new_requests", "updated_at"])
    return choice


@transaction.atomic
def notification_settings_update(*, user, email: str) -> NotificationSettings:
    """Choose how e-mail comes: at once, a daily digest, or never.

    Leaving the digest drops what waited for it (it is still in the list on the site), and
    turning e-mail off drops what waited to be sent: nothing arrives after "off".
    """
    if email not in EmailChoice.values:
        raise NotificationError("Choose at once, a daily digest, or never.")
    choice, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    choice.email = email
    choice.save(update_fields=["email", "updated_at"])
    dropped = []
    if email != EmailChoice.DAILY:
        dropped.append(EmailStatus.DIGEST)
    if email == EmailChoice.OFF:
        dropped.append(EmailStatus.PENDING)
    if dropped:
        Notification.objects.filter(recipient=user, email_status__in=dropped).update(
            email_status=EmailStatus.SKIPPED
        )
    return choice


def user_from_unsubscribe_token(token: str):
    data = _load(email_tokens.unsubscribe_token_read, token)
    return _token_user(data)


def watch_from_unwatch_token(token: str) -> tuple:
    """``(user, target kind, target id)`` named by an unwatch link."""
    data = _load(email_tokens.unwatch_token_read, token)
    if data.get("target") not in Watch.Target.values or not isinstance(data.get("id"), int):
        raise NotificationError(_BAD_LINK)
    return _token_user(data), data["target"], data["id"]


@transaction.atomic
def email_unsubscribe(*, token: str) -> NotificationSettings:
    """Turn e-mail off for the person the link was made for; no login needed."""
    return notification_settings_update(user=user_from_unsubscribe_token(token), email=EmailChoice.OFF)


@transaction.atomic
def email_unwatch(*, token: str) -> tuple:
    """End the watch the link names; ``(user, target kind, target id, was watching)``."""
    user, target, target_id = watch_from_unwatch_token(token)
    deleted, _ = Watch.objects.filter(user=user, **{f"{target}_id": target_id}).delete()
    return user, target, target_id, bool(deleted)


_BAD_LINK = (
    "This link is not valid: it may have been cut short or changed. Open the whole link from "
    "the e-mail, or log in and change your notification settings."
)


_EXPIRED_LINK = (
    "This link has expired: links in e-mails work for {days} days. Log in and change your "
    "notification settings, or use the link in a newer e-mail."
)


def _load(read, token: str) -> dict:
    try:
        return read(token)
    except email_tokens.ExpiredToken:
        raise NotificationError(_EXPIRED_LINK.format(days=settings.EMAIL_LINK_MAX_AGE_DAYS)) from None
    except email_tokens.BadToken:
        raise NotificationError(_BAD_LINK) from None


def _token_user(data: dict):
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        raise NotificationError("The account this link was sent to no longer exists.")
    return user
