"""People: each person's profile, the invitations that bring a colleague in, and the log
of who changed whom.

An ``Invitation`` keeps only the SHA-256 of its token: the token itself travels once, in
the e-mail, so a leaked database cannot be used to accept an invitation. A
``PeopleLogEntry`` is append-only (its ``save`` refuses an update). State changes go
through ``notes.services.people``; who sees and manages people is decided in
``notes.permissions``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from notes.lib.limits import MAX_DISPLAY_NAME_LENGTH


def default_time_zone() -> str:
    return settings.TIME_ZONE


def default_invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_DAYS)


class Profile(models.Model):
    class DiffView(models.TextChoices):
        RENDERED = "rendered", "Rendered"
        SOURCE = "source", "Source"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=MAX_DISPLAY_NAME_LENGTH, blank=True)
    # An IANA name ("Europe/Paris"); the service checks it against zoneinfo.
    time_zone = models.CharField(max_length=64, default=default_time_zone)
    # How diffs open (request pages, history compare): the reader's last choice, kept.
    diff_view = models.CharField(max_length=10, choices=DiffView.choices, default=DiffView.RENDERED)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name or str(self.user_id)


class Invitation(models.Model):
    class Role(models.TextChoices):
        READER = "Reader", "Reader"
        EDITOR = "Editor", "Editor"
        REVIEWER = "Reviewer", "Reviewer"
        MODERATOR = "Moderator", "Moderator"

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.READER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email"], name="invitation_email")]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.role}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class PeopleLogEntry(models.Model):
    class Action(models.TextChoices):
        INVITED = "invited", "invited"
        RESENT = "resent", "resent the invitation of"
        REVOKED = "revoked", "revoked the invitation of"
        ACCEPTED = "accepted", "joined by accepting the invitation"
        ROLE_CHANGED = "role_changed", "changed the role of"
        DEACTIVATED = "deactivated", "deactivated"
        REACTIVATED = "reactivated", "reactivated"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whom it is about: a user, or (for an invitation not yet accepted) an address.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.get_action_display()} {self.subject_id or self.email}"

    def save(self, *args, **kwargs) -> None:
        # Append-only: a log that can be rewritten is no record.
        if self.pk is not None and not self._state.adding:
            raise ValueError("The people log is append-only.")
        super().save(*args, **kwargs)


def display_name(user) -> str:
    """How the site names a person: their display name when set, else their username.

    Reads ``user.profile``: lists load it with ``select_related("profile")`` (or
    ``author__profile``) so naming everyone costs no query of its own.
    """
    if user is None:
        return ""
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        profile = None
    return (profile.display_name if profile is not None else "") or user.get_username()
