"""Sending webhooks to a real HTTP receiver on loopback: signatures, retries, refusals, disabling."""

import json
import logging
import socket

import pytest
from django.core import mail
from django.db import transaction
from standardwebhooks import Webhook

from notes.models import WebhookDelivery, WebhookEndpoint
from notes.models.webhooks import WebhookEvent
from notes.services import webhooks
from notes.services.webhooks import WebhookError, webhook_deliveries_send_due, webhook_endpoint_create
from tests.factories import make_thread

Status = WebhookDelivery.Status


def start_thread(chapter, author, django_capture_on_commit_callbacks, title="Is batch inference dead?"):
    with django_capture_on_commit_callbacks(execute=True):
        return make_thread(chapter=chapter, author=author, title=title, body="Secret musings")


def resolving_to(address):
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host in ("127.0.0.1", "::1"):  # the connection to the checked address itself
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    return resolve


def closed_port() -> int:
    """A port on loopback nobody listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_delivery_is_signed_so_the_receiver_verifies_it_with_the_reference_library(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver.url, events=[WebhookEvent.THREAD_STARTED])
    thread = start_thread(chapter, editor, django_capture_on_commit_callbacks)

    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    payload = Webhook(endpoint.secret).verify(sent["body"], sent["headers"])
    assert payload["type"] == "thread.started"
    assert payload["data"]["thread"]["id"] == thread.pk
    assert payload["data"]["url"] == f"https://wiki.example.org{thread.get_absolute_url()}"
    assert payload["data"]["actor"] == "editor"
    assert sent["path"] == "/hooks/wiki"
    assert sent["headers"]["webhook-id"].startswith("msg_")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (Status.SUCCEEDED, 1, 200)
    assert delivery.webhook_id == sent["headers"]["webhook-id"]
    assert delivery.delivered_at is not None


def test_a_signature_made_with_another_secret_does_not_verify(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    endpoint_for(receiver.url)
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    sent = receiver.requests[0]
    other = WebhookEndpoint(url=receiver.url)  # a fresh secret
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(other.secret).verify(sent["body"], sent["headers"])


def test_a_receiver_that_fails_twice_then_succeeds_gets_the_message_once_successfully(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    receiver.answers = [(500, "boom"), (503, "busy")]
    endpoint = endpoint_for(receiver.url, events=[WebhookEvent.THREAD_STARTED])
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (Status.FAILED, 1, 500)
    assert delivery.response_excerpt == "boom"

    assert webhook_deliveries_send_due() == {Status.FAILED: 1}
    assert webhook_deliveries_send_due() == {Status.SUCCEEDED: 1}
    assert webhook_deliveries_send_due() == {}  # nothing left to send

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (Status.SUCCEEDED, 3, 200)
    assert len(receiver.requests) == 3
    # The same message each time: the receiver can drop repeats by its id.
    assert {request["headers"]["webhook-id"] for request in receiver.requests} == {delivery.webhook_id}
    assert WebhookDelivery.objects.filter(status=Status.SUCCEEDED).count() == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_retry_waits_for_its_delay(
    receiver, endpoint_for, chapter, editor, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = [300]
    receiver.answers = [(500, "boom")]
    endpoint_for(receiver.url)
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    assert webhook_deliveries_send_due() == {}
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliveries_send_due(now=delivery.next_attempt_at) == {Status.SUCCEEDED: 1}


def test_a_delivery_is_given_up_after_its_last_retry(
    receiver, endpoint_for, chapter, editor, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = [0]
    receiver.answers = [(500, "boom"), (500, "boom"), (200, "too late")]
    endpoint_for(receiver.url)
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    webhook_deliveries_send_due()
    webhook_deliveries_send_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Status.GIVEN_UP, 2, None)
    assert len(receiver.requests) == 2


def test_nothing_is_sent_for_an_event_whose_transaction_rolled_back(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    endpoint_for(receiver.url)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_thread(chapter=chapter, author=editor, title="Never happened")
        raise RuntimeError("something later in the same request failed")
    assert callbacks == []
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()
    assert webhook_deliveries_send_due() == {}


def test_the_slack_format_sends_a_sentence_with_a_link(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    endpoint_for(receiver.url, format=WebhookEndpoint.Format.SLACK)
    thread = start_thread(chapter, editor, django_capture_on_commit_callbacks)
    body = json.loads(receiver.requests[0]["body"])
    assert body == {
        "text": f"editor started the thread “Is batch inference dead?” on Test Book, Chapter 1. "
        f"https://wiki.example.org{thread.get_absolute_url()}"
    }


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    receiver.answers = [(302, "")]
    endpoint_for(receiver.url)
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == (Status.FAILED, 302)
    assert len(receiver.requests) == 1


def test_registering_an_address_that_resolves_to_a_private_one_is_refused(admin_user, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("192.168.1.20"))
    with pytest.raises(WebhookError, match="resolves to 192.168.1.20, a private"):
        webhook_endpoint_create(
            actor=admin_user,
            url="https://printer.example.com/hook",
            book=None,
            events=[WebhookEvent.THREAD_STARTED],
            format="standard",
        )
    with pytest.raises(WebhookError, match="https:// addresses only"):
        webhook_endpoint_create(
            actor=admin_user,
            url="http://93.184.216.34/",
            book=None,
            events=["thread.started"],
            format="standard",
        )
    assert not WebhookEndpoint.objects.exists()


def test_a_name_that_resolves_inside_at_delivery_time_is_not_sent_to(
    receiver, admin_user, chapter, editor, settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """DNS rebinding: public when registered, loopback when the delivery goes out."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    port = receiver.server.server_address[1]
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("93.184.216.34"))
    endpoint = webhook_endpoint_create(
        actor=admin_user,
        url=f"https://rebinding.example.com:{port}/hook",
        book=None,
        events=[WebhookEvent.THREAD_STARTED],
        format="standard",
    )
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("127.0.0.1"))
    start_thread(chapter, editor, django_capture_on_commit_callbacks)

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == Status.FAILED
    assert delivery.response_status is None
    assert delivery.response_excerpt.startswith("Not sent: “rebinding.example.com” resolves to 127.0.0.1")


