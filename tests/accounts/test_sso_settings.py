"""Single sign-on providers come from the environment: one app per configured client,
and the Content-Security-Policy lets the sign-in buttons reach them."""

import os
import subprocess
import sys

from tests.paths import ROOT
from wiki.sso import sso_form_action_origins, sso_providers


def test_no_client_id_means_no_provider():
    providers = sso_providers()
    assert all(config["APPS"] == [] for config in providers.values())
    assert sso_form_action_origins(providers) == []


def test_each_configured_client_becomes_one_app_and_one_allowed_origin():
    providers = sso_providers(
        oidc_id="keycloak",
        oidc_name="Acme",
        oidc_server_url="https://keycloak.example.org/realms/acme",
        oidc_client_id="chapterwise",
        oidc_client_secret="s3cret",
        github_client_id="gh",
        github_client_secret="gh-secret",
    )
    assert providers["openid_connect"]["APPS"] == [
        {
            "provider_id": "keycloak",
            "name": "Acme",
            "client_id": "chapterwise",
            "secret": "s3cret",
            "settings": {"server_url": "https://keycloak.example.org/realms/acme"},
        }
    ]
    assert providers["openid_connect"]["OAUTH_PKCE_ENABLED"] is True
    assert providers["github"]["APPS"] == [{"client_id": "gh", "secret": "gh-secret"}]
    assert providers["google"]["APPS"] == []
    assert sso_form_action_origins(providers) == ["https://github.com", "https://keycloak.example.org"]


def _settings_start(**environment) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wiki.test_settings", **environment}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_a_bad_role_map_stops_start_up_naming_the_entry():
    result = _settings_start(SSO_ROLE_CLAIM="groups", SSO_ROLE_MAP="wiki-admins=Admin")
    assert result.returncode != 0
    assert "SSO_ROLE_MAP: 'Admin' is not a role" in result.stderr


def test_a_client_id_without_a_server_url_stops_start_up():
    result = _settings_start(SSO_OIDC_CLIENT_ID="chapterwise")
    assert result.returncode != 0
    assert "SSO_OIDC_CLIENT_ID needs SSO_OIDC_SERVER_URL" in result.stderr


def test_the_domains_policy_needs_domains():
    result = _settings_start(SIGNUP_POLICY="domains")
    assert result.returncode != 0
    assert "SIGNUP_POLICY=domains needs SIGNUP_DOMAINS" in result.stderr
    assert _settings_start(SIGNUP_POLICY="domains", SIGNUP_DOMAINS="example.com").returncode == 0
