"""People: invitations, roles, deactivation, and each person's own profile.

Every function checks before it acts and raises ``PeopleError`` with a message a person can
read; nothing is half done. Each change is written to the append-only people log. The
invitation e-mail leaves through the task queue after the commit: a rolled-back invitation
sends nothing, and a committed one sends exactly one message.
"""

import logging
import zoneinfo
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notes import permissions, tasks
from notes.lib import time_zones
from notes.lib.invitations import invitation_token_hash, new_invitation_token, split_addresses
from notes.lib.limits import MAX_DISPLAY_NAME_LENGTH, MAX_INVITATIONS_AT_ONCE
from notes.models import Invitation, PeopleLogEntry, Profile
from notes.models.people import display_name as _name
from notes.permissions import GROUP_ROLES, Role
from notes.selectors import people as people_selectors
from notes.services.groups import spoilers_setting_update
from notes.services.notifications import notification_settings_update, review_notifications_update

logger = logging.getLogger(__name__)

Action = PeopleLogEntry.Action
# The roles a person can be given on /people/ ("admin" makes a staff account).
ROLE_CHOICES = [(role.value, role.value) for role in GROUP_ROLES] + [(Role.ADMIN.value, "Admin")]


class PeopleError(Exception):
    """A people change refused; the message says why, in words a person can read."""


@dataclass
class InvitationResult:
    invited: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    # Addresses that already belong to an account: reported, never invited twice.
    existing: list[str] = field(default_factory=list)


# --- Invitations ---------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, actor, emails: str | list[str], role: str) -> InvitationResult:
    """Invite every address of ``emails`` (text, one a line or comma-separated, or a list) as ``role``.

    All or nothing: one malformed address refuses the whole list, naming it. An address
    with an account is reported in ``existing``; one with a pending invitation has that
    invitation resent (with the new role) rather than a second one made.
    """
    _require(permissions.can_manage_people(actor), "Only admins invite people.")
    if role not in Invitation.Role.values:
        raise PeopleError(
            "Choose the role the invited people will have: Reader, Editor, Reviewer or Moderator."
        )
    addresses = split_addresses(emails) if isinstance(emails, str) else split_addresses(",".join(emails))
    if not addresses:
        raise PeopleError("Enter at least one e-mail address.")
    if len(addresses) > MAX_INVITATIONS_AT_ONCE:
        raise PeopleError(
            f"Invite at most {MAX_INVITATIONS_AT_ONCE} people at once; you entered {len(addresses)}."
        )
    invalid = [address for address in addresses if not _is_email(address)]
    if invalid:
        raise PeopleError(
            f"Not an e-mail address: {', '.join(invalid)}. Nobody was invited; correct it and send again."
        )
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    taken = {
        email.lower() for email in get_user_model().objects.filter(query).values_list("email", flat=True)
    }
    pending = {
        invitation.email.lower(): invitation
        for invitation in Invitation.objects.select_for_update()
        .filter(query, accepted_at__isnull=True, revoked_at__isnull=True)
        .order_by("created_at")
    }
    result = InvitationResult()
    for address in addresses:
        if address in taken:
            result.existing.append(address)
        elif address in pending:
            invitation = pending[address]
            invitation.role = role
            _send(invitation, actor=actor, action=Action.RESENT)
            result.resent.append(address)
        else:
            invitation = Invitation(email=address, role=role, invited_by=actor)
            _send(invitation, actor=actor, action=Action.INVITED)
            result.invited.append(address)
    return result


