"""Webhooks: addresses told of what happens in the wiki, and the log of what was sent.

A ``WebhookEndpoint`` is an address an admin registered, for the whole wiki or one book,
with the events it wants and the secret its requests are signed with (Standard Webhooks).
A ``WebhookDelivery`` is one event sent (or to be sent) to one endpoint: its payload is
fixed when the event happens, and every attempt is counted on it. State changes go
through ``notes.services.webhooks``; who manages them is decided in ``notes.permissions``.
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class WebhookEvent(models.TextChoices):
    CHANGE_REQUEST_OPENED = "change_request.opened", "A change request is sent for review"
    CHANGE_REQUEST_REVISED = "change_request.revised", "A change request is revised"
    CHANGE_REQUEST_REVIEWED = "change_request.reviewed", "A change request is reviewed"
    CHANGE_REQUEST_PUBLISHED = "change_request.published", "A change is published"
    THREAD_STARTED = "thread.started", "A discussion thread is started"
    COMMENT_POSTED = "comment.posted", "A comment is posted"
    THREAD_RESOLVED = "thread.resolved", "A thread is resolved"
    MEETING_SCHEDULED = "meeting.scheduled", "A reading-group meeting is scheduled"


# Sent by "Send test event" only; no endpoint subscribes to it.
TEST_EVENT = "webhook.test"


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_webhook_id() -> str:
    """The ``webhook-id`` of one message: the same on every attempt, so receivers drop repeats."""
    return f"msg_{secrets.token_urlsafe(18)}"


class WebhookEndpoint(models.Model):
    class Format(models.TextChoices):
        STANDARD = "standard", "Standard Webhooks (signed JSON)"
        SLACK = "slack", "Slack or Mattermost (a sentence with a link)"

    url = models.URLField(max_length=2000)
    # None: every book of the wiki.
    book = models.ForeignKey(
        "notes.Book", null=True, blank=True, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    events = models.JSONField(default=list)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.STANDARD)
    secret = models.CharField(max_length=100, default=new_webhook_secret, editable=False)
    is_active = models.BooleanField(default=True)
    # Failed attempts since the last success; at WEBHOOK_DISABLE_AFTER_FAILURES the endpoint is disabled.
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Set when repeated failures disabled it (an admin switching it off leaves it empty).
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("notes:webhook-detail", kwargs={"endpoint_id": self.pk})

    def wants(self, event: str) -> bool:
        return event in self.events

    @property
    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [labels.get(event, event) for event in self.events]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed, will retry"
        GIVEN_UP = "given_up", "Given up"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=50)
    # The same on a redelivery: the receiver sees the message it may have missed, not a new one.
    webhook_id = models.CharField(max_length=50, default=new_webhook_id)
    payload = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The start of the answer, or what went wrong; never the secret.
    response_excerpt = models.CharField(max_length=500, blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # What the sender looks for: due deliveries, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to endpoint {self.endpoint_id} ({self.status})"

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.FAILED)
