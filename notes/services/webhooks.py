"""Webhooks: registering endpoints, turning the wiki's events into deliveries, and sending them.

Check, do, notify, as everywhere: the services of the events (reviews, publishing,
discussions, groups) call ``webhook_event_emit`` (through the ``*_emit`` helpers below)
as one of their last steps, inside their own transaction. The deliveries are rows written
in that transaction, so a rolled-back event leaves none, and the sending is handed to the
task queue only after the commit: nothing is ever sent for what did not happen.

Sending (``webhook_delivery_send``) signs the body with the endpoint's secret the Standard
Webhooks way, checks the address again (``notes.lib.webhook_urls``) and connects to the
address it checked. A failed attempt waits ``WEBHOOK_RETRY_DELAYS`` before the next; the
task queue runs it then where its backend can run a task later, and ``manage.py
send_webhooks`` (run every minute, see docs/WEBHOOKS.md) sends whatever is due in any case.
``WEBHOOK_DISABLE_AFTER_FAILURES`` failed attempts in a row disable the endpoint and tell
its creator by e-mail.

Payloads hold ids, titles, absolute links, user names and a one-line summary; never the
text of a comment (a moderator may hide it after it left), never a draft, never anything
of a private reading group.
"""

import datetime
import json
import logging
from collections.abc import Callable

import certifi
import urllib3
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from notes import permissions, tasks
from notes.lib.webhook_urls import CheckedUrl, WebhookUrlRefused, webhook_url_checked
from notes.models import Book, ChangeRequest, Comment, Meeting, Review, Thread
from notes.models.webhooks import TEST_EVENT, WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
# The most of a receiver's answer read and kept for the delivery log.
EXCERPT_LENGTH = 500
# One run of the sender sends at most this many; the next run takes the rest.
BATCH = 100


class WebhookError(Exception):
    """A refused webhook action; the message is shown to the user as is."""


class WebhookAddressRefused(WebhookError):
    """The address may not receive webhooks (see ``notes.lib.webhook_urls``)."""


# --- Endpoints ---------------------------------------------------------------------------------


def _require_manager(actor) -> None:
    if not permissions.can_manage_webhooks(actor):
        raise WebhookError("Only admins manage webhooks.")


def _events_checked(events) -> list[str]:
    known = set(WebhookEvent.values)
    chosen = list(dict.fromkeys(events or []))
    unknown = [event for event in chosen if event not in known]
    if unknown:
        raise WebhookError(f"“{unknown[0]}” is not an event the wiki sends.")
    if not chosen:
        raise WebhookError("Choose at least one event to send.")
    # In the order of the list on the page, whatever order the form sent.
    return [event for event in WebhookEvent.values if event in chosen]


def _url_checked(url: str) -> str:
    try:
        webhook_url_checked(url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_URLS)
    except WebhookUrlRefused as error:
        raise WebhookAddressRefused(str(error)) from None
    return url.strip()


@transaction.atomic
def webhook_endpoint_create(
    *, actor, url: str, book: Book | None, events: list[str], format: str
) -> WebhookEndpoint:
    """Register an address for the whole wiki (``book`` None) or one book; it gets a new secret."""
    _require_manager(actor)
    if format not in WebhookEndpoint.Format.values:
        raise WebhookError("Choose the Standard Webhooks or the Slack format.")
    events = _events_checked(events)
    url = _url_checked(url)
    return WebhookEndpoint.objects.create(url=url, book=book, events=events, format=format, created_by=actor)


