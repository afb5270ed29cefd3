"""django-axes throttles allauth's login form: by username or e-mail address from an address,
and by address past a higher ceiling."""

import pytest
from django.test import Client

from tests.accounts.conftest import log_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5


def test_wrong_passwords_on_the_allauth_form_lock_the_account():
    make_user("victim", password="right-password")
    client = Client()
    for _ in range(2):
        assert log_in(client, "victim", "wrong", REMOTE_ADDR="10.0.0.1").status_code == 200
    locked = log_in(client, "victim", "wrong", REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    assert "After 3 wrong passwords for <strong>victim</strong>" in locked.text
    answer = log_in(Client(), "victim", "right-password", REMOTE_ADDR="10.0.0.1")
    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session
    assert log_in(Client(), "victim", "right-password", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_wrong_passwords_given_with_the_email_address_lock_it_too():
    make_user("victim", password="right-password")
    for _ in range(3):
        log_in(Client(), "victim@example.com", "wrong", REMOTE_ADDR="10.0.1.1")
    answer = log_in(Client(), "victim@example.com", "right-password", REMOTE_ADDR="10.0.1.1")
    assert answer.status_code == 429


def test_an_address_trying_many_accounts_is_locked():
    make_user("someone", password="right-password")
    for number in range(5):
        log_in(Client(), f"guess{number}@example.com", "wrong", REMOTE_ADDR="10.0.0.7")
    assert log_in(Client(), "someone", "right-password", REMOTE_ADDR="10.0.0.7").status_code == 429
    assert log_in(Client(), "someone", "right-password", REMOTE_ADDR="10.0.0.8").status_code == 302


def test_a_right_password_before_the_limit_clears_the_count():
    make_user("pat", password="right-password")
    client = Client()
    for _ in range(2):
        log_in(client, "pat", "wrong")
    assert log_in(client, "pat", "right-password").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(2):
        assert log_in(client, "pat", "wrong").status_code == 200
    assert log_in(client, "pat", "right-password").status_code == 302


def test_allauths_own_counter_does_not_answer_before_axes(settings):
    # allauth would refuse after 5 failures with a message of its own; axes alone counts.
    settings.AXES_FAILURE_LIMIT = 8
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    make_user("pat", password="right-password")
    client = Client()
    for _ in range(7):
        answer = log_in(client, "pat", "wrong")
        assert answer.status_code == 200
        assert "Too many failed login attempts" not in answer.text
    assert log_in(client, "pat", "wrong").status_code == 429
