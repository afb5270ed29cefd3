"""The shape of an API token: ``cw_<prefix>_<secret>``. Pure: no model, no database.

The prefix is the token's public id (shown in lists, used to find the row); the secret is
only ever kept as its sha256 and compared in constant time.
"""

import hashlib
import hmac
import secrets

TOKEN_START = "cw_"  # noqa: S105 -- the public marker every token starts with, no secret
PREFIX_LENGTH = 8  # hex characters
SECRET_BYTES = 32


class MalformedToken(ValueError):
    """Not a token of ours; the message never repeats the token."""


def token_generate() -> tuple[str, str, str]:
    """A new token: (the whole token to show once, its prefix, the hash of its secret)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return f"{TOKEN_START}{prefix}_{secret}", prefix, secret_hash(secret)


def token_split(token: str) -> tuple[str, str]:
    """(prefix, secret) of a token as sent, or MalformedToken."""
    if not token.startswith(TOKEN_START):
        raise MalformedToken("This is not a Chapterwise API token (they start with “cw_”).")
    prefix, separator, secret = token[len(TOKEN_START) :].partition("_")
    if not separator or len(prefix) != PREFIX_LENGTH or not secret:
        raise MalformedToken("This API token is not whole: copy all of it, “cw_…” to the end.")
    return prefix, secret


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(secret), stored_hash)
