"""Two senders at once (cron and the worker, or two workers) send each delivery once (PostgreSQL)."""

import time

from notes.models import WebhookDelivery
from notes.models.webhooks import WebhookEvent
from notes.services.webhooks import webhook_deliveries_send_due
from tests.concurrency import ON_POSTGRESQL_WITH_TRANSACTIONS, run_at_once

pytestmark = ON_POSTGRESQL_WITH_TRANSACTIONS


def test_two_senders_at_once_send_each_delivery_once(receiver, endpoint_for):
    endpoint = endpoint_for(receiver.url)
    for _ in range(6):
        WebhookDelivery.objects.create(
            endpoint=endpoint, event=WebhookEvent.THREAD_STARTED, payload={"data": {}}
        )
    answered = receiver.answers

    # A slow receiver keeps each delivery's row locked while the other sender looks at it.
    original = receiver.server.RequestHandlerClass.do_POST

    def slow(handler):
        time.sleep(0.05)
        original(handler)

    receiver.server.RequestHandlerClass.do_POST = slow
    results = run_at_once([webhook_deliveries_send_due, webhook_deliveries_send_due])

    assert not any(isinstance(result, Exception) for result in results), results
    assert answered == []
    assert len(receiver.requests) == 6
    assert len({request["headers"]["webhook-id"] for request in receiver.requests}) == 6
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {
        (WebhookDelivery.Status.SUCCEEDED, 1)
    }
