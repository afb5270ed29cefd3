"""Writes for accounts: what a new sign-up becomes under the sign-up policy, the roles a
single sign-on provider grants, and admins' decisions on waiting sign-ups.

Called from the allauth adapters (``notes.auth.adapters``) and the sign-up requests page.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from notes import permissions
from notes.lib.sso import MAPPABLE_ROLES
from notes.models import SignupRequest


class SignupError(Exception):
    """A refused decision on a sign-up; ``str()`` is the message for the user."""


@transaction.atomic
def signup_complete(*, user, needs_approval: bool) -> SignupRequest | None:
    """Give a just-created account the Reader role; under the approval policy, make it
    wait inactive for an admin and return its request."""
    user.groups.add(Group.objects.get_or_create(name=permissions.Role.READER.value)[0])
    if not needs_approval:
        return None
    user.is_active = False
    user.save(update_fields=["is_active"])
    return SignupRequest.objects.create(user=user)


@transaction.atomic
def user_roles_apply(*, user, roles: set[str], replace: bool) -> None:
    """Add ``roles`` (names among Reader, Editor, Reviewer, Moderator) to the user's.

    With ``replace`` the user's mappable roles become exactly ``roles`` plus Reader: a
    role the provider no longer grants is taken away. Admin (staff) is never touched.
    """
    unknown = set(roles) - set(MAPPABLE_ROLES)
    if unknown:
        raise ValueError(f"Not roles: {', '.join(sorted(unknown))}")
    wanted = set(roles) | {permissions.Role.READER.value}
    groups = {group.name: group for group in Group.objects.filter(name__in=MAPPABLE_ROLES)}
    if replace:
        user.groups.remove(*[group for name, group in groups.items() if name not in wanted])
    # get_or_create: the data migration makes the role groups, but a flushed database
    # (as between browser tests) must not turn a sign-in into a 500.
    user.groups.add(*[groups.get(name) or Group.objects.get_or_create(name=name)[0] for name in wanted])
    user._wiki_roles = None  # the roles cached on this object are stale now


def _decide(*, signup_request: SignupRequest, by, decision: str) -> SignupRequest:
    if not permissions.can_manage_people(by):
        raise PermissionDenied("Only admins decide on sign-ups.")
    locked = SignupRequest.objects.select_for_update().select_related("user").get(pk=signup_request.pk)
    if locked.decision != SignupRequest.Decision.PENDING:
        raise SignupError(
            f"The sign-up of {locked.user.get_username()} was already {locked.get_decision_display().lower()}."
        )
    locked.decision = decision
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def signup_request_approve(*, signup_request: SignupRequest, by) -> SignupRequest:
    """Let the person in: the account becomes active and they can log in."""
    decided = _decide(signup_request=signup_request, by=by, decision=SignupRequest.Decision.APPROVED)
    decided.user.is_active = True
    decided.user.save(update_fields=["is_active"])
    return decided


@transaction.atomic
def signup_request_refuse(*, signup_request: SignupRequest, by) -> SignupRequest:
    """Keep the account closed; the request stays on record with who refused it."""
    return _decide(signup_request=signup_request, by=by, decision=SignupRequest.Decision.REFUSED)
