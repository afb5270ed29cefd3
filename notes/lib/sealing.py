"""Seal a secret before it leaves the process (into a shared cache), so that whoever reads
the cache without the site's SECRET_KEY learns nothing from it."""

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken

PREFIX = "sealed$"


class Unsealable(ValueError):
    """Sealed under another key (the SECRET_KEY changed) or not sealed by us."""


@functools.lru_cache(maxsize=4)
def _fernet(secret: str, purpose: str) -> Fernet:
    digest = hashlib.sha256(f"chapterwise.sealing.{purpose}:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(text: str, *, secret: str, purpose: str) -> str:
    return PREFIX + _fernet(secret, purpose).encrypt(text.encode()).decode()


def is_sealed(text: str) -> bool:
    return isinstance(text, str) and text.startswith(PREFIX)


def unseal(text: str, *, secret: str, purpose: str) -> str:
    if not is_sealed(text):
        raise Unsealable("not a sealed value")
    try:
        return _fernet(secret, purpose).decrypt(text[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise Unsealable("sealed under another key") from None
