"""Reads for accounts: the signed-in user of a request, the sign-ups waiting for an admin,
and the latest decisions."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from notes import permissions
from notes.lib.sealing import Unsealable, seal, unseal
from notes.lib.viewer_cache import viewer_snapshot
from notes.models import SignupRequest
from notes.selectors import discussions as discussion_selectors
from notes.selectors import following as following_selectors

RECENT_DECISIONS_SHOWN = 20


def signup_requests_pending() -> QuerySet[SignupRequest]:
    return (
        SignupRequest.objects.filter(decision=SignupRequest.Decision.PENDING)
        .select_related("user")
        .order_by("requested_at", "id")
    )


def signup_requests_decided() -> QuerySet[SignupRequest]:
    """The latest decisions, newest first, so an admin sees what was just done and by whom."""
    return (
        SignupRequest.objects.exclude(decision=SignupRequest.Decision.PENDING)
        .select_related("user", "decided_by")
        .order_by("-decided_at", "-id")[:RECENT_DECISIONS_SHOWN]
    )


def signed_in_user(user_id: int):
    """The user of a session with everything each page asks about them: their roles, their
    reading progress, what they watch and how many notifications they have not seen.

    From one cache read while none of these has changed (the services and the models'
    signals expire it: ``notes.services.viewers``), else four queries, kept for the next
    request. None when there is no such user.
    """
    user = viewer_snapshot(user_id, lambda: _sealed(_signed_in_user(user_id)))
    if user is None:
        return None
    try:
        user.password = unseal(user.password, secret=settings.SECRET_KEY, purpose=_SEAL_PURPOSE)
    except Unsealable:
        # Sealed under a SECRET_KEY since replaced: read afresh (it is sealed anew next time).
        return _signed_in_user(user_id)
    return user


# Django checks each session against an HMAC of the password hash, so the snapshot must carry
# the hash; it is kept sealed with a key made from SECRET_KEY, so the cache (Redis) never
# holds a password hash anyone could try to crack.
_SEAL_PURPOSE = "viewer-snapshot"


def _sealed(user):
    if user is not None:
        user.password = seal(user.password, secret=settings.SECRET_KEY, purpose=_SEAL_PURPOSE)
    return user


def _signed_in_user(user_id: int):
    user = permissions.users_with_roles(get_user_model()._default_manager.filter(pk=user_id)).first()
    if user is None:
        return None
    # Each of these fills the attribute its reader looks for on the user first.
    permissions.roles(user)
    permissions.reading_progress(user)
    user._wiki_watches = following_selectors.watched_keys(user=user)
    user._wiki_unread = discussion_selectors.unread_notification_count(user=user)
    return user
