"""Who may create an account: closed (invitations only), domains, or approval by an admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from notes.lib.sso import INVITATION_SESSION_KEY
from notes.models import Invitation, SignupRequest
from notes.services.accounts import signup_complete, signup_request_approve
from tests.accounts.conftest import log_in, pending_invitation
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
User = get_user_model()


def _sign_up(client, username="newcomer", email="newcomer@example.com", password="a long new password"):
    return client.post(
        SIGNUP, {"username": username, "email": email, "password1": password, "password2": password}
    )


def test_sign_up_is_closed_by_default(client):
    page = client.get(SIGNUP)
    assert "Sign-up is closed" in page.text
    _sign_up(client)
    assert not User.objects.filter(username="newcomer").exists()
    assert "Sign up" not in client.get("/accounts/login/").text


def test_an_invitation_in_the_session_opens_sign_up_and_gives_its_role(client):
    session = client.session
    session[INVITATION_SESSION_KEY] = pending_invitation("newcomer@example.com", role="Editor")
    session.save()
    response = _sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.is_active and set(user.groups.values_list("name", flat=True)) == {"Editor"}
    assert Invitation.objects.get().accepted_by == user


def test_a_used_or_unknown_invitation_in_the_session_opens_nothing(client):
    session = client.session
    session[INVITATION_SESSION_KEY] = "not-an-invitation"
    session.save()
    _sign_up(client)
    assert not User.objects.filter(username="newcomer").exists()


def test_the_domains_policy_takes_an_address_of_a_listed_domain(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SIGNUP_POLICY, settings.SIGNUP_DOMAINS = "domains", ["example.com"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after the commit
        response = _sign_up(client, email="newcomer@Example.com")
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    user = User.objects.get(username="newcomer")
    assert list(user.groups.values_list("name", flat=True)) == ["Reader"]
    # Not signed in until the address is confirmed: the domain is only as good as that proof.
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mail.outbox] == [["newcomer@example.com"]]


def test_the_domains_policy_refuses_another_domain_with_a_message(client, settings):
    settings.SIGNUP_POLICY, settings.SIGNUP_DOMAINS = "domains", ["example.com", "example.org"]
    response = _sign_up(client, email="newcomer@elsewhere.net")
    assert response.status_code == 200
    assert "Accounts here are for addresses at example.com, example.org." in response.text
    assert not User.objects.filter(username="newcomer").exists()


def test_the_approval_policy_keeps_a_new_account_waiting(client, settings):
    settings.SIGNUP_POLICY = "approval"
    response = _sign_up(client)
    assert response.status_code == 302 and response.url == reverse("account_inactive")
    assert "wait for an admin to approve" in client.get(response.url).text
    user = User.objects.get(username="newcomer")
    assert not user.is_active
    assert user.signup_request.decision == SignupRequest.Decision.PENDING
    again = log_in(client, "newcomer", "a long new password")
    assert "_auth_user_id" not in client.session
    assert again.status_code == 302 and again.url == reverse("account_inactive")


@pytest.fixture
def waiting(settings, client):
    settings.SIGNUP_POLICY = "approval"
    _sign_up(client)
    return SignupRequest.objects.get(user__username="newcomer")


def test_an_admin_approves_a_waiting_account_and_it_logs_in(client_for, admin_user, waiting):
    admin = client_for(admin_user)
    page = admin.get(reverse("notes:signup-requests")).text
    assert "newcomer@example.com" in page
    response = admin.post(reverse("notes:signup-request-approve", args=[waiting.pk]), follow=True)
    assert "newcomer&#x27;s account can log in now." in response.text
    waiting.refresh_from_db()
    assert waiting.decision == "approved" and waiting.decided_by == admin_user and waiting.decided_at
    newcomer = log_in(client_for(None), "newcomer", "a long new password")
    assert newcomer.status_code == 302


def test_a_refused_account_stays_closed(client_for, admin_user, waiting):
    admin = client_for(admin_user)
    admin.post(reverse("notes:signup-request-refuse", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.decision == "refused" and not waiting.user.is_active
    again = admin.post(reverse("notes:signup-request-approve", args=[waiting.pk]), follow=True)
    assert "The sign-up of newcomer was already refused." in again.text
    waiting.user.refresh_from_db()
    assert not waiting.user.is_active


@pytest.mark.parametrize("who", ["reader", "moderator", "editor"])
def test_only_admins_see_and_decide_sign_ups(request, client_for, who, waiting):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("notes:signup-requests")).status_code == 403
    assert client.post(reverse("notes:signup-request-approve", args=[waiting.pk])).status_code == 403
    waiting.refresh_from_db()
    assert waiting.decision == "pending"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("notes:signup-requests"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_deciding_needs_a_post(client_for, admin_user, waiting):
    assert (
        client_for(admin_user).get(reverse("notes:signup-request-approve", args=[waiting.pk])).status_code
        == 405
    )


def test_the_sign_up_requests_page_runs_a_fixed_number_of_queries(
    client_for, admin_user, settings, django_assert_max_num_queries
):
    settings.SIGNUP_POLICY = "approval"
    admin = client_for(admin_user)
    for number in range(12):
        user = make_user(f"new{number}")
        signup = signup_complete(user=user, needs_approval=True)
        if number % 2:
            signup_request_approve(signup_request=signup, by=admin_user)
    admin.get(reverse("notes:signup-requests"))
    with django_assert_max_num_queries(8):
        page = admin.get(reverse("notes:signup-requests")).text
    assert page.count("Approve new") == 6
