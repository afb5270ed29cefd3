"""An admin registers a webhook with the keyboard and mouse, reads its secret, and the pages fit a phone."""

import pytest

from notes.models import WebhookDelivery, WebhookEndpoint
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_an_admin_registers_a_webhook_and_reveals_its_secret_on_a_phone(
    live_server, new_page, log_in, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    make_user("boss", staff=True)
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, "boss")

    # On a phone the links are folded into the menu: open it first, as a person would.
    page.locator(".nav-menu > summary").click()
    page.click(".nav >> text=Webhooks")
    page.get_by_label("Address (URL)").fill("http://127.0.0.1:9/hooks/wiki")
    page.get_by_label("A discussion thread is started").check()
    page.get_by_label("Slack or Mattermost (a sentence with a link)").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/webhooks/*/")

    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.events, endpoint.format) == (["thread.started"], "slack")
    secret = page.get_by_label("Signing secret")
    assert not secret.is_visible()
    page.get_by_text("Show the signing secret").click()
    assert secret.input_value() == endpoint.secret
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    for _ in range(3):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="thread.started",
            status="given_up",
            attempts=7,
            response_excerpt="x" * 400,
        )
    page.reload()
    assert page.get_by_role("button", name="Redeliver").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{live_server.url}/webhooks/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_webhooks_link_is_not_in_a_moderators_nav(live_server, new_page, log_in):
    make_user("mod", role="Moderator")
    page = new_page()
    log_in(page, "mod")
    assert page.locator(".nav >> text=Webhooks").count() == 0
    response = page.goto(f"{live_server.url}/webhooks/")
    assert response.status == 403
