"""Logging in and out through django-allauth, under the names the site always used."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import LOGIN, log_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_login_and_logout_names_still_point_at_the_account_pages():
    assert reverse("login") == LOGIN == reverse("account_login")
    assert reverse("logout") == "/accounts/logout/" == reverse("account_logout")


def test_the_login_page_asks_for_a_username_or_email_and_links_password_reset(client):
    page = client.get(LOGIN).text
    assert 'name="username"' in page and 'name="password"' in page
    assert "Username or e-mail" in page
    assert f'href="{reverse("account_reset_password")}">Forgot your password?</a>' in page
    assert "csrfmiddlewaretoken" in page


def test_a_person_logs_in_with_their_username(client):
    user = make_user("pat", role="Reader", password="a long password")
    response = log_in(client, "pat", "a long password")
    assert response.status_code == 302 and response.url == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_person_logs_in_with_their_email_address(client):
    user = make_user("pat", role="Reader", password="a long password")
    response = log_in(client, "PAT@example.com", "a long password")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_goes_back_to_the_page_that_asked(client):
    make_user("pat", password="a long password")
    response = client.post(
        f"{LOGIN}?next=/recent/", {"username": "pat", "password": "a long password", "next": "/recent/"}
    )
    assert response.status_code == 302 and response.url == "/recent/"


def test_login_never_goes_to_another_site(client):
    make_user("pat", password="a long password")
    response = client.post(
        LOGIN, {"username": "pat", "password": "a long password", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_a_wrong_password_is_refused_with_a_message_and_no_session(client):
    make_user("pat", password="a long password")
    response = log_in(client, "pat", "wrong")
    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in response.text
    assert "_auth_user_id" not in client.session


def test_logout_from_the_header_button_signs_out(client):
    make_user("pat", password="a long password")
    log_in(client, "pat", "a long password")
    page = client.get("/").text
    assert f'action="{reverse("logout")}"' in page
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" not in client.session


def test_logout_by_a_plain_link_asks_first_and_stays_signed_in(client):
    make_user("pat", password="a long password")
    log_in(client, "pat", "a long password")
    page = client.get(reverse("logout"))
    assert page.status_code == 200 and "Log out of Chapterwise on this browser?" in page.text
    assert "_auth_user_id" in client.session


def test_with_local_passwords_off_the_login_page_offers_single_sign_on_only(client, sso_settings):
    sso_settings.SSO_LOCAL_PASSWORDS = False
    make_user("pat", password="a long password")
    page = client.get(LOGIN).text
    assert 'name="password"' not in page and "Forgot your password?" not in page
    assert "Sign in with Example SSO" in page
    assert 'action="/accounts/oidc/sso/login/?process=login"' in page
    refused = log_in(client, "pat", "a long password")
    assert "Passwords are turned off here" in refused.text
    assert "_auth_user_id" not in client.session


def test_with_local_passwords_off_admin_login_sends_to_the_login_page(client, settings):
    settings.SSO_LOCAL_PASSWORDS = False
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url == f"{LOGIN}?next=/admin/"


def test_the_account_page_links_every_sign_in_setting(client):
    user = make_user("pat", password="a long password")
    client.force_login(user)
    response = client.get(reverse("notes:account-security"))
    assert response.status_code == 301 and response.url == "/account/#security-heading"
    page = client.get("/account/").text
    for name in ("account_change_password", "account_email", "mfa_index", "socialaccount_connections"):
        assert f'href="{reverse(name)}"' in page


def test_a_signed_in_person_sent_to_log_in_gets_the_form_not_a_loop(client):
    make_user("pat", password="a long password")
    log_in(client, "pat", "a long password")
    page = client.get(f"{LOGIN}?next=/reviews/")
    assert page.status_code == 200
    assert "that page needs an account with another role" in page.text
