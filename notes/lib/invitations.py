"""Pure helpers for invitations: reading a list of addresses, and the token and its hash."""

import hashlib
import re
import secrets

# Addresses come one a line, or separated by commas, semicolons or spaces (pasted from a
# mail client's "To:" line).
_SEPARATORS = re.compile(r"[\s,;]+")


def split_addresses(text: str) -> list[str]:
    """The addresses in ``text``, lower-cased, each once, in the order given."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text or ""):
        address = part.strip().strip("<>").lower()
        if address:
            seen.setdefault(address, None)
    return list(seen)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, so a copy of the database accepts nothing."""
    return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).hexdigest()
