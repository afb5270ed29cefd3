"""Single sign-on decisions, driven through allauth's own login flow with the identity a
provider would return: who gets in, which account they land in, and which roles."""

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal.flows.login import complete_login
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.urls import reverse

from notes.lib.sso import INVITATION_SESSION_KEY
from notes.models import SignupRequest
from tests.accounts.conftest import pending_invitation
from tests.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def _roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def sso_login(rf, *, email="sam@example.com", verified=True, groups=(), uid="sam-1", session=None):
    """Run allauth's login flow as if provider "sso" had just answered for this person."""
    claims = {"sub": uid, "email": email, "email_verified": verified, "groups": list(groups)}
    request = rf.get("/accounts/oidc/sso/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.session.update(session or {})
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    with context.request_context(request):
        sociallogin = SocialLogin(
            user=User(username="sam", email=email),
            account=SocialAccount(provider="sso", uid=uid, extra_data={"userinfo": claims, "id_token": {}}),
            provider=get_adapter().get_provider(request, "sso"),
            email_addresses=[EmailAddress(email=email, verified=verified, primary=True)] if email else [],
        )
        sociallogin.state = {"process": "login", "next": "/"}
        response = complete_login(request, sociallogin)
    return request, response


def _messages(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


@pytest.fixture(autouse=True)
def provider(sso_settings):
    sso_settings.SIGNUP_POLICY = "approval"
    return sso_settings


def test_a_first_sso_login_creates_the_account_with_the_mapped_roles(rf, settings):
    settings.SIGNUP_POLICY = "domains"
    settings.SIGNUP_DOMAINS = ["example.com"]
    request, response = sso_login(rf, groups=["wiki-editors", "unrelated"])
    user = User.objects.get(email="sam@example.com")
    assert response.status_code == 302 and response.url == "/"
    assert request.session["_auth_user_id"] == str(user.pk)
    assert _roles(user) == {"Reader", "Editor"}
    assert SocialAccount.objects.get(user=user).uid == "sam-1"
    assert not user.has_usable_password()


def test_the_approval_policy_keeps_an_sso_sign_up_waiting(rf):
    request, response = sso_login(rf)
    user = User.objects.get(email="sam@example.com")
    assert response.url == reverse("account_inactive")
    assert not user.is_active and user.signup_request.decision == SignupRequest.Decision.PENDING
    assert "_auth_user_id" not in request.session


def test_a_closed_wiki_refuses_an_unknown_sso_identity(rf, settings):
    settings.SIGNUP_POLICY = "closed"
    _request, response = sso_login(rf)
    assert response.status_code == 200 and b"Sign-up is closed" in response.content
    assert not User.objects.filter(email="sam@example.com").exists()


def test_an_invitation_opens_a_closed_wiki_to_sso(rf, settings):
    settings.SIGNUP_POLICY = "closed"
    request, response = sso_login(rf, session={INVITATION_SESSION_KEY: pending_invitation()})
    assert response.url == "/"
    assert User.objects.get(email="sam@example.com").is_active


def test_the_domains_policy_refuses_another_domain(rf, settings):
    settings.SIGNUP_POLICY, settings.SIGNUP_DOMAINS = "domains", ["example.org"]
    _request, response = sso_login(rf)
    assert b"Sign-up is closed" in response.content
    assert not User.objects.filter(email="sam@example.com").exists()


def test_an_unverified_email_is_refused_with_a_message(rf):
    existing = make_user("sam-local", password="a long password")
    existing.email = "sam@example.com"
    existing.save()
    request, response = sso_login(rf, verified=False)
    assert response.status_code == 302 and response.url == reverse("login")
    assert _messages(request) == [
        "Your sign-in provider has not verified the address sam@example.com, so it cannot sign you in "
        "here. Verify it with the provider (or ask your admin), then try again."
    ]
    assert "_auth_user_id" not in request.session
    assert not SocialAccount.objects.exists()
    existing.refresh_from_db()
    assert existing.check_password("a long password")


def test_an_identity_without_any_email_is_refused(rf):
    request, response = sso_login(rf, email="")
    assert response.url == reverse("login")
    assert "did not share a verified e-mail address" in _messages(request)[0]
    assert not User.objects.filter(username="sam").exists()


def test_an_existing_account_is_linked_by_its_verified_email(rf):
    existing = make_user("sam-local", role="Reader")
    existing.email = "sam@example.com"
    existing.save()
    EmailAddress.objects.create(user=existing, email="sam@example.com", verified=True, primary=True)
    request, response = sso_login(rf, groups=["wiki-reviewers"])
    assert request.session["_auth_user_id"] == str(existing.pk)
    assert SocialAccount.objects.get().user == existing
    assert User.objects.count() == 1
    assert _roles(existing) == {"Reader", "Reviewer"}


def test_roles_stay_as_they_are_on_later_logins_without_sync(rf):
    sso_login(rf, groups=["wiki-editors"], session={INVITATION_SESSION_KEY: pending_invitation()})
    user = User.objects.get(email="sam@example.com")
    sso_login(rf, groups=["wiki-reviewers"])
    assert _roles(user) == {"Reader", "Editor"}


def test_role_sync_follows_the_provider_at_every_login(rf, settings):
    settings.SSO_ROLE_SYNC = True
    sso_login(rf, groups=["wiki-editors"], session={INVITATION_SESSION_KEY: pending_invitation()})
    user = User.objects.get(email="sam@example.com")
    request, _response = sso_login(rf, groups=["wiki-reviewers"])
    assert request.session["_auth_user_id"] == str(user.pk)
    assert _roles(user) == {"Reader", "Reviewer"}


def test_a_provider_that_is_not_set_up_is_a_missing_page(client):
    assert client.post("/accounts/github/login/").status_code == 404
    assert client.get("/accounts/oidc/nobody/login/callback/?code=x&state=y").status_code == 404
