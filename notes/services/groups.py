"""Writes for reading groups: groups, members, progress, meetings, the spoiler setting.

Every function checks before it acts and raises ``GroupError`` with a message a user can
read; permission checks come from ``notes.permissions``.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from notes import permissions
from notes.lib.limits import (
    DEFAULT_MEETING_MINUTES,
    MAX_GROUP_DESCRIPTION_LENGTH,
    MAX_GROUP_NAME_LENGTH,
    MAX_MEETING_MINUTES,
    MAX_MEETING_PLACE_LENGTH,
    MAX_SLUG_LENGTH,
    MIN_MEETING_MINUTES,
)
from notes.lib.tokens import new_token
from notes.models import Book, GroupMembership, Meeting, NotificationSettings, ReadingGroup
from notes.services.viewers import viewer_changed
from notes.services.webhooks import meeting_event_emit


class GroupError(Exception):
    """A refused change to a reading group; ``str()`` is the message for the user."""


def _clean_fields(*, name: str, description: str) -> tuple[str, str]:
    name, description = name.strip(), description.strip()
    if not name:
        raise GroupError("A group needs a name.")
    if len(name) > MAX_GROUP_NAME_LENGTH:
        raise GroupError(f"A group's name is at most {MAX_GROUP_NAME_LENGTH} characters.")
    if len(description) > MAX_GROUP_DESCRIPTION_LENGTH:
        raise GroupError(f"A group's description is at most {MAX_GROUP_DESCRIPTION_LENGTH} characters.")
    return name, description


def _set_members(group: ReadingGroup, members) -> None:
    """Make ``members`` the group's members: newcomers join now, the others keep their progress.

    A member removed loses their calendar links (their token goes with their membership)
    and the invite link is replaced, so they cannot join again with the one they had.
    """
    wanted = {user.pk for user in members}
    removed, _ = group.memberships.exclude(user_id__in=wanted).delete()
    if removed:
        _invite_replace(group)
    present = set(group.memberships.values_list("user_id", flat=True))
    GroupMembership.objects.bulk_create(
        [GroupMembership(group=group, user_id=user_id) for user_id in sorted(wanted - present)]
    )
    viewer_changed(*(wanted - present))  # bulk_create sends no signal


@transaction.atomic
def group_create(
    *,
    book: Book,
    actor,
    name: str,
    slug: str = "",
    description: str = "",
    is_private: bool = False,
    members=(),
) -> ReadingGroup:
    if not permissions.can_manage_groups(actor):
        raise PermissionDenied("Only moderators and admins create reading groups.")
    name, description = _clean_fields(name=name, description=description)
    slug = slugify(slug or name)[:MAX_SLUG_LENGTH]
    if not slug:
        raise GroupError("A group's address needs letters or digits.")
    if ReadingGroup.objects.filter(slug=slug).exists():
        raise GroupError(f"The address /groups/{slug}/ is taken; choose another.")
    try:
        with transaction.atomic():
            group = ReadingGroup.objects.create(
                book=book,
                slug=slug,
                name=name,
                description=description,
                is_private=is_private,
                created_by=actor,
            )
    except IntegrityError:
        raise GroupError(f"The address /groups/{slug}/ is taken; choose another.") from None
    _set_members(group, members)
    return group


@transaction.atomic
def group_update(
    *, group: ReadingGroup, actor, name: str, description: str = "", is_private: bool = False, members=()
) -> ReadingGroup:
    if not permissions.can_manage_groups(actor):
        raise PermissionDenied("Only moderators and admins change reading groups.")
    group = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    group.name, group.description = _clean_fields(name=name, description=description)
    if is_private and not group.is_private:
        # A link shared while the group was public must not open the private group.
        _invite_replace(group)
    group.is_private = is_private
    group.save(update_fields=["name", "description", "is_private"])
    _set_members(group, members)
    return group


def _invite_replace(group: ReadingGroup) -> None:
    group.invite_token = new_token()
    group.save(update_fields=["invite_token"])


@transaction.atomic
def group_invite_regenerate(*, group: ReadingGroup, actor) -> ReadingGroup:
    """Replace the group's invite link: the old one stops working at once."""
    if not permissions.can_manage_groups(actor):
        raise PermissionDenied("Only moderators and admins change a group's invite link.")
    group = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    _invite_replace(group)
    return group