@transaction.atomic
def invitation_resend(*, actor, invitation_id: int) -> Invitation:
    """Send the invitation again with a new link (the old link stops working) and fresh days."""
    _require(permissions.can_manage_people(actor), "Only admins resend invitations.")
    invitation = _invitation_locked(invitation_id)
    if invitation.accepted_at:
        raise PeopleError(f"{invitation.email} already accepted this invitation.")
    if invitation.revoked_at:
        raise PeopleError(f"The invitation of {invitation.email} was revoked; invite them again instead.")
    _send(invitation, actor=actor, action=Action.RESENT)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation_id: int) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    _require(permissions.can_manage_people(actor), "Only admins revoke invitations.")
    invitation = _invitation_locked(invitation_id)
    if invitation.accepted_at:
        raise PeopleError(f"{invitation.email} already accepted; deactivate the account instead.")
    if invitation.revoked_at:
        raise PeopleError(f"The invitation of {invitation.email} is already revoked.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _log(actor=actor, email=invitation.email, action=Action.REVOKED, detail=f"as {invitation.role}")
    return invitation


def invitation_refusal(invitation: Invitation | None) -> tuple[int, str] | None:
    """Why this invitation cannot be accepted now, as (HTTP status, message); None if it can."""
    if invitation is None:
        return (
            404,
            "This invitation link is not valid. Open the whole link from the latest e-mail, or ask for a new invitation.",
        )
    if invitation.accepted_at:
        return 410, "This invitation has already been used. Log in with the account it created."
    if invitation.revoked_at:
        return 410, "This invitation was withdrawn. Ask an administrator for a new one."
    if invitation.is_expired:
        return 410, "This invitation has expired. Ask an administrator to send it again."
    return None


@transaction.atomic
def invitation_accept(*, token: str, username: str, display_name: str, password: str):
    """Create the invited person's account and give it the invitation's role; returns the user.

    The invitation is used once: it is locked, checked (not used, revoked or expired) and
    marked accepted in the same transaction as the account is made.
    """
    invitation = _invitation_by_token_locked(token)
    refusal = invitation_refusal(invitation)
    if refusal:
        raise PeopleError(refusal[1])
    username = (username or "").strip()
    display_name = _display_name_checked(display_name)
    User = get_user_model()
    if not username:
        raise PeopleError("Choose a username.")
    if len(username) > 150:
        raise PeopleError("A username is at most 150 characters.")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise PeopleError("A username has letters, digits and @ . + - _ only.") from None
    if User.objects.filter(username__iexact=username).exists():
        raise PeopleError(f"The username {username} is taken; choose another.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise PeopleError(f"{invitation.email} already has an account. Log in with it instead.")
    candidate = User(username=username, email=invitation.email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        raise PeopleError(" ".join(error.messages)) from None
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise PeopleError(f"The username {username} is taken; choose another.") from None
    Profile.objects.create(user=candidate, display_name=display_name)
    invitation_accept_for_user(invitation=invitation, user=candidate)
    return candidate


@transaction.atomic
def invitation_accept_for_user(*, invitation: Invitation, user) -> Invitation:
    """Give ``user`` (existing or just created, by any sign-up path) the invitation's role,
    mark the invitation used and log it. Single sign-on sign-up calls this too."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    refusal = invitation_refusal(invitation)
    if refusal:
        raise PeopleError(refusal[1])
    if not permissions.is_admin_account(user):  # an invitation never demotes an admin
        _role_set(user, invitation.role)
    Profile.objects.get_or_create(user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _log(
        actor=user,
        subject=user,
        email=invitation.email,
        action=Action.ACCEPTED,
        detail=f"as {invitation.role}",
    )
    return invitation


def invitation_email_send(*, invitation_id: int, token: str) -> bool:
    """Run by the task queue: e-mail the link, unless the invitation changed since (revoked,
    accepted, or resent with a newer link, whose own task sends that one)."""
    invitation = Invitation.objects.select_related("invited_by__profile").filter(pk=invitation_id).first()
    if (
        invitation is None
        or not invitation.is_pending
        or invitation.token_hash != invitation_token_hash(token)
    ):
        return False
    inviter = invitation.invited_by
    who = _name(inviter) if inviter else "An administrator"
    link = settings.WIKI_SITE_URL.rstrip("/") + reverse("notes:invitation-accept", args=[token])
    expires = timezone.localtime(invitation.expires_at, timezone.get_default_timezone())
    body = "\n".join(
        [
            f"{who} invited you to Chapterwise, the team's book notes, as {invitation.role}.",
            "",
            "Choose a username and a password here to join:",
            link,
            "",
            f"The link works once, until {expires:%Y-%m-%d %H:%M} ({expires.tzname()}).",
            "If you did not expect this invitation, ignore this e-mail.",
        ]
    )
    EmailMessage(subject=f"{who} invited you to Chapterwise", body=body, to=[invitation.email]).send()
    return True


# --- Roles and deactivation -------------------------------------------------------------------


@transaction.atomic
def role_change(*, actor, subject, role: str):
    """Give ``subject`` exactly one role (a group, or admin); logged with the old and new roles."""
    if role not in dict(ROLE_CHOICES):
        raise PeopleError("Choose a role: Reader, Editor, Reviewer, Moderator or Admin.")
    subject = _user_locked(subject.pk)
    _require(permissions.can_manage_people(actor), "Only admins change roles.")
    if actor.pk == subject.pk:
        raise PeopleError("You cannot change your own role; ask another admin.")
    old = permissions.account_role(subject)
    if old == role:
        raise PeopleError(f"{_name(subject)} is already {_role_label(role)}.")
    if role != Role.ADMIN and _is_last_admin_locked(subject):
        raise PeopleError(f"{_name(subject)} is the last active admin; make someone else admin first.")
    _role_set(subject, role)
    _log(
        actor=actor,
        subject=subject,
        action=Action.ROLE_CHANGED,
        detail=f"from {_role_label(old)} to {_role_label(role)}",
    )
    return subject


@transaction.atomic
def user_deactivate(*, actor, subject):
    """Stop ``subject`` signing in (their sessions end at their next request); what they wrote stays."""
    subject = _user_locked(subject.pk)
    _require(permissions.can_manage_people(actor), "Only admins deactivate people.")
    if actor.pk == subject.pk:
        raise PeopleError("You cannot deactivate yourself; ask another admin.")
    if not subject.is_active:
        raise PeopleError(f"{_name(subject)} is already deactivated.")
    if _is_last_admin_locked(subject):
        raise PeopleError(f"{_name(subject)} is the last active admin; make someone else admin first.")
    subject.is_active = False
    subject.save(update_fields=["is_active"])
    _log(actor=actor, subject=subject, action=Action.DEACTIVATED)
    return subject


@transaction.atomic
def user_reactivate(*, actor, subject):
    subject = _user_locked(subject.pk)
    _require(permissions.can_manage_people(actor), "Only admins reactivate people.")
    if subject.is_active:
        raise PeopleError(f"{_name(subject)} is already active.")
    subject.is_active = True
    subject.save(update_fields=["is_active"])
    _log(actor=actor, subject=subject, action=Action.REACTIVATED)
    return subject


# --- My account ------------------------------------------------------------------------------


@transaction.atomic
def profile_update(*, user, display_name: str, time_zone: str) -> Profile:
    """Change one's own display name and time zone (an IANA name such as Europe/Paris)."""
    if not permissions.can_edit_account(user):
        raise PermissionDenied("Sign in to change your account.")
    display_name = _display_name_checked(display_name)
    if time_zone not in available_time_zones():
        raise PeopleError("Choose a time zone from the list (a name such as Europe/Paris).")
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    profile.display_name = display_name
    profile.time_zone = time_zone
    profile.save(update_fields=["display_name", "time_zone", "updated_at"])
    return profile


@transaction.atomic
def profile_diff_view_update(*, user, diff_view: str) -> Profile:
    """Keep how the user reads diffs: rendered or source, on every diff page from now on."""
    if not permissions.can_edit_account(user):
        raise PermissionDenied("Sign in to change your account.")
    if diff_view not in Profile.DiffView.values:
        raise PeopleError("Choose Rendered or Source.")
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    profile.diff_view = diff_view
    profile.save(update_fields=["diff_view", "updated_at"])
    return profile


@transaction.atomic
def account_notifications_update(
    *, user, email: str, show_spoilers: bool, new_requests: str | None = None
) -> None:
    """Save how e-mail comes, whether spoiler threads show and (a reviewer's) which new
    requests to hear of: all of them or none."""
    notification_settings_update(user=user, email=email)
    spoilers_setting_update(user=user, show_spoilers=show_spoilers)
    if new_requests is not None:
        review_notifications_update(user=user, new_requests=new_requests)


@transaction.atomic
def sessions_end_everywhere(*, user, password: str | None) -> None:
    """Sign ``user`` out of every browser and device.

    Django signs each session with a hash of the account's password hash and drops a
    session whose hash no longer matches. Setting the same password again makes a new
    salt, hence a new hash: every session ends, on every server, at its next request,
    with no per-request cost. (An account without a password gets a new unusable one.)
    The caller keeps its own session with ``update_session_auth_hash``.
    """
    if not permissions.can_edit_account(user):
        raise PermissionDenied("Sign in to change your account.")
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise PeopleError("That is not your password; nothing was changed.")
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save(update_fields=["password"])


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def sorted_time_zones() -> list[str]:
    return sorted(available_time_zones())


# --- Helpers ----------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _is_email(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return len(address) <= 254


def _display_name_checked(display_name: str) -> str:
    display_name = " ".join((display_name or "").split())
    if len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        raise PeopleError(f"A display name is at most {MAX_DISPLAY_NAME_LENGTH} characters.")
    return display_name


def _send(invitation: Invitation, *, actor, action: str) -> None:
    """Give the invitation a new token and fresh days, save it, and e-mail it after the commit."""
    token = new_invitation_token()
    now = timezone.now()
    invitation.token_hash = invitation_token_hash(token)
    invitation.expires_at = now + timezone.timedelta(days=settings.INVITATION_DAYS)
    invitation.last_sent_at = now
    invitation.save()
    _log(actor=actor, email=invitation.email, action=action, detail=f"as {invitation.role}")
    invitation_id = invitation.pk
    transaction.on_commit(lambda: tasks.send_invitation_email.enqueue(invitation_id, token), robust=True)


def _invitation_locked(invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        raise PeopleError("No such invitation.")
    return invitation


def _invitation_by_token_locked(token: str) -> Invitation | None:
    return Invitation.objects.select_for_update().filter(token_hash=invitation_token_hash(token)).first()


def _user_locked(user_id: int):
    user = get_user_model().objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise PeopleError("No such person.")
    return user


def _is_last_admin_locked(subject) -> bool:
    """``subject`` is the only active admin, the admins' rows locked so two admins demoting
    each other at once cannot both succeed."""
    if not (subject.is_active and permissions.is_admin_account(subject)):
        return False
    admins = list(
        get_user_model()
        .objects.select_for_update()
        .filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
        .values_list("pk", flat=True)
    )
    return len(admins) <= 1


def _role_set(user, role: str) -> None:
    groups = [] if role == Role.ADMIN else [Group.objects.get_or_create(name=role)[0]]
    user.groups.set(groups)
    is_admin = role == Role.ADMIN
    # Admin on this site is a staff account; a demoted superuser loses that too, or
    # ``roles()`` would still count them as admin.
    user.is_staff = is_admin
    if not is_admin:
        user.is_superuser = False
    user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_wiki_roles", None)


def _role_label(role: str) -> str:
    return {"": "no role", Role.ADMIN.value: "Admin"}.get(role, role)


def _log(*, actor, action: str, subject=None, email: str = "", detail: str = "") -> PeopleLogEntry:
    return PeopleLogEntry.objects.create(
        actor=actor,
        subject=subject,
        email=email or (subject.email if subject else ""),
        action=action,
        detail=detail,
    )


def time_zone_remember_at_login(sender, request, user, **kwargs) -> None:
    """On every sign-in (the login page, an accepted invitation, single sign-on), keep the
    person's time zone in their session: pages then activate it without a query.

    Connected to ``user_logged_in`` in ``notes.apps``: the one hook every way of signing in
    passes through.
    """
    if request is not None and hasattr(request, "session"):
        time_zones.remember(request.session, user_id=user.pk, name=people_selectors.time_zone_of(user))
