"""Two-factor (allauth.mfa): optional for everyone, required for admins and moderators
when MFA_REQUIRED_FOR_STAFF is on."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, generate_totp_secret
from django.urls import reverse

from tests.accounts.conftest import log_in, totp_code
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def test_the_two_factor_page_names_are_where_the_security_page_links(client):
    assert reverse("mfa_activate_totp") == ACTIVATE
    assert reverse("mfa_index") == "/accounts/2fa/"


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("who", ["moderator", "admin_user"])
def test_staff_without_an_authenticator_are_sent_to_set_one_up(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    for page in ("/", "/recent/", reverse("notes:moderation-log")):
        response = client.get(page)
        assert response.status_code == 302 and response.url == ACTIVATE, page
    # The setup pages and logging out stay open, or nobody could enrol.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("who", ["reader", "editor", "reviewer"])
def test_other_roles_are_not_asked(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get("/").status_code == 200


def test_nobody_is_asked_when_the_setting_is_off(client_for, moderator):
    assert client_for(moderator).get("/").status_code == 200


@pytest.mark.usefixtures("required")
def test_staff_with_an_authenticator_use_the_site(client_for, moderator):
    TOTP.activate(moderator, generate_totp_secret())
    assert client_for(moderator).get("/").status_code == 200


@pytest.mark.usefixtures("required")
def test_a_moderator_enrols_with_an_authenticator_app_and_then_uses_the_site(client):
    make_user("mod", role="Moderator", password="a long password")
    assert log_in(client, "mod", "a long password").url == "/"
    assert client.get("/").url == ACTIVATE
    # allauth asks for the password again before a change to two-factor.
    asked = client.get(ACTIVATE)
    assert asked.url.startswith(reverse("account_reauthenticate"))
    client.post(asked.url, {"password": "a long password"})
    page = client.get(ACTIVATE)
    assert page.status_code == 200 and "QR code to scan with your authenticator app" in page.text
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Incorrect code." in wrong.text
    assert not Authenticator.objects.exists()
    done = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 1
    assert client.get("/").status_code == 200


def test_logging_in_with_two_factor_asks_for_the_code_after_the_password(client):
    user = make_user("pat", password="a long password")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = log_in(client, "pat", "a long password")
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.usefixtures("required")
def test_staff_with_an_unconfirmed_address_are_asked_to_confirm_it_first(client_for, moderator):
    EmailAddress.objects.create(user=moderator, email=moderator.email, verified=False, primary=True)
    client = client_for(moderator)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [(reverse("account_email"), 302)]
    assert "Confirm your e-mail address first, then set up an authenticator app." in response.text
