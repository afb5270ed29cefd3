"""Reads for /people/ and /account/: everyone with their role, pending invitations, the log.

Each list is one query whatever its length (the people page pins it in a test).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from notes.lib.invitations import invitation_token_hash
from notes.models import Invitation, NotificationSettings, PeopleLogEntry, Profile
from notes.permissions import account_role, active_admin_count, users_with_roles

LOG_LENGTH = 50


def people_list() -> list:
    """Everyone, active first then by username, each with ``role`` ("admin", a group, or ""),
    ``profile`` loaded, and ``last_login`` as the last time they signed in."""
    users = users_with_roles(get_user_model().objects.select_related("profile")).order_by(
        "-is_active", "username"
    )
    people = list(users)
    for person in people:
        person.role = account_role(person)
    return people


def pending_invitations() -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked, expired ones included (they can be resent)."""
    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related(
        "invited_by__profile"
    )


def people_log(*, limit: int = LOG_LENGTH) -> QuerySet[PeopleLogEntry]:
    return PeopleLogEntry.objects.select_related("actor__profile", "subject__profile")[:limit]


def admin_count() -> int:
    return active_admin_count()


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("invited_by__profile")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


def profile_of(user) -> Profile:
    """The user's profile, or an unsaved one with the defaults when they have none yet."""
    return Profile.objects.filter(user=user).first() or Profile(user=user, time_zone=settings.TIME_ZONE)


def time_zone_of(user) -> str:
    return Profile.objects.filter(user=user).values_list("time_zone", flat=True).first() or settings.TIME_ZONE


def notification_settings_of(user) -> NotificationSettings | None:
    return NotificationSettings.objects.filter(user=user).first()


def diff_view_of(user) -> str:
    """How the user reads diffs, "rendered" (everyone's default) or "source" (one query)."""
    if not user.is_authenticated:
        return Profile.DiffView.RENDERED
    return (
        Profile.objects.filter(user=user).values_list("diff_view", flat=True).first()
        or Profile.DiffView.RENDERED
    )
