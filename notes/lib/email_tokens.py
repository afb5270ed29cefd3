"""The signed tokens of the links in e-mails: turn e-mail off, or stop watching one thing.

Whoever holds the e-mail may use its links without logging in, so each link carries a
token signed with the site's ``SECRET_KEY``, with one salt per purpose: an unsubscribe
token is never accepted as an unwatch token. Reading a token checks only its signature and
shape and age (``EMAIL_LINK_MAX_AGE_DAYS``: a mailbox that leaks years later should not
still turn someone's e-mail off); whether its user still exists and what it may change is the services' decision
(``notes.services.notifications``).
"""

import datetime

from django.conf import settings
from django.core import signing

# The salts are part of every link already mailed: changing them breaks those links.
UNSUBSCRIBE_SALT = "notes.notifications.unsubscribe"
UNWATCH_SALT = "notes.notifications.unwatch"


class BadToken(Exception):
    """A token cut short, changed, or made for another purpose."""


class ExpiredToken(BadToken):
    """A genuine token older than ``EMAIL_LINK_MAX_AGE_DAYS``."""


def unsubscribe_token(user) -> str:
    """The proof, put in every e-mail, that its reader may turn off e-mail for ``user``."""
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unwatch_token(user, *, target: str, target_id: int) -> str:
    """The proof, put in an e-mail, that its reader may end ``user``'s watch of one thing."""
    return signing.dumps({"user": user.pk, "target": target, "id": target_id}, salt=UNWATCH_SALT)


def unsubscribe_token_read(token: str) -> dict:
    """``{"user": pk}`` of a valid unsubscribe token; BadToken otherwise."""
    return _read(token, UNSUBSCRIBE_SALT)


def unwatch_token_read(token: str) -> dict:
    """``{"user": pk, "target": kind, "id": target id}`` of a valid unwatch token; BadToken otherwise."""
    return _read(token, UNWATCH_SALT)


def _read(token: str, salt: str) -> dict:
    try:
        data = signing.loads(
            token, salt=salt, max_age=datetime.timedelta(days=settings.EMAIL_LINK_MAX_AGE_DAYS)
        )
    except signing.SignatureExpired:
        raise ExpiredToken from None
    except signing.BadSignature:
        raise BadToken from None
    if not isinstance(data, dict):
        raise BadToken
    return data
