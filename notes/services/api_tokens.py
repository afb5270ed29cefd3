"""Personal access tokens: made, revoked, and checked on each API call.

The whole token exists only in the return value of ``api_token_create``; the database
keeps its prefix and the sha256 of its secret. No message here ever repeats a token.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from notes import permissions
from notes.lib.api_tokens import MalformedToken, secret_matches, token_generate, token_split
from notes.models.api import ApiToken

DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 366
MAX_NAME_LENGTH = 100
# A write per API call would double the cost of every read: the "last used" moment is
# refreshed at most this often.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenError(Exception):
    """A refused token action or a token that does not authenticate; the message is for people."""


@transaction.atomic
def api_token_create(
    *, user, name: str, scopes: list[str], lifetime_days: int | None = DEFAULT_LIFETIME_DAYS
) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its whole text, to be shown once and never again.

    ``lifetime_days`` None makes a token that does not expire.
    """
    if not permissions.can_manage_api_tokens(user):
        raise ApiTokenError("Sign in to make API tokens.")
    name = " ".join((name or "").split())
    if not name:
        raise ApiTokenError("Give the token a name, so that you know later what it is for.")
    if len(name) > MAX_NAME_LENGTH:
        raise ApiTokenError(f"A token's name has at most {MAX_NAME_LENGTH} characters.")
    scopes = sorted(set(scopes or []), key=[scope.value for scope in ApiToken.Scope].index)
    if not scopes:
        raise ApiTokenError("Choose at least one scope.")
    allowed = permissions.api_scopes_for(user)
    refused = [scope for scope in scopes if scope not in allowed]
    if refused:
        raise ApiTokenError(
            f"Your role does not allow the scope {', '.join(refused)}; "
            f"you may choose {', '.join(allowed) or 'none'}."
        )
    if lifetime_days is not None and not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise ApiTokenError(f"A token lives from 1 to {MAX_LIFETIME_DAYS} days.")
    token_text, prefix, secret_hash = token_generate()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=secret_hash,
        scopes=scopes,
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days) if lifetime_days else None,
    )
    return token, token_text


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (at once; revoking twice changes nothing)."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user_id=user.pk).first()
    if token is None:
        raise ApiTokenError("That token is not one of yours.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, token_text: str) -> ApiToken:
    """The live token ``token_text`` names, with its user; ApiTokenError otherwise.

    Records the use at most once a minute (``LAST_USED_PRECISION``).
    """
    try:
        prefix, secret = token_split(token_text)
    except MalformedToken as error:
        raise ApiTokenError(str(error)) from None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not secret_matches(secret, token.secret_hash):
        raise ApiTokenError("This API token is not valid.")
    now = timezone.now()
    if token.revoked_at is not None:
        raise ApiTokenError("This API token was revoked.")
    if token.expires_at is not None and token.expires_at <= now:
        raise ApiTokenError("This API token has expired; make a new one on your account page.")
    if not token.user.is_active:
        raise ApiTokenError("The account of this API token is disabled.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
