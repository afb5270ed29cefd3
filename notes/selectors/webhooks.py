"""Reads for the webhook pages: endpoints and their delivery logs, in a fixed number of queries."""

from django.db.models import QuerySet
from django.http import Http404

from notes.models import WebhookDelivery, WebhookEndpoint

# The delivery log shows this many of the newest deliveries.
DELIVERY_LOG_LENGTH = 50


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.select_related("book", "created_by").order_by("-created_at", "-id")


def webhook_endpoint_get(*, endpoint_id: int) -> WebhookEndpoint:
    endpoint = webhook_endpoints().filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404("No such webhook.")
    return endpoint


def webhook_delivery_get(*, endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint, pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such delivery.")
    delivery.endpoint = endpoint
    return delivery


def webhook_delivery_log(*, endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    """The newest deliveries, without their payloads (the page shows none)."""
    return list(endpoint.deliveries.defer("payload").order_by("-created_at", "-id")[:DELIVERY_LOG_LENGTH])
