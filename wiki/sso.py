"""Single sign-on providers for django-allauth, built from settings read in the
environment (no SocialApp rows in the database): see docs/SSO.md."""

from urllib.parse import urlsplit

# Where GitHub's and Google's sign-in pages live (their authorize endpoints).
_FIXED_ORIGINS = {"github": "https://github.com", "google": "https://accounts.google.com"}


def sso_providers(
    *,
    oidc_id: str = "sso",
    oidc_name: str = "Single sign-on",
    oidc_server_url: str = "",
    oidc_client_id: str = "",
    oidc_client_secret: str = "",
    github_client_id: str = "",
    github_client_secret: str = "",
    google_client_id: str = "",
    google_client_secret: str = "",
) -> dict:
    """``SOCIALACCOUNT_PROVIDERS`` with an app for each provider whose client id is set.

    A function rather than a literal so the browser tests can point the wiki at the
    identity provider they start (``override_settings``).
    """
    providers: dict = {
        "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []},
        "github": {"SCOPE": ["read:user", "user:email"], "APPS": []},
        "google": {"SCOPE": ["openid", "profile", "email"], "OAUTH_PKCE_ENABLED": True, "APPS": []},
    }
    if oidc_client_id:
        providers["openid_connect"]["APPS"].append(
            {
                "provider_id": oidc_id,
                "name": oidc_name,
                "client_id": oidc_client_id,
                "secret": oidc_client_secret,
                "settings": {"server_url": oidc_server_url},
            }
        )
    if github_client_id:
        providers["github"]["APPS"].append({"client_id": github_client_id, "secret": github_client_secret})
    if google_client_id:
        providers["google"]["APPS"].append({"client_id": google_client_id, "secret": google_client_secret})
    return providers


def sso_form_action_origins(providers: dict) -> list[str]:
    """The origins the login page's "Sign in with ..." forms end up at.

    The Content-Security-Policy's ``form-action`` covers the redirects that follow a
    form's submission: without the provider's origin, browsers stop at the redirect.
    """
    origins = []
    for provider, config in providers.items():
        for app in config.get("APPS", []):
            if provider == "openid_connect":
                parts = urlsplit(app["settings"]["server_url"])
                origins.append(f"{parts.scheme}://{parts.netloc}")
            elif provider in _FIXED_ORIGINS:
                origins.append(_FIXED_ORIGINS[provider])
    return sorted(set(origins))