def test_the_request_goes_to_the_checked_address_with_the_name_in_the_host_header(
    receiver, endpoint_for, chapter, editor, monkeypatch, django_capture_on_commit_callbacks
):
    port = receiver.server.server_address[1]
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("127.0.0.1"))
    endpoint_for(f"http://hooks.test:{port}/in?team=books")
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    sent = receiver.requests[0]
    assert sent["headers"]["Host"] == f"hooks.test:{port}"
    assert sent["path"] == "/in?team=books"


def test_repeated_failures_disable_the_endpoint_and_tell_its_creator(
    receiver, endpoint_for, chapter, editor, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.answers = [(500, "down")] * 10
    endpoint = endpoint_for(receiver.url)
    start_thread(chapter, editor, django_capture_on_commit_callbacks, title="First")
    start_thread(chapter, editor, django_capture_on_commit_callbacks, title="Second")
    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliveries_send_due()

    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert endpoint.disabled_at is not None
    assert endpoint.consecutive_failures == 3
    assert len(receiver.requests) == 3
    # What still waited is given up, not sent to an endpoint that is off.
    assert set(endpoint.deliveries.values_list("status", flat=True)) == {Status.GIVEN_UP}
    assert webhook_deliveries_send_due() == {}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [admin_user.email]
    assert "disabled after 3 failed attempts" in message.body
    assert f"https://wiki.example.org/webhooks/{endpoint.pk}/" in message.body
    assert endpoint.secret not in message.body
    assert "/hooks/wiki" not in message.body  # the address's path may itself be a secret


def test_new_events_are_not_delivered_to_a_disabled_endpoint(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver.url)
    endpoint.is_active = False
    endpoint.save()
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_the_secret_never_appears_in_logs_or_the_delivery_log(
    receiver, endpoint_for, chapter, editor, caplog, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver.url)
    key = endpoint.secret.removeprefix("whsec_")
    receiver.answers = [(500, f"you sent {endpoint.secret} and {key}")]
    caplog.set_level(logging.DEBUG)
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    endpoint.url = f"http://127.0.0.1:{closed_port()}/hooks/wiki"
    endpoint.save()
    webhook_deliveries_send_due()  # now nobody listens: the connection is refused

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert delivery.response_excerpt == "Could not connect to the receiver."
    assert delivery.attempts == 2
    assert endpoint.secret not in caplog.text
    assert key not in caplog.text
    assert "Webhook delivery" in caplog.text  # the failures were logged, without it
    assert not any(
        key in str(value) for value in WebhookDelivery.objects.values_list("response_excerpt", "payload")
    )


def test_an_echoed_secret_is_blanked_in_the_delivery_log(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver.url)
    receiver.answers = [(400, f"bad signature for {endpoint.secret}")]
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.get().response_excerpt == "bad signature for [secret]"


def test_a_long_answer_is_cut_to_an_excerpt(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    endpoint_for(receiver.url)
    receiver.answers = [(200, "x" * 5000)]
    start_thread(chapter, editor, django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.get().response_excerpt == "x" * webhooks.EXCERPT_LENGTH


def test_the_send_webhooks_command_sends_what_is_due(
    receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    endpoint_for(receiver.url)
    make_thread(chapter=chapter, author=editor)  # no commit callbacks: the task never ran
    assert receiver.requests == []
    call_command("send_webhooks")
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == Status.SUCCEEDED


def test_where_the_task_backend_can_wait_a_retry_is_queued_for_its_time(
    receiver, endpoint_for, chapter, editor, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    settings.WEBHOOK_RETRY_DELAYS = [300]
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    receiver.answers = [(500, "boom")]
    endpoint_for(receiver.url)
    make_thread(chapter=chapter, author=editor)
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhook_delivery_send(delivery_id=delivery.pk) == Status.FAILED
    delivery.refresh_from_db()
    queued = [result.task for result in default_task_backend.results]
    assert [(task.name, task.run_after) for task in queued] == [("send_webhook", delivery.next_attempt_at)]
