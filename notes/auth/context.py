"""Template context for the sign-in pages: which ways of signing in this site offers."""

from django.conf import settings


def sign_in(request) -> dict:
    return {
        "local_passwords": settings.SSO_LOCAL_PASSWORDS,
        "signup_policy": settings.SIGNUP_POLICY,
        # Whether the login page offers "Sign up"; the sign-up page itself asks the adapter.
        "signup_open": settings.SSO_LOCAL_PASSWORDS and settings.SIGNUP_POLICY in ("domains", "approval"),
        "signup_domains": ", ".join(settings.SIGNUP_DOMAINS) if settings.SIGNUP_POLICY == "domains" else "",
    }