@transaction.atomic
def group_join(*, group: ReadingGroup, user, token: str) -> GroupMembership:
    """Join by the invite link; joining twice is refused with a message (nothing changes)."""
    if not permissions.can_join_group(user, group, token=token):
        raise PermissionDenied("This invite link is not valid.")
    membership, created = GroupMembership.objects.get_or_create(group=group, user=user)
    if not created:
        raise GroupError(f"You are already a member of {group.name}.")
    return membership


@transaction.atomic
def progress_mark(*, user, book: Book, chapter_number: int) -> int:
    """Record that ``user`` has read ``book`` up to ``chapter_number`` (0: not started), in
    every group of the book they belong to. Returns how many memberships changed."""
    memberships = GroupMembership.objects.select_for_update().filter(user=user, group__book=book)
    if not permissions.can_mark_progress(user, is_member=memberships.exists()):
        raise PermissionDenied("Only members of a reading group of this book mark their progress.")
    if chapter_number != 0 and not book.chapters.filter(number=chapter_number).exists():
        raise GroupError(f"{book.title} has no chapter {chapter_number}.")
    changed = memberships.update(progress=chapter_number)
    viewer_changed(user, carried=("_wiki_reading_progress",))  # update() sends no signal
    return changed


@transaction.atomic
def meeting_create(
    *,
    group: ReadingGroup,
    actor,
    starts_at: datetime.datetime,
    first_chapter: int,
    last_chapter: int,
    place_or_link: str = "",
    notes: str = "",
    duration_minutes: int = DEFAULT_MEETING_MINUTES,
) -> Meeting:
    if not permissions.can_manage_groups(actor):
        raise PermissionDenied("Only moderators and admins schedule meetings.")
    if not MIN_MEETING_MINUTES <= duration_minutes <= MAX_MEETING_MINUTES:
        raise GroupError(
            f"A meeting lasts from {MIN_MEETING_MINUTES} to {MAX_MEETING_MINUTES} minutes, not {duration_minutes}."
        )
    if timezone.is_naive(starts_at):
        raise GroupError("A meeting's time needs a time zone.")
    if first_chapter > last_chapter:
        raise GroupError("The first chapter of a meeting comes before its last chapter.")
    numbers = set(
        group.book.chapters.filter(number__in=[first_chapter, last_chapter]).values_list("number", flat=True)
    )
    missing = sorted({first_chapter, last_chapter} - numbers)
    if missing:
        raise GroupError(f"{group.book.title} has no chapter {missing[0]}.")
    place_or_link = place_or_link.strip()
    if len(place_or_link) > MAX_MEETING_PLACE_LENGTH:
        raise GroupError(f"A place or link is at most {MAX_MEETING_PLACE_LENGTH} characters.")
    meeting = Meeting.objects.create(
        group=group,
        # To the minute: what the form and the calendars show.
        starts_at=starts_at.replace(second=0, microsecond=0),
        duration_minutes=duration_minutes,
        first_chapter=first_chapter,
        last_chapter=last_chapter,
        place_or_link=place_or_link,
        notes=notes.strip()[:MAX_GROUP_DESCRIPTION_LENGTH],
    )
    meeting_event_emit(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def spoilers_setting_update(*, user, show_spoilers: bool) -> None:
    """Show (or fold again) threads on chapters past the user's progress."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to change your settings.")
    NotificationSettings.objects.update_or_create(user=user, defaults={"show_spoilers": show_spoilers})
