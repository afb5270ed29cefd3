"""Fixtures for sign-in, sign-up, single sign-on and two-factor tests."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client

from wiki.sso import sso_providers

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts password resets and sign-ups in the cache: each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sso_settings(settings):
    """One OpenID Connect provider ("sso") configured as the environment would."""
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
        oidc_id="sso",
        oidc_name="Example SSO",
        oidc_server_url="https://sso.example.org/realms/wiki",
        oidc_client_id="wiki",
        oidc_client_secret="not-a-real-secret",
    )
    settings.SSO_ROLE_CLAIM = "groups"
    settings.SSO_ROLE_MAP = {"wiki-editors": "Editor", "wiki-reviewers": "Reviewer"}
    return settings


def log_in(client: Client, login: str, password: str = "pw", **extra):
    return client.post(LOGIN, {"username": login, "password": password}, **extra)


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now (RFC 6238, allauth's own helper)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def pending_invitation(email: str = "sam@example.com", role: str = "Editor") -> str:
    """An invitation waiting to be accepted, as the people page makes one; returns its token
    (the e-mail's link carries it, the database keeps only its hash)."""
    from notes.lib.invitations import invitation_token_hash
    from notes.models import Invitation

    token = f"test-invitation-for-{email}"
    Invitation.objects.create(email=email, role=role, token_hash=invitation_token_hash(token))
    return token
