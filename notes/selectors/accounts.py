"""Reads for accounts: the sign-ups waiting for an admin, and the latest decisions."""

from django.db.models import QuerySet

from notes.models import SignupRequest

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
