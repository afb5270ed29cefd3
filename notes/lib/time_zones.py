"""The signed-in person's time zone, kept in their session so no page reads it from the database."""

import zoneinfo

from django.utils import timezone

# The session holds (user id, IANA name): a session that changes hands keeps nobody's zone.
SESSION_KEY = "wiki_time_zone"


def remember(session, *, user_id: int, name: str) -> None:
    session[SESSION_KEY] = [user_id, name]


def remembered(session, *, user_id: int) -> str | None:
    value = session.get(SESSION_KEY)
    if isinstance(value, list) and len(value) == 2 and value[0] == user_id:
        return value[1]
    return None


def activate(name: str | None) -> None:
    """Make ``name`` the zone of the dates this request shows; an unknown one falls back to the site's."""
    if not name:
        timezone.deactivate()
        return
    try:
        timezone.activate(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()
