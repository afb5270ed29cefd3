"""Every permission decision of the wiki, in one place.

Roles come from groups (Reader, Editor, Reviewer, Moderator); staff and superusers are
admins. Each ``can_*`` function answers one question for one user; views call them
through ``require`` or the decorators below, templates through the ``perms`` context.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


class Role(StrEnum):
    READER = "Reader"
    EDITOR = "Editor"
    REVIEWER = "Reviewer"
    MODERATOR = "Moderator"
    ADMIN = "admin"


GROUP_ROLES = (Role.READER, Role.EDITOR, Role.REVIEWER, Role.MODERATOR)


def roles(user) -> frozenset[Role]:
    """The user's roles, read once per request object (one query) and cached on it."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_wiki_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in GROUP_ROLES if role.value in names}
        if user.is_staff or user.is_superuser:
            cached.add(Role.ADMIN)
        cached = frozenset(cached)
        user._wiki_roles = cached
    return cached


def has_role(user, *wanted: Role) -> bool:
    return bool(roles(user) & set(wanted))


def can_read(user) -> bool:
    """Anyone reads when WIKI_PUBLIC_READ is on; otherwise any active signed-in user."""
    if settings.WIKI_PUBLIC_READ:
        return True
    return user.is_authenticated and user.is_active


def require(request, allowed: bool) -> None:
    """Refuse the request unless ``allowed``: anonymous users are sent to log in."""
    if allowed:
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied


class LoginRequired(Exception):
    """Raised by ``require`` for an anonymous user; ``read_required`` turns it into a redirect."""


def permission_view(view: Callable) -> Callable:
    """Turn ``LoginRequired`` raised inside ``view`` into a redirect to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapper


def read_required(view: Callable) -> Callable:
    """Let the view run only for users who may read the wiki."""

    @permission_view
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require(request, can_read(request.user))
        return view(request, *args, **kwargs)

    return wrapper