def _locked(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    # Only the endpoint's row: PostgreSQL cannot lock the missing book of a whole-wiki endpoint.
    return WebhookEndpoint.objects.select_for_update(of=("self",)).select_related("book").get(pk=endpoint.pk)


@transaction.atomic
def webhook_endpoint_update(
    *, actor, endpoint: WebhookEndpoint, events: list[str], format: str
) -> WebhookEndpoint:
    """Change which events the endpoint gets and in which format (the address stays: register
    a new endpoint for a new address, so a receiver never gets the secret of another)."""
    _require_manager(actor)
    if format not in WebhookEndpoint.Format.values:
        raise WebhookError("Choose the Standard Webhooks or the Slack format.")
    endpoint = _locked(endpoint)
    endpoint.events = _events_checked(events)
    endpoint.format = format
    endpoint.save(update_fields=["events", "format"])
    return endpoint


@transaction.atomic
def webhook_endpoint_activate(*, actor, endpoint: WebhookEndpoint, is_active: bool) -> WebhookEndpoint:
    """Switch the endpoint on or off. Switching it on starts the failure count again, and
    checks the address again (it may resolve elsewhere since it was registered)."""
    _require_manager(actor)
    endpoint = _locked(endpoint)
    if endpoint.is_active == is_active:
        raise WebhookError(
            "This endpoint is already enabled." if is_active else "This endpoint is already disabled."
        )
    if is_active:
        _url_checked(endpoint.url)
        endpoint.consecutive_failures = 0
        endpoint.disabled_at = None
    endpoint.is_active = is_active
    endpoint.save(update_fields=["is_active", "consecutive_failures", "disabled_at"])
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, actor, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint and its delivery log; nothing more is sent to it."""
    _require_manager(actor)
    _locked(endpoint).delete()


@transaction.atomic
def webhook_test_send(*, actor, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a ``webhook.test`` event now, whatever events the endpoint chose."""
    _require_manager(actor)
    endpoint = _locked(endpoint)
    if not endpoint.is_active:
        raise WebhookError("Enable the endpoint before sending it a test event.")
    where = endpoint.book.title if endpoint.book_id else "the whole wiki"
    data = {
        "summary": f"{actor.get_username()} sent a test event to this webhook ({where}).",
        "url": _site(endpoint.get_absolute_url()),
        "actor": actor.get_username(),
        "book": _book_data(endpoint.book) if endpoint.book_id else None,
    }
    return _deliveries_create([endpoint], event=TEST_EVENT, data=data)[0]


@transaction.atomic
def webhook_delivery_redeliver(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's message again, as a new row of the log with the same ``webhook-id``
    and payload, so the receiver can tell it is the same message."""
    _require_manager(actor)
    endpoint = _locked(delivery.endpoint)
    if not endpoint.is_active:
        raise WebhookError("Enable the endpoint before redelivering to it.")
    if delivery.is_waiting:
        raise WebhookError(
            "This delivery is still being tried; redeliver it once it succeeded or was given up."
        )
    again = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=delivery.event,
        webhook_id=delivery.webhook_id,
        payload=delivery.payload,
        next_attempt_at=timezone.now(),
    )
    _enqueue_after_commit([again.pk])
    return again


# --- Events --------------------------------------------------------------------------------------


def webhook_event_emit(
    *, event: str, book: Book | None, payload: dict | Callable[[], dict]
) -> list[WebhookDelivery]:
    """One delivery of ``event`` per active endpoint that wants it (for the whole wiki or for
    ``book``), sent after the current transaction commits.

    ``payload`` is the event's data, or a function that builds it: called only when some
    endpoint wants the event, so a wiki without webhooks pays one query per event, no more.
    """
    if event not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event!r}")
    endpoints = WebhookEndpoint.objects.filter(is_active=True)
    endpoints = (
        endpoints.filter(Q(book__isnull=True) | Q(book=book))
        if book is not None
        else endpoints.filter(book__isnull=True)
    )
    # The events are a short list per endpoint; matching them here works on SQLite too,
    # which has no JSON "contains" lookup.
    wanted = [endpoint for endpoint in endpoints if endpoint.wants(event)]
    if not wanted:
        return []
    return _deliveries_create(wanted, event=event, data=payload() if callable(payload) else payload)


def _deliveries_create(endpoints: list[WebhookEndpoint], *, event: str, data: dict) -> list[WebhookDelivery]:
    now = timezone.now()
    envelope = {"type": event, "timestamp": now.isoformat(), "data": data}
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=endpoint, event=event, payload=envelope, next_attempt_at=now)
            for endpoint in endpoints
        ]
    )
    _enqueue_after_commit([delivery.pk for delivery in deliveries])
    return deliveries


def _enqueue_after_commit(delivery_ids: list[int]) -> None:
    def enqueue():
        for delivery_id in delivery_ids:
            tasks.send_webhook.enqueue(delivery_id)

    # robust: the event is committed already; a queue that is down must not turn the answer
    # into an error (the deliveries wait as pending for `manage.py send_webhooks`).
    transaction.on_commit(enqueue, robust=True)


def change_request_event_emit(
    *, event: str, change_request: ChangeRequest, actor, review: Review | None = None
) -> None:
    """A change request was sent for review, revised, reviewed or published."""
    webhook_event_emit(
        event=event,
        book=change_request.book if change_request.book_id else None,
        payload=lambda: _change_request_payload(event, change_request, actor, review),
    )


def thread_event_emit(*, event: str, thread: Thread, actor) -> None:
    """A thread was started or resolved."""
    webhook_event_emit(
        event=event, book=thread.chapter.book, payload=lambda: _thread_payload(event, thread, actor)
    )


def comment_event_emit(*, comment: Comment) -> None:
    """A reply was posted in a thread. Its text is not sent: a moderator may hide it later."""
    webhook_event_emit(
        event=WebhookEvent.COMMENT_POSTED,
        book=comment.thread.chapter.book,
        payload=lambda: _comment_payload(comment),
    )


def meeting_event_emit(*, meeting: Meeting, actor) -> None:
    """A meeting was scheduled. A private group's meetings are never sent."""
    if meeting.group.is_private:
        return
    webhook_event_emit(
        event=WebhookEvent.MEETING_SCHEDULED,
        book=meeting.group.book,
        payload=lambda: _meeting_payload(meeting, actor),
    )


def _change_request_payload(event: str, change_request: ChangeRequest, actor, review: Review | None) -> dict:
    title = change_request.summary
    where = f" in {change_request.book.title}" if change_request.book_id else ""
    name = actor.get_username()
    if event == WebhookEvent.CHANGE_REQUEST_REVIEWED and review is not None:
        verdict = {
            Review.Verdict.APPROVE: "approved",
            Review.Verdict.REQUEST_CHANGES: "asked for changes to",
            Review.Verdict.REJECT: "rejected",
            Review.Verdict.APPROVE_PART: "published part of",
            Review.Verdict.REJECT_PART: "took part out of",
        }[review.verdict]
        summary = f"{name} {verdict} “{title}”{where}."
    else:
        summary = {
            WebhookEvent.CHANGE_REQUEST_OPENED: f"{name} sent “{title}” for review{where}.",
            WebhookEvent.CHANGE_REQUEST_REVISED: f"{name} revised “{title}”{where}.",
            WebhookEvent.CHANGE_REQUEST_PUBLISHED: f"{name} published “{title}”{where}.",
        }[event]
    data = {
        "summary": summary,
        "url": _site(change_request.get_absolute_url()),
        "actor": name,
        "book": _book_data(change_request.book) if change_request.book_id else None,
        "chapter": _chapter_data(change_request.chapter) if change_request.chapter_id else None,
        "change_request": {
            "id": change_request.pk,
            "title": title,
            "kind": change_request.kind,
            "status": change_request.status,
            "revision": change_request.revision,
            "author": change_request.author.get_username(),
            "url": _site(change_request.get_absolute_url()),
        },
    }
    if review is not None:
        # The verdict, not the comment: comments stay on the site, for those who may see them.
        data["review"] = {
            "id": review.pk,
            "verdict": review.verdict,
            "reviewer": review.reviewer.get_username(),
        }
    return data


def _thread_payload(event: str, thread: Thread, actor) -> dict:
    chapter = thread.chapter
    verb = "started the thread" if event == WebhookEvent.THREAD_STARTED else "resolved the thread"
    data = {
        "summary": f"{actor.get_username()} {verb} “{thread.title}” on {chapter.book.title}, Chapter {chapter.number}.",
        "url": _site(thread.get_absolute_url()),
        "actor": actor.get_username(),
        "book": _book_data(chapter.book),
        "chapter": _chapter_data(chapter),
        "thread": _thread_data(thread),
    }
    return data


def _comment_payload(comment: Comment) -> dict:
    thread = comment.thread
    chapter = thread.chapter
    author = comment.author.get_username()
    data = {
        "summary": f"{author} commented in “{thread.title}” on {chapter.book.title}, Chapter {chapter.number}.",
        "url": _site(comment.get_absolute_url()),
        "actor": author,
        "book": _book_data(chapter.book),
        "chapter": _chapter_data(chapter),
        "thread": _thread_data(thread),
        "comment": {
            "id": comment.pk,
            "author": author,
            "in_reply_to": comment.parent_id,
            "url": _site(comment.get_absolute_url()),
        },
    }
    return data


def _meeting_payload(meeting: Meeting, actor) -> dict:
    group = meeting.group
    data = {
        "summary": (
            f"{actor.get_username()} scheduled a meeting of {group.name} on "
            f"{meeting.starts_at:%Y-%m-%d %H:%M} UTC ({meeting.chapters_label})."
        ),
        "url": _site(meeting.get_absolute_url()),
        "actor": actor.get_username(),
        "book": _book_data(group.book),
        "group": {"slug": group.slug, "name": group.name, "url": _site(group.get_absolute_url())},
        "meeting": {
            "id": meeting.pk,
            "starts_at": meeting.starts_at.isoformat(),
            "first_chapter": meeting.first_chapter,
            "last_chapter": meeting.last_chapter,
            "place_or_link": meeting.place_or_link,
            "url": _site(meeting.get_absolute_url()),
        },
    }
    return data


def _site(path: str) -> str:
    return settings.WIKI_SITE_URL.rstrip("/") + path


def _book_data(book: Book) -> dict:
    return {"slug": book.slug, "title": book.title, "url": _site(book.get_absolute_url())}


def _chapter_data(chapter) -> dict:
    return {"number": chapter.number, "title": chapter.title, "url": _site(chapter.get_absolute_url())}


def _thread_data(thread: Thread) -> dict:
    return {
        "id": thread.pk,
        "title": thread.title,
        "author": thread.author.get_username(),
        "is_resolved": thread.is_resolved,
        "url": _site(thread.get_absolute_url()),
    }


# --- Sending -------------------------------------------------------------------------------------


def webhook_deliveries_send_due(*, now: datetime.datetime | None = None) -> dict:
    """Send every delivery whose time has come (new ones whose task never ran, retries).

    Safe to run from several workers at once: each delivery is sent under its row lock,
    and a delivery another run holds is skipped (PostgreSQL; SQLite has one writer).
    """
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(status__in=[Status.PENDING, Status.FAILED], endpoint__is_active=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)
    )
    counts: dict[str, int] = {}
    for delivery_id in list(due[:BATCH]):
        outcome = webhook_delivery_send(delivery_id=delivery_id, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def webhook_delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> str:
    """Make one attempt at a delivery that is due; returns what became of it.

    ``"skipped"`` when it is not due, was sent already, its endpoint is off, or another
    worker holds it right now.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status__in=[Status.PENDING, Status.FAILED])
            .first()
        )
        now = now or timezone.now()
        if delivery is None or not delivery.endpoint.is_active:
            return "skipped"
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return "skipped"
        response_status, excerpt = _attempt(delivery)
        return _record(delivery, response_status, excerpt)


def _attempt(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery once: ``(status code or None, what to keep for the log)``."""
    endpoint = delivery.endpoint
    try:
        checked = webhook_url_checked(endpoint.url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_URLS)
    except WebhookUrlRefused as error:
        return None, f"Not sent: {error}"
    body = _body(delivery)
    timestamp = datetime.datetime.now(tz=datetime.UTC)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Chapterwise-Webhooks/1",
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(delivery.webhook_id, timestamp, body),
    }
    try:
        status, answer = _post(checked, body.encode(), headers)
    except urllib3.exceptions.HTTPError as error:
        return None, _failure_words(error)
    return status, _without_secret(answer, endpoint.secret)


def _body(delivery: WebhookDelivery) -> str:
    if delivery.endpoint.format == WebhookEndpoint.Format.SLACK:
        data = delivery.payload.get("data", {})
        text = data.get("summary", delivery.event)
        if data.get("url"):
            text += f" {data['url']}"
        return json.dumps({"text": text}, ensure_ascii=False)
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))


