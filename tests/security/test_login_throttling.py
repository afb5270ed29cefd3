"""Wrong passwords are throttled per account from one address, and per address past a
higher ceiling, on both login pages. Which address a request is: wiki.auth.client_ip."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5


def _attempt(client, page, username, password, address="10.0.0.1"):
    return client.post(page, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_right_password_is_refused_after_too_many_wrong_ones(page):
    make_user("victim", staff=True, password="right-password")
    client = Client()
    for _ in range(2):
        assert _attempt(client, page, "victim", "wrong").status_code == 200
    locked = _attempt(client, page, "victim", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    assert "After 3 wrong passwords for <strong>victim</strong>" in locked.text
    assert "paused for 15 minutes" in locked.text
    answer = _attempt(client, page, "victim", "right-password")
    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_from_elsewhere_do_not_lock_the_account_out_here():
    """Typing someone's name with wrong passwords from other addresses locks out only those."""
    make_user("victim", password="right-password")
    for _ in range(3):
        _attempt(Client(), "/accounts/login/", "victim", "wrong", address="10.0.0.66")
    assert _attempt(Client(), "/accounts/login/", "victim", "right-password", "10.0.0.66").status_code == 429
    assert _attempt(Client(), "/accounts/login/", "victim", "right-password", "10.9.9.9").status_code == 302


def test_one_guesser_behind_a_nat_does_not_lock_out_the_others_before_the_ceiling():
    make_user("colleague", password="right-password")
    for number in range(4):  # under the address's ceiling of 5
        _attempt(Client(), "/accounts/login/", f"guess{number}", "wrong", address="10.0.0.7")
    assert (
        _attempt(Client(), "/accounts/login/", "colleague", "right-password", "10.0.0.7").status_code == 302
    )


def test_an_address_is_locked_past_its_ceiling_whatever_accounts_it_tries():
    make_user("someone", password="right-password")
    for number in range(5):
        _attempt(Client(), "/accounts/login/", f"guess{number}", "wrong", address="10.0.0.7")
    assert _attempt(Client(), "/accounts/login/", "someone", "right-password", "10.0.0.7").status_code == 429
    other = _attempt(Client(), "/accounts/login/", "someone", "right-password", address="10.0.0.8")
    assert other.status_code == 302


def test_a_rotating_forwarded_for_header_does_not_escape_the_lock(settings):
    """Behind the proxy, the address is the one the proxy appended last: what the client
    put in front of it changes nothing."""
    settings.BEHIND_HTTPS_PROXY = True
    make_user("victim", password="right-password")
    for number in range(3):
        Client().post(
            "/accounts/login/",
            {"username": "victim", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.1.1.{number}, 203.0.113.9",
        )
    answer = Client().post(
        "/accounts/login/",
        {"username": "victim", "password": "right-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.1.1.200, 203.0.113.9",
    )
    assert answer.status_code == 429


def test_the_lock_ends_after_the_cool_off(settings, client):
    make_user("victim", password="right-password")
    for _ in range(3):
        _attempt(client, "/accounts/login/", "victim", "wrong")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time.replace(year=2000))
    assert _attempt(client, "/accounts/login/", "victim", "right-password").status_code == 302


def test_an_admin_unlocks_an_account_by_deleting_its_attempts_in_django_admin():
    make_user("victim", password="right-password")
    admin = make_user("boss", staff=True)
    for _ in range(3):
        _attempt(Client(), "/accounts/login/", "victim", "wrong")
    attempt = AccessAttempt.objects.get(username="victim")
    staff = Client()
    staff.force_login(admin)
    listing = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert "victim" in listing.text
    staff.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.filter(username="victim").exists()
    assert _attempt(Client(), "/accounts/login/", "victim", "right-password").status_code == 302


def test_a_successful_login_clears_the_count():
    make_user("victim", password="right-password")
    client = Client()
    for _ in range(2):
        _attempt(client, "/accounts/login/", "victim", "wrong")
    assert _attempt(client, "/accounts/login/", "victim", "right-password").status_code == 302
    client.logout()
    for _ in range(2):
        _attempt(client, "/accounts/login/", "victim", "wrong")
    assert _attempt(client, "/accounts/login/", "victim", "right-password").status_code == 302


@pytest.mark.parametrize(
    "cache",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_throttling_keeps_its_count_whatever_the_cache(settings, cache):
    """Attempts live in the database: a cache that forgets (Redis restarted, or none) changes nothing."""
    settings.CACHES = {"default": {"BACKEND": cache}}
    make_user("victim", password="right-password")
    for _ in range(3):
        _attempt(Client(), "/accounts/login/", "victim", "wrong")
    assert _attempt(Client(), "/accounts/login/", "victim", "right-password").status_code == 429


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(settings):
    settings.BEHIND_HTTPS_PROXY = True
    make_user("someone", password="right-password")
    for number in range(5):
        Client().post(
            "/accounts/login/",
            {"username": f"guess{number}", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}, 10.0.0.7",
        )
    locked = Client().post(
        "/accounts/login/",
        {"username": "someone", "password": "right-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.7",
    )
    assert locked.status_code == 429
    elsewhere = Client().post(
        "/accounts/login/",
        {"username": "someone", "password": "right-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.8",
    )
    assert elsewhere.status_code == 302


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_a_10_kb_username_is_counted_not_a_server_error(page):
    client = Client(raise_request_exception=False)
    for _ in range(3):
        response = _attempt(client, page, "a" * 10240, "wrong")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == "a" * 150


@pytest.mark.parametrize("forwarded", ["not-an-address", "", "1.2.3.4, <script>", "9" * 5000])
def test_a_forged_forwarded_address_falls_back_to_the_proxy_address(settings, forwarded):
    settings.BEHIND_HTTPS_PROXY = True
    client = Client(raise_request_exception=False)
    response = client.post(
        "/accounts/login/",
        {"username": "someone", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
