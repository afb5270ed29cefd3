"""Reading groups: people who read one book together, and their meetings.

A ``ReadingGroup`` belongs to one book; a ``GroupMembership`` records one reader in it and
how far they have read (``progress``, the highest chapter number read, 0 for none, None
until they say). A
``Meeting`` covers a range of chapters. State changes go through ``notes.services.groups``;
who sees and manages what is decided in ``notes.permissions``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from notes.lib.limits import DEFAULT_MEETING_MINUTES

# Migration 0018b names it here; notes.lib.tokens is its home.
from notes.lib.tokens import new_token


class ReadingGroup(models.Model):
    book = models.ForeignKey("notes.Book", on_delete=models.PROTECT, related_name="reading_groups")
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Plain text.")
    is_private = models.BooleanField(
        default=False, help_text="Only members, moderators and admins see a private group."
    )
    # The secret of the invite link (/groups/<slug>/join/<token>/): whoever has it may join.
    # Replaced (notes.services.groups) when a manager asks, when a member is removed (so
    # they cannot rejoin with the link they had) and when the group becomes private.
    invite_token = models.CharField(max_length=64, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="GroupMembership", related_name="reading_groups"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notes:group-detail", kwargs={"group_slug": self.slug})


class GroupMembership(models.Model):
    group = models.ForeignKey(ReadingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # The highest chapter number the member has read (0: none yet). None until they say: a
    # member who never gave a progress has nothing folded, as they cannot have asked for it.
    progress = models.PositiveIntegerField(null=True, blank=True, default=None)
    # The secret in this member's calendar-feed links (calendar apps cannot sign in): one per
    # member, so it stops working when they leave, and nobody else's link does.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        ordering = ["group", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_membership_once"),
        ]
        indexes = [models.Index(fields=["user", "group"], name="group_membership_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id}"


class Meeting(models.Model):
    group = models.ForeignKey(ReadingGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    # How long it lasts: calendars need an end (DTEND), or they show a meeting as an instant.
    duration_minutes = models.PositiveSmallIntegerField(default=DEFAULT_MEETING_MINUTES)
    place_or_link = models.CharField(max_length=300, blank=True)
    first_chapter = models.PositiveIntegerField()
    last_chapter = models.PositiveIntegerField()
    notes = models.TextField(blank=True, help_text="Plain text.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_chapter__lte=models.F("last_chapter")),
                name="meeting_chapters_in_order",
            ),
        ]
        indexes = [models.Index(fields=["group", "starts_at"], name="meeting_group_time")]

    def __str__(self) -> str:
        return f"{self.group} on {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("notes:meeting-detail", kwargs={"group_slug": self.group.slug, "meeting_id": self.pk})

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def chapters_label(self) -> str:
        if self.first_chapter == self.last_chapter:
            return f"Chapter {self.first_chapter}"
        return f"Chapters {self.first_chapter}-{self.last_chapter}"

    @property
    def chapter_numbers(self) -> range:
        return range(self.first_chapter, self.last_chapter + 1)