def _post(checked: CheckedUrl, body: bytes, headers: dict) -> tuple[int, str]:
    """POST to the address that was checked (not to whatever the name resolves to a moment
    later), with the host name kept for the Host header and the TLS certificate check."""
    seconds = settings.WEBHOOK_TIMEOUT_SECONDS
    timeout = urllib3.Timeout(connect=seconds, read=seconds)
    if checked.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            checked.address,
            checked.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=checked.host,
            assert_hostname=checked.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            checked.address, checked.port, timeout=timeout, retries=False, maxsize=1
        )
    with pool:
        response = pool.urlopen(
            "POST",
            checked.path,
            body=body,
            headers={**headers, "Host": checked.host_header},
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            # Enough for the log; a receiver's long answer is not read to its end.
            answer = response.read(EXCERPT_LENGTH * 4, decode_content=True)
        finally:
            response.release_conn()
    return response.status, answer.decode("utf-8", errors="replace")[:EXCERPT_LENGTH]


def _failure_words(error: Exception) -> str:
    """What went wrong, in words, without the library's message (which can carry the URL)."""
    exceptions = urllib3.exceptions
    # First: urllib3 makes a refused connection a kind of timeout.
    if isinstance(error, exceptions.NewConnectionError):
        return "Could not connect to the receiver."
    if isinstance(error, exceptions.TimeoutError):
        return f"No answer within {settings.WEBHOOK_TIMEOUT_SECONDS} seconds."
    if isinstance(error, exceptions.SSLError):
        return "The TLS connection failed: check the receiver's certificate."
    if isinstance(error, exceptions.ProtocolError):
        return "The connection broke off before the answer."
    return f"Could not send ({type(error).__name__})."


def _without_secret(text: str, secret: str) -> str:
    """A receiver may echo what it got; the secret itself is never kept, nor its key part."""
    for part in (secret, secret.removeprefix("whsec_")):  # the whole first, then the key alone
        text = text.replace(part, "[secret]")
    return text


def _record(delivery: WebhookDelivery, response_status: int | None, excerpt: str) -> str:
    """Write the attempt down; on failure plan the next one or give up, and disable the
    endpoint after too many failures in a row. Called inside the delivery's transaction."""
    now = timezone.now()
    endpoint = delivery.endpoint
    delivery.attempts += 1
    delivery.response_status = response_status
    delivery.response_excerpt = excerpt[:EXCERPT_LENGTH]
    succeeded = response_status is not None and 200 <= response_status < 300
    if succeeded:
        delivery.status = Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    else:
        delays = settings.WEBHOOK_RETRY_DELAYS
        if delivery.attempts > len(delays):
            delivery.status = Status.GIVEN_UP
            delivery.next_attempt_at = None
        else:
            delivery.status = Status.FAILED
            delivery.next_attempt_at = now + datetime.timedelta(seconds=delays[delivery.attempts - 1])
        logger.warning(
            "Webhook delivery #%s (%s) to endpoint #%s failed, attempt %d: %s",
            delivery.pk,
            delivery.event,
            endpoint.pk,
            delivery.attempts,
            response_status or excerpt,
        )
    delivery.save(
        update_fields=[
            "attempts",
            "response_status",
            "response_excerpt",
            "status",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    if not succeeded:
        _count_failure(endpoint.pk)
        if delivery.status == Status.FAILED:
            _schedule_retry(delivery)
    return delivery.status


def _count_failure(endpoint_id: int) -> None:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    endpoint.consecutive_failures = F("consecutive_failures") + 1
    endpoint.save(update_fields=["consecutive_failures"])
    endpoint.refresh_from_db(fields=["consecutive_failures"])
    if not endpoint.is_active or endpoint.consecutive_failures < settings.WEBHOOK_DISABLE_AFTER_FAILURES:
        return
    endpoint.is_active = False
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["is_active", "disabled_at"])
    # What still waited is not sent to an endpoint that is off; "Redeliver" sends it later.
    endpoint.deliveries.filter(status__in=[Status.PENDING, Status.FAILED]).update(
        status=Status.GIVEN_UP, next_attempt_at=None
    )
    logger.warning(
        "Disabled webhook endpoint #%s after %d failed attempts in a row",
        endpoint.pk,
        endpoint.consecutive_failures,
    )
    transaction.on_commit(lambda: tasks.send_webhook_disabled_email.enqueue(endpoint.pk), robust=True)


def _schedule_retry(delivery: WebhookDelivery) -> None:
    """Where the task backend can run a task later (the database queue), the retry is
    queued for its time; elsewhere `manage.py send_webhooks` sends it when it is due."""
    task = tasks.send_webhook
    if not task.get_backend().supports_defer:
        return
    task = task.using(run_after=delivery.next_attempt_at)
    delivery_id = delivery.pk
    transaction.on_commit(lambda: task.enqueue(delivery_id), robust=True)


def webhook_disabled_email_send(*, endpoint_id: int) -> bool:
    """Tell the endpoint's creator that repeated failures disabled it; False if nobody to tell."""
    endpoint = WebhookEndpoint.objects.select_related("created_by", "book").filter(pk=endpoint_id).first()
    if endpoint is None or endpoint.is_active or endpoint.created_by is None or not endpoint.created_by.email:
        return False
    checked_host = endpoint.url.split("//", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    lines = [
        f"The webhook to {checked_host} was disabled after {endpoint.consecutive_failures} failed attempts in a row.",
        "Nothing more is sent to it until an admin enables it again.",
        "",
        "Its delivery log says what the receiver answered:",
        _site(reverse("notes:webhook-detail", kwargs={"endpoint_id": endpoint.pk})),
    ]
    EmailMessage(
        subject="A Chapterwise webhook was disabled",
        body="\n".join(lines) + "\n",
        to=[endpoint.created_by.email],
    ).send()
    return True
