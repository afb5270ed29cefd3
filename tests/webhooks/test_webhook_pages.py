"""The webhook pages: who may use them, the forms, the actions and the delivery log."""

import socket

import pytest

from notes import permissions
from notes.models import WebhookDelivery, WebhookEndpoint
from notes.models.webhooks import WebhookEvent
from tests.factories import make_thread

ROLES = ["anonymous", "reader", "editor", "reviewer", "moderator", "outsider", "admin_user"]
Status = WebhookDelivery.Status


@pytest.fixture
def endpoint(endpoint_for):
    return endpoint_for("https://hooks.example.com/wiki", events=[WebhookEvent.THREAD_STARTED])


@pytest.fixture
def delivery(endpoint):
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.THREAD_STARTED,
        payload={"type": "thread.started", "data": {"summary": "x"}},
        status=Status.GIVEN_UP,
        attempts=7,
        response_status=500,
    )


def _user(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_may_manage_webhooks(request, role):
    user = _user(request, role)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    assert permissions.can_manage_webhooks(user) is (role == "admin_user")


ACTIONS = {
    "list": ("get", "/webhooks/", {}),
    "register": (
        "post",
        "/webhooks/",
        {"url": "http://127.0.0.1:9/x", "events": ["thread.started"], "format": "standard"},
    ),
    "detail": ("get", "/webhooks/{endpoint}/", {}),
    "edit": ("post", "/webhooks/{endpoint}/", {"events": ["comment.posted"], "format": "slack"}),
    "disable": ("post", "/webhooks/{endpoint}/activate/", {"is_active": "0"}),
    "test": ("post", "/webhooks/{endpoint}/test/", {}),
    "redeliver": ("post", "/webhooks/{endpoint}/deliveries/{delivery}/redeliver/", {}),
    "delete": ("post", "/webhooks/{endpoint}/delete/", {}),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_webhook_action_is_for_admins_only(request, client_for, endpoint, delivery, role, action):
    user = _user(request, role)
    method, url, data = ACTIONS[action]
    url = url.format(endpoint=endpoint.pk, delivery=delivery.pk)
    deliveries_before = WebhookDelivery.objects.count()

    response = getattr(client_for(user), method)(url, data)

    if role == "admin_user":
        assert response.status_code in (200, 302)
        return
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == 403
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.events, endpoint.format) == (True, ["thread.started"], "standard")
    assert WebhookEndpoint.objects.count() == 1
    assert WebhookDelivery.objects.count() == deliveries_before


def test_the_nav_links_the_webhooks_for_admins_only(client_for, admin_user, moderator):
    assert 'href="/webhooks/"' in client_for(admin_user).get("/").content.decode()
    assert 'href="/webhooks/"' not in client_for(moderator).get("/").content.decode()


def test_an_admin_registers_a_webhook_for_a_book_and_sees_its_secret(client_for, admin_user, book):
    response = client_for(admin_user).post(
        "/webhooks/",
        {
            "url": "http://127.0.0.1:8999/hook",
            "book": book.pk,
            "events": ["comment.posted", "thread.started"],
            "format": "slack",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response.url == f"/webhooks/{endpoint.pk}/"
    assert (endpoint.book, endpoint.format, endpoint.created_by) == (book, "slack", admin_user)
    assert endpoint.events == ["thread.started", "comment.posted"]
    assert endpoint.secret.startswith("whsec_")
    detail = client_for(admin_user).get(response.url)
    page = detail.content.decode()
    assert endpoint.secret in page
    assert "no-store" in detail["Cache-Control"]
    assert "Show the signing secret" in page


def test_a_private_address_is_refused_on_the_form_and_nothing_is_registered(
    client_for, admin_user, settings, monkeypatch
):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.8", port))],
    )
    response = client_for(admin_user).post(
        "/webhooks/",
        {"url": "https://intranet.example.com/hook", "events": ["thread.started"], "format": "standard"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "resolves to 10.0.0.8, a private, loopback or reserved address" in page
    assert 'value="https://intranet.example.com/hook"' in page  # what was typed is kept
    assert not WebhookEndpoint.objects.exists()


def test_a_webhook_without_events_is_refused(client_for, admin_user):
    response = client_for(admin_user).post(
        "/webhooks/", {"url": "http://127.0.0.1:8999/hook", "format": "standard"}
    )
    assert response.status_code == 400
    assert "Choose at least one event to send." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_admin_changes_the_events_and_format(client_for, admin_user, endpoint):
    response = client_for(admin_user).post(
        f"/webhooks/{endpoint.pk}/", {"events": ["meeting.scheduled", "comment.posted"], "format": "slack"}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.events, endpoint.format) == (["comment.posted", "meeting.scheduled"], "slack")


def test_an_unknown_event_is_refused_on_edit(client_for, admin_user, endpoint):
    response = client_for(admin_user).post(
        f"/webhooks/{endpoint.pk}/", {"events": ["book.burned"], "format": "standard"}
    )
    assert response.status_code == 400
    assert "book.burned is not one of the available choices" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.events == ["thread.started"]


def test_disabling_and_enabling_again_starts_the_failure_count_again(
    client_for, admin_user, endpoint, monkeypatch
):
    endpoint.consecutive_failures = 15
    endpoint.save()
    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: public)
    client = client_for(admin_user)
    client.post(f"/webhooks/{endpoint.pk}/activate/", {"is_active": "0"})
    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    response = client.post(f"/webhooks/{endpoint.pk}/activate/", {"is_active": "0"}, follow=True)
    assert "This endpoint is already disabled." in response.content.decode()
    client.post(f"/webhooks/{endpoint.pk}/activate/", {"is_active": "1"})
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures, endpoint.disabled_at) == (True, 0, None)


def test_deleting_a_webhook_removes_its_log(client_for, admin_user, endpoint, delivery):
    response = client_for(admin_user).post(f"/webhooks/{endpoint.pk}/delete/")
    assert response.status_code == 302 and response.url == "/webhooks/"
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_the_pages_take_posts_only_for_actions(client_for, admin_user, endpoint, delivery):
    client = client_for(admin_user)
    for url in ("activate", "test", "delete", f"deliveries/{delivery.pk}/redeliver"):
        assert client.get(f"/webhooks/{endpoint.pk}/{url}/").status_code == 405


def test_a_test_event_reaches_the_receiver_signed(
    client_for, admin_user, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    from standardwebhooks import Webhook

    endpoint = endpoint_for(receiver.url, events=[WebhookEvent.COMMENT_POSTED])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(f"/webhooks/{endpoint.pk}/test/", follow=True)
    assert "Test event sent" in response.content.decode()
    sent = receiver.requests[0]
    payload = Webhook(endpoint.secret).verify(sent["body"], sent["headers"])
    assert payload["type"] == "webhook.test"
    assert payload["data"]["summary"] == "admin sent a test event to this webhook (the whole wiki)."
    assert WebhookDelivery.objects.get().status == Status.SUCCEEDED


def test_no_test_event_goes_to_a_disabled_webhook(client_for, admin_user, endpoint):
    endpoint.is_active = False
    endpoint.save()
    response = client_for(admin_user).post(f"/webhooks/{endpoint.pk}/test/", follow=True)
    assert "Enable the endpoint before sending it a test event." in response.content.decode()
    assert not WebhookDelivery.objects.exists()


def test_redeliver_sends_the_same_message_again_as_a_new_log_row(
    client_for, admin_user, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    from standardwebhooks import Webhook

    endpoint = endpoint_for(receiver.url)
    old = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.THREAD_STARTED,
        webhook_id="msg_original",
        payload={
            "type": "thread.started",
            "timestamp": "2026-12-01T10:00:00+00:00",
            "data": {"summary": "Old"},
        },
        status=Status.GIVEN_UP,
        attempts=7,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(f"/webhooks/{endpoint.pk}/deliveries/{old.pk}/redeliver/")
    assert response.status_code == 302
    again = WebhookDelivery.objects.exclude(pk=old.pk).get()
    assert (again.webhook_id, again.payload, again.status, again.attempts) == (
        "msg_original",
        old.payload,
        Status.SUCCEEDED,
        1,
    )
    old.refresh_from_db()
    assert (old.status, old.attempts) == (Status.GIVEN_UP, 7)  # the log keeps what happened
    sent = receiver.requests[0]
    assert sent["headers"]["webhook-id"] == "msg_original"
    assert Webhook(endpoint.secret).verify(sent["body"], sent["headers"])["data"] == {"summary": "Old"}


def test_a_delivery_of_another_webhook_cannot_be_redelivered_through_this_one(
    client_for, admin_user, endpoint, endpoint_for, delivery
):
    other = endpoint_for("https://hooks.example.com/other")
    response = client_for(admin_user).post(f"/webhooks/{other.pk}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 404
    assert WebhookDelivery.objects.count() == 1


def test_the_delivery_log_shows_each_attempt_in_a_fixed_number_of_queries(
    client_for, admin_user, endpoint, django_assert_max_num_queries
):
    for number in range(30):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=WebhookEvent.THREAD_STARTED,
            status=Status.FAILED if number % 2 else Status.SUCCEEDED,
            attempts=number % 4 + 1,
            response_status=503 if number % 2 else 200,
            response_excerpt="busy" if number % 2 else "",
        )
    client = client_for(admin_user)
    client.get("/webhooks/")  # the signed-in viewer's snapshot is cached by the first page
    with django_assert_max_num_queries(6):  # session, user, nav counts (2), the endpoint, its log
        response = client.get(f"/webhooks/{endpoint.pk}/")
    page = response.content.decode()
    # Only finished deliveries: a failed one is still being tried.
    assert page.count("Redeliver</button>") == 15
    assert page.count('<td data-label="Response">503<details') == 15
    assert "Failed, will retry" in page and "Succeeded" in page


def test_the_list_shows_every_webhook_in_a_fixed_number_of_queries(
    client_for, admin_user, endpoint_for, book, django_assert_max_num_queries
):
    for number in range(20):
        endpoint_for(f"https://hooks.example.com/{number}", book=book if number % 2 else None)
    client = client_for(admin_user)
    client.get("/account/")  # the signed-in viewer's snapshot is cached by the first page
    # session, user, nav counts (2), endpoints with their books, the books of the form
    with django_assert_max_num_queries(6):
        response = client.get("/webhooks/")
    page = response.content.decode()
    assert page.count('class="webhook-url"') == 20
    assert "The whole wiki" in page and "Test Book" in page


def test_the_secret_is_not_on_the_list_page(client_for, admin_user, endpoint):
    assert endpoint.secret not in client_for(admin_user).get("/webhooks/").content.decode()


def test_a_thread_started_through_the_site_is_delivered(
    client_for, admin_user, receiver, endpoint_for, chapter, editor, django_capture_on_commit_callbacks
):
    endpoint_for(receiver.url, events=[WebhookEvent.THREAD_STARTED])
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(chapter=chapter, author=editor)
    page = client_for(admin_user).get(f"/webhooks/{WebhookEndpoint.objects.get().pk}/").content.decode()
    assert "thread.started" in page and "Succeeded" in page


def test_a_delivery_still_being_tried_is_not_redelivered(client_for, admin_user, endpoint):
    waiting = WebhookDelivery.objects.create(
        endpoint=endpoint, event=WebhookEvent.THREAD_STARTED, status=Status.FAILED
    )
    response = client_for(admin_user).post(
        f"/webhooks/{endpoint.pk}/deliveries/{waiting.pk}/redeliver/", follow=True
    )
    assert "This delivery is still being tried" in response.content.decode()
    assert WebhookDelivery.objects.count() == 1
