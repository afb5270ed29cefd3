"""Secrets put in links: invite links, calendar-feed links."""

import secrets


def new_token() -> str:
    """A fresh URL-safe secret (32 characters)."""
    return secrets.token_urlsafe(24)
